"""Agency accounts get a role: national_admin, coordinator, officer or agency_system.

Existing admins keep what they could do: KemenPANRB's become national admins,
a unit's officers, everyone else's coordinators (services/sipp/roles.py).

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    ALTER TABLE sipp.admins ADD COLUMN role text;
    UPDATE sipp.admins a SET role = CASE
        WHEN a.agency_code = 'kemenpanrb' THEN 'national_admin'
        WHEN (SELECT kind FROM sipp.agencies g WHERE g.code = a.agency_code) = 'unit'
            THEN 'officer'
        ELSE 'coordinator'
    END;
    ALTER TABLE sipp.admins ALTER COLUMN role SET NOT NULL;
    ALTER TABLE sipp.admins ADD CONSTRAINT admins_role CHECK
        (role IN ('national_admin', 'coordinator', 'officer', 'agency_system'));
    """)
