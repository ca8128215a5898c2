"""The SIPP catalogue's service standards, as routing matches reports to them.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE routing.service_standards (
        standard_id  text PRIMARY KEY,
        agency_code  text NOT NULL,
        region_code  text,              -- the agency's; NULL for a national agency
        service_name text NOT NULL,
        category     text NOT NULL,
        version      integer NOT NULL,
        withdrawn    boolean NOT NULL DEFAULT false,
        updated_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX service_standards_region ON routing.service_standards (region_code)
        WHERE NOT withdrawn;
    """)


def downgrade() -> None:
    op.execute("DROP TABLE routing.service_standards;")
