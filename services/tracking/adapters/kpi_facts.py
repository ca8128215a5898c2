"""tracking.kpi_facts, kpi_agencies, kpi_accounts: what the KPIs are computed
from, kept by the consumer `tracking.kpis`; and the same facts as of a past
moment, folded from the log.

A report's facts are recomputed from its stream (up to the event at hand)
with `kpis.fold` and replace the previous ones, so the table always says what
the fold says, whatever was applied before.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor.contracts.case import CASE_EVENTS
from lapor.contracts.report import report_stream
from lapor.envelope import upcast_recorded
from lapor.eventstore import RecordedEvent, _recorded, events, read_streams
from services.tracking import kpis

metadata = sa.MetaData(schema="tracking")
facts_table = sa.Table(
    "kpi_facts",
    metadata,
    sa.Column("tracking_id", sa.Text, primary_key=True),
    sa.Column("agency_code", sa.Text, primary_key=True),  # '': the report as a whole
    sa.Column("region_code", sa.Text, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("verified_at", sa.DateTime(timezone=True)),
    sa.Column("verified_within", sa.Boolean),
    sa.Column("responded_at", sa.DateTime(timezone=True)),
    sa.Column("responded_within", sa.Boolean),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("reopened", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # the stream version folded up to
)
agencies_table = sa.Table(
    "kpi_agencies",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("kind", sa.Text),
    sa.Column("region_code", sa.Text),
    sa.Column("parent_code", sa.Text),
    sa.Column("decree_number", sa.Text),
    sa.Column("decree_date", sa.Date),
)
accounts_table = sa.Table(
    "kpi_accounts",
    metadata,
    sa.Column("agency_code", sa.Text, primary_key=True),
    sa.Column("account", sa.Text, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("role", sa.Text, primary_key=True),  # in either order, the same rows
)
EVENT_TYPES = (*CASE_EVENTS, "agency.registered", "agency.profile_set")
REPORT_EVENTS = ("report.submitted", *CASE_EVENTS)


def apply(tx: sa.Connection, event: RecordedEvent) -> None:
    apply_many(tx, [event])


def apply_many(tx: sa.Connection, events: list[RecordedEvent]) -> None:
    """Apply events (in log order): agencies' rows, accounts' activity, and
    each report's facts folded once, up to its newest event here."""
    activity, newest = [], {}
    for event in events:
        changes = kpis.agency_changes(event)
        if changes is not None:
            upsert = pg.insert(agencies_table).values(code=event.data["code"], **changes)
            tx.execute(upsert.on_conflict_do_update(index_elements=["code"], set_=changes))
            continue
        if (found := kpis.account_activity(event)) is not None:
            activity.append(found)
        if event.type in kpis.FACT_EVENTS:
            tracking_id = event.data["tracking_id"]
            newest[tracking_id] = max(event.version, newest.get(tracking_id, 0))
    if activity:
        tx.execute(pg.insert(accounts_table).values(activity).on_conflict_do_nothing())
    if newest:
        _refold(tx, newest)


def _refold(tx: sa.Connection, newest: dict[str, int]) -> None:
    """Fold each report's stream up to its newest event applied, or further if
    an event applied before went further (an old event applied again changes
    nothing), and replace the report's facts. `newest`: tracking id -> version."""
    ids = list(newest)
    folded = dict(
        tx.execute(
            sa.select(facts_table.c.tracking_id, sa.func.max(facts_table.c.version))
            .where(facts_table.c.tracking_id.in_(ids))
            .group_by(facts_table.c.tracking_id)
        ).all()
    )
    histories = read_streams(tx, [report_stream(t) for t in ids])
    rows = []
    for tracking_id, version in newest.items():
        upto = max(version, folded.get(tracking_id) or 0)
        history = [
            upcast_recorded(e)
            for e in histories.get(report_stream(tracking_id), [])
            if e.version <= upto and e.type in REPORT_EVENTS
        ]
        rows += [{**f.as_row(), "version": upto} for f in kpis.fold(history)]
    tx.execute(facts_table.delete().where(facts_table.c.tracking_id.in_(ids)))
    if rows:
        tx.execute(pg.insert(facts_table).values(rows))


# -- reading --------------------------------------------------------------------


def live_facts(
    conn: sa.Connection, period_from: datetime | None, period_to: datetime | None
) -> list[kpis.Facts]:
    query = sa.select(*(c for c in facts_table.c if c.name != "version"))
    if period_from is not None:
        query = query.where(facts_table.c.received_at >= period_from)
    if period_to is not None:
        query = query.where(facts_table.c.received_at < period_to)
    return [kpis.Facts(**row._mapping) for row in conn.execute(query)]


