"""tracking.reports, tracking.timeline and tracking.agencies, fed only by events.

`apply` writes what `domain.effects` says, each group of fields only when the
event's stream version is newer than the one that last set the group; the
timeline is keyed by event id. So an event applied twice, or a stream's events
applied in any order, leave the same rows. Every statement is built from the
tables below (no schema in raw SQL): run it under
`tx.execution_options(schema_translate_map={"tracking": other})` to project
into another schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor.contracts.case import OPEN_STATUSES
from lapor.eventstore import RecordedEvent
from services.tracking import domain

metadata = sa.MetaData(schema="tracking")
_TEXT = (
    "tracking_id",
    "status",
    "title",
    "category",
    "region_code",
    "report_type",
    "channel",
    "agency_code",
    "agency_name",
)
reports = sa.Table(
    "reports",
    metadata,
    *(sa.Column(c, sa.Text, primary_key=c == "tracking_id") for c in _TEXT),
    sa.Column("anonymous", sa.Boolean),
    sa.Column("confidential", sa.Boolean),
    sa.Column("submitted_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    *(sa.Column(c, sa.Text) for c in ("description", "owner", "owner_name", "stage")),
    sa.Column("due_at", sa.DateTime(timezone=True)),
    sa.Column("complexity", sa.Text),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("first_response_at", sa.DateTime(timezone=True)),
    sa.Column("reopen_count", sa.Integer, nullable=False, server_default="0"),
    *(sa.Column(c, sa.Integer) for c in domain.GUARDS.values()),
    sa.Index("reports_agency", "agency_code", "status"),
    sa.Index("reports_owner_due", "owner", "due_at"),
    sa.Index("reports_submitted", "submitted_at"),
)
timeline = sa.Table(
    "timeline",
    metadata,
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("tracking_id", sa.Text, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("detail", pg.JSONB, nullable=False),
    sa.Column("version", sa.Integer),
    sa.Column("actor_role", sa.Text),
    sa.Column("actor_agency", sa.Text),
    sa.Column("content", pg.JSONB, nullable=False, server_default="{}"),
    sa.Column("internal", pg.JSONB, nullable=False, server_default="{}"),
    sa.Index("timeline_report", "tracking_id", "position"),
)
agencies = sa.Table(
    "agencies",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("parent_code", sa.Text),
    sa.Column("region_code", sa.Text),
    sa.Column("version", sa.Integer, nullable=False),
)
EVENT_TYPES = ("report.submitted", "report.message_added", "agency.registered")


def apply(tx: sa.Connection, event: RecordedEvent) -> None:
    """Project one event; idempotent and independent of the order of a stream's events."""
    apply_many(tx, [event])


def apply_many(tx: sa.Connection, events: list[RecordedEvent]) -> None:
    """Project events (in log order) with a few statements per report: each
    group of fields is written once, from the newest event that sets it (the
    same guard as one by one, so the rows are those of applying them singly)."""
    by_report: dict[str, list[RecordedEvent]] = {}
    for event in events:
        if event.type == "agency.registered":
            _apply_agency(tx, event)
        else:
            by_report.setdefault(event.data["tracking_id"], []).append(event)
    if not by_report:
        return
    tx.execute(
        pg.insert(reports)
        .values([{"tracking_id": t, "updated_at": e[0].recorded_at} for t, e in by_report.items()])
        .on_conflict_do_nothing()
    )
    for (group, _), rows in _newest_groups(by_report).items():
        tx.execute(_group_update(group, rows[0]), rows)
    entries = [
        {"tracking_id": t, **domain.timeline_entry(e)} for t, evs in by_report.items() for e in evs
    ]
    tx.execute(pg.insert(timeline).values(entries).on_conflict_do_nothing())
    _refresh_derived(
        tx, [{"t": t, "at": max(e.recorded_at for e in evs)} for t, evs in by_report.items()]
    )


def _newest_groups(by_report: dict[str, list[RecordedEvent]]) -> dict[tuple, list[dict]]:
    """Per group (and set of fields): one parameter row per report, from the
    report's newest event setting that group."""
    found: dict[tuple, list[dict]] = {}
    for tracking_id, evs in by_report.items():
        newest: dict[str, tuple[int, dict]] = {}
        for event in evs:
            for group, values in domain.effects(event).items():
                if group not in newest or event.version >= newest[group][0]:
                    newest[group] = (event.version, values)
        for group, (version, values) in newest.items():
            row = {"t": tracking_id, "v": version, **{f"new_{k}": v for k, v in values.items()}}
            found.setdefault((group, tuple(sorted(values))), []).append(row)
    return found


