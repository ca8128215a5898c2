"""sipp.agencies, projected from agency.registered."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

metadata = sa.MetaData(schema="sipp")
agencies = sa.Table(
    "agencies",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("kind", sa.Text),
    sa.Column("region_code", sa.Text),
    sa.Column("parent_code", sa.Text),
    sa.Column("unit_type", sa.Text),
    sa.Column("profile", sa.dialects.postgresql.JSONB),
)
COLUMNS = ("code", "name", "kind", "region_code", "parent_code", "unit_type")


def upsert_agency(tx: sa.Connection, data: dict) -> None:
    values = {c: data[c] for c in COLUMNS}
    tx.execute(
        pg.insert(agencies)
        .values(values)
        .on_conflict_do_update(index_elements=[agencies.c.code], set_=values)
    )


def find_agencies(
    conn: sa.Connection, region_code: str | None, kind: str | None, limit: int, offset: int
) -> list[dict]:
    query = (
        sa.select(*[agencies.c[c] for c in COLUMNS])
        .order_by(agencies.c.code)
        .limit(limit)
        .offset(offset)
    )
    if region_code:
        query = query.where(agencies.c.region_code == region_code)
    if kind:
        query = query.where(agencies.c.kind == kind)
    return [dict(r._mapping) for r in conn.execute(query)]


def get_agency(conn: sa.Connection, code: str) -> dict | None:
    row = conn.execute(
        sa.select(*[agencies.c[c] for c in COLUMNS]).where(agencies.c.code == code)
    ).first()
    return dict(row._mapping) if row else None


def count_agencies(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(agencies)).scalar()


def set_profile(tx: sa.Connection, data: dict) -> None:
    profile = {k: data[k] for k in ("coordinator_code", "complaint_team_decree", "categories")}
    tx.execute(agencies.update().where(agencies.c.code == data["code"]).values(profile=profile))


def agency_with_units(conn: sa.Connection, code: str) -> dict | None:
    """An agency with its profile and the agencies one tier down."""
    row = conn.execute(sa.select(agencies).where(agencies.c.code == code)).first()
    if row is None:
        return None
    found = dict(row._mapping)
    children = conn.execute(
        sa.select(
            agencies.c.code,
            agencies.c.name,
            agencies.c.kind,
            agencies.c.unit_type,
            agencies.c.profile,
        )
        .where(agencies.c.parent_code == code)
        .order_by(agencies.c.code)
    )
    found["children"] = [dict(r._mapping) for r in children]
    return found
