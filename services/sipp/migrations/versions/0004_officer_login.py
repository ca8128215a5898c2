"""Officers log in to the web with an email and a password: accounts get a
login name and an argon2 password hash; server-side sessions keep only a
SHA-256 of their token; failed logins are counted per account.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    ALTER TABLE sipp.admins ADD COLUMN email text;
    ALTER TABLE sipp.admins ADD COLUMN password_hash text;
    ALTER TABLE sipp.admins ADD COLUMN password_set_at timestamptz;
    -- one active account per login name
    CREATE UNIQUE INDEX admins_email ON sipp.admins (email)
        WHERE email IS NOT NULL AND revoked_at IS NULL;

    CREATE TABLE sipp.sessions (
        token_hash   text PRIMARY KEY,
        admin_id     text NOT NULL REFERENCES sipp.admins (id) ON DELETE CASCADE,
        created_at   timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_admin ON sipp.sessions (admin_id);

    CREATE TABLE sipp.login_failures (
        admin_id text NOT NULL REFERENCES sipp.admins (id) ON DELETE CASCADE,
        at       timestamptz NOT NULL
    );
    CREATE INDEX login_failures_admin ON sipp.login_failures (admin_id, at);
    """)
