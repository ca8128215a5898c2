"""sipp.standards and sipp.standard_versions, projected from the standard.* events."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor.text import search_document
from services.sipp.adapters.read_model import agencies, metadata

standards = sa.Table(
    "standards",
    metadata,
    sa.Column("standard_id", sa.Text, primary_key=True),
    sa.Column("agency_code", sa.Text),
    sa.Column("region_code", sa.Text),
    sa.Column("slug", sa.Text),
    sa.Column("category", sa.Text),
    sa.Column("service_name", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("content", pg.JSONB),
    sa.Column("demo", sa.Boolean),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
    sa.Column("search", pg.TSVECTOR),
)
versions = sa.Table(
    "standard_versions",
    metadata,
    sa.Column("standard_id", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("content", pg.JSONB),
    sa.Column("actor", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("published_at", sa.DateTime(timezone=True)),
)
PUBLIC = ("published",)


def _search_vector(content: dict):
    """Name weighs most (A), then what the service asks and gives (B), then the rest (C)."""
    a = content["service_name"]
    b = " ".join([*content["requirements"], content["product"], content.get("description") or ""])
    c = " ".join([*content["procedure"], *content["legal_basis"], content["category"]])
    return (
        sa.func.setweight(sa.func.to_tsvector("simple", search_document(a)), "A")
        .op("||")(sa.func.setweight(sa.func.to_tsvector("simple", search_document(b)), "B"))
        .op("||")(sa.func.setweight(sa.func.to_tsvector("simple", search_document(c)), "C"))
    )


def project(tx: sa.Connection, type_: str, data: dict, recorded_at) -> None:
    """Apply one standard.* event to the read model."""
    sid = data["standard_id"]
    if type_ == "standard.withdrawn":
        tx.execute(
            standards.update()
            .where(standards.c.standard_id == sid)
            .values(status="withdrawn", updated_at=recorded_at)
        )
        return
    content = data["content"]
    status = "draft" if type_ == "standard.drafted" else "published"
    version = 0 if type_ == "standard.drafted" else data["version"]
    values = dict(
        standard_id=sid,
        agency_code=data["agency_code"],
        region_code=data["region_code"],
        slug=sid.split(".", 1)[1],
        category=content["category"],
        service_name=content["service_name"],
        status=status,
        version=version,
        content=content,
        demo=content["demo"],
        updated_at=recorded_at,
        search=_search_vector(content),
    )
    if type_ == "standard.drafted":
        # a draft never hides the published version of the same standard
        existing = tx.execute(
            sa.select(standards.c.status).where(standards.c.standard_id == sid)
        ).scalar()
        if existing in ("published", "withdrawn"):
            return
    tx.execute(
        pg.insert(standards)
        .values(values)
        .on_conflict_do_update(index_elements=[standards.c.standard_id], set_=values)
    )
    if version:
        tx.execute(
            pg.insert(versions)
            .values(
                standard_id=sid,
                version=version,
                content=content,
                actor=data["actor"],
                note=data.get("note"),
                published_at=recorded_at,
            )
            .on_conflict_do_nothing()
        )


_COLUMNS = (
    standards.c.standard_id,
    standards.c.agency_code,
    agencies.c.name.label("agency_name"),
    standards.c.region_code,
    standards.c.category,
    standards.c.service_name,
    standards.c.status,
    standards.c.version,
    standards.c.demo,
    standards.c.updated_at,
)


def _in_region(region_code: str):
    return sa.or_(
        standards.c.region_code == region_code, standards.c.region_code.like(region_code + ".%")
    )


def search(
    conn: sa.Connection,
    tsquery: str | None,
    region_code: str | None,
    agency_code: str | None,
    category: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict]]:
    """Published standards, best match first (or by name without a query)."""
    joined = standards.outerjoin(agencies, agencies.c.code == standards.c.agency_code)
    where = [standards.c.status.in_(PUBLIC)]
    if region_code:
        where.append(_in_region(region_code))
    if agency_code:
        where.append(standards.c.agency_code == agency_code)
    if category:
        where.append(standards.c.category == category)
    columns = list(_COLUMNS)
    order = [standards.c.service_name, standards.c.standard_id]
    if tsquery:
        q = sa.func.to_tsquery("simple", tsquery)
        where.append(standards.c.search.op("@@")(q))
        rank = sa.func.ts_rank(standards.c.search, q).label("rank")
        columns.append(rank)
        order = [rank.desc(), *order]
    total = conn.execute(sa.select(sa.func.count()).select_from(joined).where(*where)).scalar()
    rows = conn.execute(
        sa.select(*columns)
        .select_from(joined)
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    found = []
    for row in rows:
        item = dict(row._mapping)
        if "rank" in item:
            item["rank"] = round(float(item["rank"]), 6)
        found.append(item)
    return total, found


def of_agency(conn: sa.Connection, agency_code: str) -> list[dict]:
    """Every standard of one agency, drafts and withdrawn ones too, with its
    content: for the agency's own admins, never for the public."""
    rows = conn.execute(
        sa.select(*_COLUMNS, standards.c.content)
        .select_from(standards.outerjoin(agencies, agencies.c.code == standards.c.agency_code))
        .where(standards.c.agency_code == agency_code)
        .order_by(standards.c.service_name, standards.c.standard_id)
    )
    return [dict(r._mapping) for r in rows]