def live_agencies(conn: sa.Connection) -> list[dict]:
    return [_agency(row._mapping) for row in conn.execute(sa.select(agencies_table))]


def live_accounts(conn: sa.Connection, day_from: date | None, day_to: date | None) -> list[dict]:
    query = sa.select(accounts_table.c.agency_code, accounts_table.c.account)
    if day_from is not None:
        query = query.where(accounts_table.c.day >= day_from)
    if day_to is not None:
        query = query.where(accounts_table.c.day < day_to)
    return [dict(row._mapping) for row in conn.execute(query.distinct())]


def _agency(row) -> dict:
    found = dict(row)
    if isinstance(found.get("decree_date"), date):
        found["decree_date"] = found["decree_date"].isoformat()
    return found


# -- as of a past moment, from the log -----------------------------------------


def _log_until(conn: sa.Connection, as_of: datetime, types) -> list[RecordedEvent]:
    rows = conn.execute(
        sa.select(events)
        .where(events.c.recorded_at <= as_of, events.c.type.in_(list(types)))
        .order_by(events.c.position)
    )
    return [upcast_recorded(_recorded(row)) for row in rows]


def facts_as_of(conn: sa.Connection, as_of: datetime) -> list[kpis.Facts]:
    """Every report's facts as the log stood at `as_of` (events recorded until then)."""
    streams: dict[str, list[RecordedEvent]] = {}
    for event in _log_until(conn, as_of, REPORT_EVENTS):
        streams.setdefault(event.stream, []).append(event)
    return [f for history in streams.values() for f in kpis.fold(history)]


def agencies_as_of(conn: sa.Connection, as_of: datetime) -> list[dict]:
    found: dict[str, dict] = {}
    for event in _log_until(conn, as_of, ("agency.registered", "agency.profile_set")):
        row = found.setdefault(
            event.data["code"],
            {"code": event.data["code"], "name": None, "kind": None, "region_code": None,
             "parent_code": None, "decree_number": None, "decree_date": None},
        )  # fmt: skip
        row.update(kpis.agency_changes(event))
    return list(found.values())


def accounts_as_of(
    conn: sa.Connection, as_of: datetime, day_from: date | None, day_to: date | None
) -> list[dict]:
    seen = set()
    for event in _log_until(conn, as_of, CASE_EVENTS):
        activity = kpis.account_activity(event)
        if activity is None:
            continue
        if (day_from and activity["day"] < day_from) or (day_to and activity["day"] >= day_to):
            continue
        seen.add((activity["agency_code"], activity["account"]))
    return [{"agency_code": a, "account": b} for a, b in sorted(seen)]


# -- the answers of tracking's KPI RPCs ---------------------------------------------


def _day(at: datetime | None) -> date | None:
    return None if at is None else at.astimezone(kpis.JAKARTA).date()


def kpi_table(
    conn: sa.Connection,
    group_by: str,
    period_from: datetime | None = None,
    period_to: datetime | None = None,
    as_of: datetime | None = None,
    region_level: int = 1,
    region_code: str | None = None,
) -> list[dict]:
    """KPIs per group of the reports received in the period: from the facts
    table, or with `as_of` from the log's events recorded until then."""
    if as_of is None:
        facts = live_facts(conn, period_from, period_to)
    else:
        facts = facts_as_of(conn, as_of)
    return kpis.aggregate(facts, group_by, period_from, period_to, region_level, region_code)


def region_report(
    conn: sa.Connection,
    region_code: str,
    period_from: datetime | None = None,
    period_to: datetime | None = None,
    as_of: datetime | None = None,
) -> dict:
    """The "good region" indicators of DOMAIN.md section 7 for one region."""
    day_from, day_to = _day(period_from), _day(period_to)
    if as_of is None:
        facts = live_facts(conn, period_from, period_to)
        agencies, accounts = live_agencies(conn), live_accounts(conn, day_from, day_to)
    else:
        facts = [
            f
            for f in facts_as_of(conn, as_of)
            if (period_from is None or f.received_at >= period_from)
            and (period_to is None or f.received_at < period_to)
        ]
        agencies = agencies_as_of(conn, as_of)
        accounts = accounts_as_of(conn, as_of, day_from, day_to)
    return kpis.region_indicators(region_code, agencies, accounts, facts)
