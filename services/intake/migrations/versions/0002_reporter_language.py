"""The language a reporter wants to be told in ('id' or 'en'; null means 'id').

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    ALTER TABLE intake.reporters
        ADD COLUMN language text CHECK (language IN ('id', 'en'));
    """)