def get(conn: sa.Connection, standard_id: str, version: int | None = None) -> dict | None:
    """The standard now, or exactly as version `version` was published."""
    joined = standards.outerjoin(agencies, agencies.c.code == standards.c.agency_code)
    row = conn.execute(
        sa.select(*_COLUMNS, standards.c.content)
        .select_from(joined)
        .where(standards.c.standard_id == standard_id)
    ).first()
    if row is None or row.status == "draft":  # a draft is not public
        return None
    current = dict(row._mapping)
    published = conn.execute(
        sa.select(versions.c.version, versions.c.published_at, versions.c.actor, versions.c.note)
        .where(versions.c.standard_id == standard_id)
        .order_by(versions.c.version)
    )
    current["versions"] = [dict(r._mapping) for r in published]
    if version is None:
        return current
    old = conn.execute(
        sa.select(versions).where(
            versions.c.standard_id == standard_id, versions.c.version == version
        )
    ).first()
    if old is None:
        return None
    return {
        **current,
        "version": old.version,
        "content": old.content,
        "published_at": old.published_at,
        "latest_version": current["version"],
    }


def published_counts(conn: sa.Connection, region_code: str) -> dict[str, int]:
    rows = conn.execute(
        sa.select(standards.c.agency_code, sa.func.count())
        .where(standards.c.status.in_(PUBLIC), _in_region(region_code))
        .group_by(standards.c.agency_code)
    )
    return {code: n for code, n in rows}


def governments_in(conn: sa.Connection, region_code: str) -> list[dict]:
    """The regency and city governments of a province (or the one of a regency)."""
    rows = conn.execute(
        sa.select(agencies.c.code, agencies.c.name, agencies.c.region_code)
        .where(
            agencies.c.kind.in_(("regency", "city")),
            sa.or_(
                agencies.c.region_code == region_code,
                agencies.c.region_code.like(region_code + ".%"),
            ),
        )
        .order_by(agencies.c.region_code)
    )
    return [dict(r._mapping) for r in rows]


def for_export(conn: sa.Connection, agency_code: str | None, region_code: str | None) -> list:
    where = [standards.c.status.in_(PUBLIC)]
    if agency_code:
        where.append(standards.c.agency_code == agency_code)
    if region_code:
        where.append(_in_region(region_code))
    return list(
        conn.execute(
            sa.select(standards.c.agency_code, standards.c.slug, standards.c.content)
            .where(*where)
            .order_by(standards.c.standard_id)
        )
    )


def providers(
    conn: sa.Connection, tsquery: str | None, category: str | None, region_codes: list[str]
) -> list[dict]:
    """Agencies with a published standard matching the service or category, in the
    first of `region_codes` (most specific first) that has any."""
    for region in region_codes:
        where = [standards.c.status.in_(PUBLIC)]
        where.append(
            standards.c.region_code.is_(None) if region == "" else standards.c.region_code == region
        )
        if category:
            where.append(standards.c.category == category)
        columns = [
            standards.c.agency_code,
            agencies.c.name.label("agency_name"),
            standards.c.standard_id,
            standards.c.service_name,
        ]
        order = [standards.c.standard_id]
        if tsquery:
            q = sa.func.to_tsquery("simple", tsquery)
            where.append(standards.c.search.op("@@")(q))
            order = [sa.func.ts_rank(standards.c.search, q).desc(), *order]
        rows = conn.execute(
            sa.select(*columns)
            .select_from(standards.outerjoin(agencies, agencies.c.code == standards.c.agency_code))
            .where(*where)
            .order_by(*order)
            .limit(10)
        ).all()
        if rows:
            return [dict(r._mapping) for r in rows]
    return []
