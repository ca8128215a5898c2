"""KPI facts of every report, the agencies' decrees, the accounts that acted.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE tracking.kpi_facts (
        tracking_id      text NOT NULL,
        agency_code      text NOT NULL,  -- '': the report as a whole
        region_code      text NOT NULL,
        category         text NOT NULL,
        received_at      timestamptz NOT NULL,
        verified_at      timestamptz,
        verified_within  boolean,
        responded_at     timestamptz,
        responded_within boolean,
        resolved_at      timestamptz,
        reopened         boolean NOT NULL,
        version          integer NOT NULL,  -- the stream version folded up to
        PRIMARY KEY (tracking_id, agency_code)
    );
    CREATE INDEX kpi_facts_received ON tracking.kpi_facts (received_at);
    CREATE TABLE tracking.kpi_agencies (
        code          text PRIMARY KEY,
        name          text,
        kind          text,
        region_code   text,
        parent_code   text,
        decree_number text,
        decree_date   date
    );
    CREATE TABLE tracking.kpi_accounts (
        agency_code text NOT NULL,
        account     text NOT NULL,
        day         date NOT NULL,
        role        text NOT NULL,
        PRIMARY KEY (agency_code, account, day, role)
    );
    """)
