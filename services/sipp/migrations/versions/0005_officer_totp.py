"""Officers may add a second factor to their password: a TOTP secret per
account (enabled once a code from it was given; a secret being set up is kept
apart until then), the last time step accepted (no code is accepted twice),
and the short-lived challenges between a right password and its code.

Revision ID: 0005
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    ALTER TABLE sipp.admins ADD COLUMN totp_secret text;
    ALTER TABLE sipp.admins ADD COLUMN totp_pending_secret text;
    ALTER TABLE sipp.admins ADD COLUMN totp_enabled_at timestamptz;
    ALTER TABLE sipp.admins ADD COLUMN totp_last_step bigint;

    CREATE TABLE sipp.login_challenges (
        token_hash text PRIMARY KEY,
        admin_id   text NOT NULL REFERENCES sipp.admins (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL
    );
    CREATE INDEX login_challenges_admin ON sipp.login_challenges (admin_id);
    """)
