"""The agency a stream concerns, so that every later event of it carries that agency.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE lapor.streams ADD COLUMN agency text")


def downgrade() -> None:
    op.execute("ALTER TABLE lapor.streams DROP COLUMN agency")
