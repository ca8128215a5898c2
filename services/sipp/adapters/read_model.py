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
    query = sa.select(agencies).order_by(agencies.c.code).limit(limit).offset(offset)
    if region_code:
        query = query.where(agencies.c.region_code == region_code)
    if kind:
        query = query.where(agencies.c.kind == kind)
    return [dict(r._mapping) for r in conn.execute(query)]


def get_agency(conn: sa.Connection, code: str) -> dict | None:
    row = conn.execute(sa.select(agencies).where(agencies.c.code == code)).first()
    return dict(row._mapping) if row else None


def count_agencies(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(agencies)).scalar()
