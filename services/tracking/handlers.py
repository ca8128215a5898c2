"""Tracking's use cases: project events; answer about reports, inboxes, the feed,
the past, and the integrity of a report's history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from lapor.contracts.report import report_stream
from lapor.envelope import upcast_recorded
from lapor.eventstore import RecordedEvent, read_stream, verify_stream
from services.tracking import domain, schemas, views
from services.tracking.adapters import projection


def project(event: RecordedEvent, tx: sa.Connection) -> None:
    projection.apply(tx, event)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _projected(conn: sa.Connection, tracking_id: str):
    state = projection.report_state(conn, tracking_id)
    if state is None:
        return None, []
    return state, projection.report_timeline(conn, tracking_id)


def public_report(
    conn: sa.Connection, tracking_id: str, now: datetime | None = None, reporter: bool = False
) -> dict | None:
    """The report as the public may see it, or (`reporter`) its reporter."""
    state, timeline = _projected(conn, tracking_id)
    return views.public_report(state, timeline, _now(now), reporter) if state else None


def case_detail(conn: sa.Connection, tracking_id: str, now: datetime | None = None) -> dict | None:
    """Everything about the report for the agencies handling it."""
    state, timeline = _projected(conn, tracking_id)
    return views.case_detail(state, timeline, _now(now)) if state else None


def inbox(
    conn: sa.Connection,
    agencies: list[str] | None,
    filters: Any,
    page: Any = 1,
    per_page: Any = 20,
    now: datetime | None = None,
) -> dict:
    """The reports owned by `agencies` (None: every report), soonest due first."""
    loaded = schemas.load(schemas.InboxFilters(), filters, page, per_page)
    if isinstance(loaded, dict):
        return {"error": loaded}
    if agencies is not None and not isinstance(agencies, list | tuple):
        return {"error": {"status": 400, "errors": {"agencies": ["Give a list of codes."]}}}
    found, paging = loaded
    now = _now(now)
    where = projection.conditions(found, now)
    if agencies is not None:
        where.append(projection.reports.c.owner.in_(list(agencies)))
    r = projection.reports.c
    order = [r.due_at.asc().nulls_last(), r.submitted_at, r.tracking_id]
    return _page(conn, where, order, paging, now)


def public_feed(
    conn: sa.Connection, filters: Any, page: Any = 1, per_page: Any = 20, now=None
) -> dict:
    """Non-confidential reports, newest first, as the public may see them."""
    loaded = schemas.load(schemas.FeedFilters(), filters, page, per_page)
    if isinstance(loaded, dict):
        return {"error": loaded}
    found, paging = loaded
    now = _now(now)
    r = projection.reports.c
    where = [*projection.conditions(found, now), r.confidential.is_(False)]
    return _page(conn, where, [r.submitted_at.desc(), r.tracking_id], paging, now)


def _page(conn: sa.Connection, where: list, order: list, paging: dict, now: datetime) -> dict:
    rows, total = projection.search(conn, where, order, paging["page"], paging["per_page"])
    return {
        "items": [views.case_summary(row, now) for row in rows],
        "total": total,
        **paging,
    }


def status_as_of(conn: sa.Connection, tracking_id: str, at: Any) -> dict | None:
    """The public view of the report as it stood at `at`: its stream's events
    recorded up to then, folded with the same rules as the projection."""
    moment = schemas.load_moment(at)
    if isinstance(moment, dict):
        return {"error": moment}
    recorded = [
        upcast_recorded(e)
        for e in read_stream(conn, report_stream(tracking_id))
        if e.recorded_at <= moment
    ]
    if not any(e.type == "report.submitted" for e in recorded):
        return None
    state, timeline = domain.fold(tracking_id, recorded)
    state["owner_tier"] = projection.tier_of(conn, state["owner"])
    return {**views.public_report(state, timeline, moment), "as_of": moment.isoformat()}


def verify_report(conn: sa.Connection, tracking_id: str) -> dict | None:
    """Whether the report's history is intact, and the first event that is not."""
    result = verify_stream(conn, report_stream(tracking_id))
    if result.events == 0 and not result.problems:
        return None
    bad = None
    if result.first_bad_event_id is not None:
        event = next(
            e for e in read_stream(conn, result.stream) if e.version == result.first_bad_version
        )
        bad = {
            "event_id": str(event.event_id),
            "version": event.version,
            "type": event.type,
            "recorded_at": event.recorded_at.isoformat(),
        }
    return {
        "tracking_id": tracking_id,
        "intact": result.intact,
        "events": result.events,
        "problems": result.problems,
        "first_bad_event": bad,
    }
