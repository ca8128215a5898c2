"""The case lifecycle: owner, stage, due time, privacy and classification of
every report, each guarded by the stream version that last set it (so events
may arrive twice or out of order); a richer timeline; the agencies, for tiers.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    UPDATE tracking.reports SET status = 'unverified' WHERE status = 'routed';
    ALTER TABLE tracking.reports
        ALTER COLUMN status DROP NOT NULL,
        ALTER COLUMN title DROP NOT NULL,
        ALTER COLUMN category DROP NOT NULL,
        ALTER COLUMN region_code DROP NOT NULL,
        ALTER COLUMN report_type DROP NOT NULL,
        ALTER COLUMN channel DROP NOT NULL,
        ALTER COLUMN anonymous DROP NOT NULL,
        ALTER COLUMN confidential DROP NOT NULL,
        ALTER COLUMN submitted_at DROP NOT NULL,
        ADD COLUMN description text,
        ADD COLUMN owner text,
        ADD COLUMN owner_name text,
        ADD COLUMN stage text,
        ADD COLUMN due_at timestamptz,
        ADD COLUMN complexity text,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN first_response_at timestamptz,
        ADD COLUMN reopen_count integer NOT NULL DEFAULT 0,
        ADD COLUMN case_version integer,
        ADD COLUMN named_version integer,
        ADD COLUMN class_version integer,
        ADD COLUMN privacy_version integer;
    UPDATE tracking.reports SET owner = agency_code, owner_name = agency_name,
        stage = 'verification', case_version = 2, named_version = 2
        WHERE agency_code IS NOT NULL;
    UPDATE tracking.reports SET class_version = 1, privacy_version = 1;
    CREATE INDEX reports_owner_due ON tracking.reports (owner, due_at);
    CREATE INDEX reports_submitted ON tracking.reports (submitted_at);
    ALTER TABLE tracking.timeline
        ADD COLUMN version integer,
        ADD COLUMN actor_role text,
        ADD COLUMN actor_agency text,
        ADD COLUMN content jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN internal jsonb NOT NULL DEFAULT '{}';
    UPDATE tracking.timeline SET actor_role = CASE actor WHEN 'pelapor' THEN 'reporter'
        ELSE 'system' END;
    UPDATE tracking.timeline t SET version = e.version
        FROM lapor.events e WHERE e.event_id = t.event_id;
    UPDATE tracking.timeline SET content = jsonb_build_object('reason', detail->'reason'),
        detail = detail - 'reason' - 'agency_code' - 'agency_name'
        WHERE type = 'report.routed';
    CREATE TABLE tracking.agencies (
        code        text PRIMARY KEY,
        name        text NOT NULL,
        kind        text NOT NULL,
        parent_code text,
        region_code text,
        version     integer NOT NULL
    );
    """)
