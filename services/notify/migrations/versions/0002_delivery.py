"""Retries, ambiguous outcomes, delivery reports, opt-outs, officers' contacts.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    ALTER TABLE notify.notifications
        DROP CONSTRAINT notifications_status_check,
        ADD CONSTRAINT notifications_status_check CHECK (status IN
            ('pending', 'sending', 'sent', 'delivered', 'skipped', 'failed', 'ambiguous')),
        ADD COLUMN reference uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        ADD COLUMN origin_channel text,
        ADD COLUMN template_values jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN language text,
        ADD COLUMN ambiguous_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN attempt_started_at timestamptz,
        ADD COLUMN dlr_status text,
        ADD COLUMN delivered_at timestamptz;
    DROP INDEX notify.notifications_pending;
    CREATE INDEX notifications_due ON notify.notifications (next_attempt_at)
        WHERE status = 'pending';
    CREATE INDEX notifications_sending ON notify.notifications (attempt_started_at)
        WHERE status = 'sending';

    -- what notify remembers of a report to tell its reporter about later events
    CREATE TABLE notify.reports (
        tracking_id  text PRIMARY KEY,
        reporter_ref text,
        channel      text NOT NULL,
        confidential boolean NOT NULL
    );
    -- keyed digests of addresses that asked for no more messages
    CREATE TABLE notify.opt_outs (
        channel        text NOT NULL,
        contact_digest text NOT NULL,
        via            text NOT NULL,
        opted_out_at   timestamptz NOT NULL,
        PRIMARY KEY (channel, contact_digest)
    );
    -- where an agency's officers are told of new assignments (lapor-notify agency-contact)
    CREATE TABLE notify.agency_contacts (
        agency_code text PRIMARY KEY,
        email       text NOT NULL,
        language    text NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
        updated_at  timestamptz NOT NULL
    );
    """)
