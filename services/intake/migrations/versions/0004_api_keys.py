"""API keys of client applications of a channel (Open311), stored hashed.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE intake.api_keys (
        key_hash    text PRIMARY KEY,
        channel     text NOT NULL,
        name        text NOT NULL,
        created_at  timestamptz NOT NULL
    );
    """)
