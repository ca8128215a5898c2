"""Attachments, content-addressed: an event holds only the hash.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE intake.attachments (
        sha256      text PRIMARY KEY,
        media_type  text NOT NULL,
        size        integer NOT NULL,
        content     bytea NOT NULL,
        created_at  timestamptz NOT NULL
    );
    """)
