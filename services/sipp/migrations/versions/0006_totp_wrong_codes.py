"""A total cap on guessing an officer's codes: the wrong codes given since the
account's last successful login. At MAX_WRONG_CODES
(services/sipp/adapters/second_factor.py) the account logs in with no code
until an admin turns its second factor off (`admins disable-totp`), which
clears the count.

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE sipp.admins ADD COLUMN totp_wrong_codes integer NOT NULL DEFAULT 0")
