"""Routing's own view of the catalogue's agencies.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE routing.agencies (
        code        text PRIMARY KEY,
        name        text NOT NULL,
        kind        text NOT NULL,
        region_code text
    );
    CREATE INDEX agencies_government ON routing.agencies (region_code)
        WHERE kind IN ('province', 'regency', 'city');
    """)
