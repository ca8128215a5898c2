"""Reporters' contact details, kept apart from the events.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE intake.reporters (
        ref        uuid PRIMARY KEY,
        name       text,
        email      text,
        phone      text,
        created_at timestamptz NOT NULL
    );
    """)
