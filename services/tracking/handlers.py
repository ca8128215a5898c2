"""Tracking's use cases."""

from __future__ import annotations

import sqlalchemy as sa

from lapor.eventstore import RecordedEvent
from services.tracking.adapters import projection
from services.tracking.domain import STATUS_LABELS


def project(event: RecordedEvent, tx: sa.Connection) -> None:
    projection.apply(tx, event)


def public_report(conn: sa.Connection, tracking_id: str) -> dict | None:
    """The report as its reporter and the public may see it."""
    found = projection.report_view(conn, tracking_id)
    if found is None:
        return None
    report = found["report"]
    agency = (
        {"code": report["agency_code"], "name": report["agency_name"]}
        if report["agency_code"]
        else None
    )
    return {
        "tracking_id": report["tracking_id"],
        "status": report["status"],
        "status_label": STATUS_LABELS[report["status"]],
        "title": report["title"],
        "category": report["category"],
        "region_code": report["region_code"],
        "report_type": report["report_type"],
        "confidential": report["confidential"],
        "anonymous": report["anonymous"],
        "agency": agency,
        "submitted_at": report["submitted_at"].isoformat(),
        "updated_at": report["updated_at"].isoformat(),
        "timeline": [
            {"type": e["type"], "time": e["time"].isoformat(), "actor": e["actor"], **e["detail"]}
            for e in found["timeline"]
        ],
    }
