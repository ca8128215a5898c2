"""Agencies' webhook endpoints, and the delivery log of their events.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE routing.webhook_endpoints (
        agency_code          text PRIMARY KEY,
        url                  text NOT NULL,
        secret               text NOT NULL,
        -- after a rotation the previous secret also signs until previous_valid_until
        previous_secret      text,
        previous_valid_until timestamptz,
        created_at           timestamptz NOT NULL,
        updated_at           timestamptz NOT NULL
    );
    CREATE TABLE routing.webhook_deliveries (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agency_code      text NOT NULL,
        event_id         uuid NOT NULL,
        event_type       text NOT NULL,
        stream           text NOT NULL,
        stream_version   integer NOT NULL,
        position         bigint NOT NULL,
        payload          text NOT NULL,
        status           text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        first_attempt_at timestamptz,
        last_attempt_at  timestamptz,
        last_status      integer,
        last_error       text,
        finished_at      timestamptz,
        created_at       timestamptz NOT NULL,
        replay           boolean NOT NULL DEFAULT false,
        replay_of        bigint REFERENCES routing.webhook_deliveries (id)
    );
    -- an event is enqueued once per agency by the subscription; replays add rows
    CREATE UNIQUE INDEX webhook_deliveries_once
        ON routing.webhook_deliveries (agency_code, event_id) WHERE NOT replay;
    CREATE INDEX webhook_deliveries_due
        ON routing.webhook_deliveries (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_stream_order
        ON routing.webhook_deliveries (agency_code, stream, stream_version, id)
        WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_log
        ON routing.webhook_deliveries (agency_code, id DESC);
    """)
