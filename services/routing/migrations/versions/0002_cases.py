"""The agency tree (parent_code), the cases the SLA timer watches, and the
table of holidays announced or cancelled late.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    ALTER TABLE routing.agencies ADD COLUMN parent_code text;
    CREATE INDEX agencies_parent ON routing.agencies (parent_code);

    CREATE TABLE routing.cases (
        tracking_id text PRIMARY KEY,
        status      text NOT NULL,
        owner       text,
        stage       text,
        due_at      timestamptz,
        warned      boolean NOT NULL DEFAULT false,
        version     integer NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX cases_due ON routing.cases (due_at)
        WHERE due_at IS NOT NULL AND status NOT IN ('archived', 'closed', 'deferred');

    CREATE TABLE routing.holidays (
        day         date PRIMARY KEY,
        kind        text NOT NULL CHECK (kind IN ('added', 'cancelled')),
        name        text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
    );
    """)


def downgrade() -> None:
    op.execute("""
    DROP TABLE routing.holidays;
    DROP TABLE routing.cases;
    DROP INDEX routing.agencies_parent;
    ALTER TABLE routing.agencies DROP COLUMN parent_code;
    """)
