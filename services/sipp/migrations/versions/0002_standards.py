"""Service standards (current state, every version, search) and agency admins.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE sipp.standards (
        standard_id  text PRIMARY KEY,
        agency_code  text NOT NULL,
        region_code  text,
        slug         text NOT NULL,
        category     text NOT NULL,
        service_name text NOT NULL,
        status       text NOT NULL,
        version      integer NOT NULL,
        content      jsonb NOT NULL,
        demo         boolean NOT NULL,
        updated_at   timestamptz NOT NULL,
        search       tsvector NOT NULL
    );
    CREATE INDEX standards_search ON sipp.standards USING gin (search);
    CREATE INDEX standards_agency ON sipp.standards (agency_code);
    CREATE INDEX standards_region ON sipp.standards (region_code text_pattern_ops);
    CREATE INDEX standards_category ON sipp.standards (category);

    CREATE TABLE sipp.standard_versions (
        standard_id  text NOT NULL,
        version      integer NOT NULL,
        content      jsonb NOT NULL,
        actor        text NOT NULL,
        note         text,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (standard_id, version)
    );

    ALTER TABLE sipp.agencies ADD COLUMN profile jsonb;

    CREATE TABLE sipp.admins (
        id          text PRIMARY KEY,
        agency_code text NOT NULL,
        name        text NOT NULL,
        token_hash  text NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
    );
    CREATE INDEX admins_agency ON sipp.admins (agency_code);
    """)
