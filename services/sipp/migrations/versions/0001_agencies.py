"""SIPP's read model of agencies.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE sipp.agencies (
        code        text PRIMARY KEY,
        name        text NOT NULL,
        kind        text NOT NULL,
        region_code text,
        parent_code text,
        unit_type   text
    );
    CREATE INDEX agencies_region ON sipp.agencies (region_code);
    CREATE INDEX agencies_parent ON sipp.agencies (parent_code);
    """)
