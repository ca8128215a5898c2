"""Notices about no report: a refused inbound message (`inbound.rejected`)
has no tracking id.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE notify.notifications ALTER COLUMN tracking_id DROP NOT NULL")


def downgrade() -> None:
    op.execute("DELETE FROM notify.notifications WHERE tracking_id IS NULL")
    op.execute("ALTER TABLE notify.notifications ALTER COLUMN tracking_id SET NOT NULL")
