"""Status and timeline of every report.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE tracking.reports (
        tracking_id  text PRIMARY KEY,
        status       text NOT NULL,
        title        text NOT NULL,
        category     text NOT NULL,
        region_code  text NOT NULL,
        report_type  text NOT NULL,
        channel      text NOT NULL,
        anonymous    boolean NOT NULL,
        confidential boolean NOT NULL,
        agency_code  text,
        agency_name  text,
        submitted_at timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL
    );
    CREATE INDEX reports_agency ON tracking.reports (agency_code, status);
    CREATE TABLE tracking.timeline (
        event_id    uuid PRIMARY KEY,
        tracking_id text NOT NULL,
        position    bigint NOT NULL,
        type        text NOT NULL,
        time        timestamptz NOT NULL,
        actor       text NOT NULL,
        detail      jsonb NOT NULL
    );
    CREATE INDEX timeline_report ON tracking.timeline (tracking_id, position);
    """)