def _group_update(group: str, row: dict):
    """UPDATE of a group's fields for parameter rows like `row`; a guarded
    group only where its version is older than the event's."""
    values: dict[str, Any] = {k[4:]: sa.bindparam(k) for k in row if k.startswith("new_")}
    update = reports.update().where(reports.c.tracking_id == sa.bindparam("t"))
    if group == "submission":  # before any case event the report is `submitted`
        values["status"] = sa.func.coalesce(reports.c.status, "submitted")
    guard = domain.GUARDS.get(group)
    if guard is not None:
        column = reports.c[guard]
        update = update.where(sa.func.coalesce(column, 0) < sa.bindparam("v"))
        values[guard] = sa.bindparam("v")
    return update.values(**values)


def _refresh_derived(tx: sa.Connection, rows: list[dict]) -> None:
    """Reopen count and first response from the timeline; the latest change time."""
    mine = timeline.c.tracking_id == reports.c.tracking_id
    reopens = sa.select(sa.func.count()).where(mine, timeline.c.type == "report.reopened")
    first = sa.select(sa.func.min(timeline.c.time)).where(
        mine, timeline.c.type == "report.responded"
    )
    tx.execute(
        reports.update()
        .where(reports.c.tracking_id == sa.bindparam("t"))
        .values(
            reopen_count=reopens.scalar_subquery(),
            first_response_at=first.scalar_subquery(),
            updated_at=sa.func.greatest(reports.c.updated_at, sa.bindparam("at")),
        ),
        rows,
    )


def _apply_agency(tx: sa.Connection, event: RecordedEvent) -> None:
    data = event.data
    values = {
        "name": data["name"],
        "kind": data["kind"],
        "parent_code": data["parent_code"],
        "region_code": data["region_code"],
        "version": event.version,
    }
    insert = pg.insert(agencies).values(code=data["code"], **values)
    tx.execute(
        insert.on_conflict_do_update(
            index_elements=[agencies.c.code],
            set_=values,
            where=agencies.c.version < insert.excluded.version,
        )
    )


# -- reading ------------------------------------------------------------------

_tier = (
    sa.select(agencies.c.kind)
    .where(agencies.c.code == reports.c.owner)
    .scalar_subquery()
    .label("owner_tier")
)
_ready = reports.c.submitted_at.is_not(None)  # a row from case events alone waits for its report


def report_state(conn: sa.Connection, tracking_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        sa.select(reports, _tier).where(reports.c.tracking_id == tracking_id, _ready)
    ).first()
    return dict(row._mapping) if row is not None else None


def report_timeline(conn: sa.Connection, tracking_id: str) -> list[dict[str, Any]]:
    entries = conn.execute(
        sa.select(timeline)
        .where(timeline.c.tracking_id == tracking_id)
        .order_by(timeline.c.version, timeline.c.position)
    )
    return [dict(e._mapping) for e in entries]


def tier_of(conn: sa.Connection, agency_code: str | None) -> str | None:
    if agency_code is None:
        return None
    return conn.execute(sa.select(agencies.c.kind).where(agencies.c.code == agency_code)).scalar()


def search(
    conn: sa.Connection, where: list, order_by: list, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of report states matching every condition of `where`, and the total."""
    query = sa.select(reports, _tier).where(_ready, *where)
    total = conn.execute(
        sa.select(sa.func.count()).select_from(reports).where(_ready, *where)
    ).scalar()
    rows = conn.execute(query.order_by(*order_by).limit(per_page).offset((page - 1) * per_page))
    return [dict(r._mapping) for r in rows], total


def conditions(filters: dict[str, Any], now: datetime) -> list:
    """SQL conditions for validated filters (see schemas.InboxFilters)."""
    where = []
    if "status" in filters:
        where.append(sa.func.coalesce(reports.c.status, "submitted") == filters["status"])
    if "category" in filters:
        where.append(reports.c.category == filters["category"])
    if "region_code" in filters:
        where.append(reports.c.region_code.startswith(filters["region_code"], autoescape=True))
    if "submitted_from" in filters:
        where.append(reports.c.submitted_at >= filters["submitted_from"])
    if "submitted_to" in filters:
        where.append(reports.c.submitted_at < filters["submitted_to"])
    if "overdue" in filters:
        late = sa.and_(reports.c.status.in_(OPEN_STATUSES), reports.c.due_at < now)
        where.append(late if filters["overdue"] else sa.not_(sa.func.coalesce(late, False)))
    if "open" in filters:
        closed = sa.func.coalesce(reports.c.status, "").in_(domain.CLOSED_STATUSES)
        where.append(sa.not_(closed) if filters["open"] else closed)
    return where
