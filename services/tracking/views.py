"""How a report's state and timeline are shown: to the public (and the reporter,
with the PIN), in an agency's inbox, and in an agency's case view. Pure.

The public never sees who reported (tracking does not even know), an officer's
account, an officer's notes, or the reporter's follow-up texts; report content
(description, routing reasons, the agency's response) only when the report is
not confidential.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.tracking.domain import STATUS_LABELS, is_overdue, status_of


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def owner_of(state: dict[str, Any]) -> dict[str, Any] | None:
    if not state["owner"]:
        return None
    return {"code": state["owner"], "name": state["owner_name"], "tier": state.get("owner_tier")}


def agency_of(state: dict[str, Any]) -> dict[str, str] | None:
    """The agency the report is with: its owner, or the last one once closed."""
    if not state["agency_code"]:
        return None
    return {"code": state["agency_code"], "name": state["agency_name"] or state["agency_code"]}


def case_summary(state: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One row of an inbox or of the public feed."""
    status = status_of(state)
    return {
        "tracking_id": state["tracking_id"],
        "title": state["title"],
        "status": status,
        "status_label": STATUS_LABELS[status],
        "category": state["category"],
        "region_code": state["region_code"],
        "report_type": state["report_type"],
        "agency": agency_of(state),
        "owner": owner_of(state),
        "stage": state["stage"],
        "due_at": _iso(state["due_at"]),
        "overdue": is_overdue(state, now),
        "anonymous": state["anonymous"],
        "confidential": state["confidential"],
        "submitted_at": _iso(state["submitted_at"]),
        "updated_at": _iso(state["updated_at"]),
    }


def public_entry(entry: dict[str, Any], show_content: bool) -> dict[str, Any]:
    shown = {
        "type": entry["type"],
        "time": _iso(entry["time"]),
        "actor": entry["actor"],
        "actor_role": entry["actor_role"],
        **_jsonable(entry["detail"]),
    }
    if "status" in entry["detail"]:
        shown["status_label"] = STATUS_LABELS[entry["detail"]["status"]]["id"]
    if show_content:
        shown.update(_jsonable(entry["content"]))
    return shown


def public_report(
    state: dict[str, Any], timeline: list[dict[str, Any]], now: datetime, reporter: bool = False
) -> dict[str, Any]:
    """The report as the public may see it; with `reporter` (who proved it
    with the PIN) also the content of a confidential report: it is theirs."""
    open_content = reporter or not state["confidential"]
    view = case_summary(state, now)
    view.update(
        description=state["description"] if open_content else None,
        closed_at=_iso(state["closed_at"]),
        first_response_at=_iso(state["first_response_at"]),
        reopen_count=state["reopen_count"],
        timeline=[
            public_entry(e, open_content)
            for e in timeline
            if e["type"] != "report.deadline_approaching"  # an internal reminder
        ],
    )
    return view


def case_detail(
    state: dict[str, Any], timeline: list[dict[str, Any]], now: datetime
) -> dict[str, Any]:
    """Everything an agency handling the report sees (still no reporter identity)."""
    view = case_summary(state, now)
    view.update(
        description=state["description"],
        channel=state["channel"],
        complexity=state["complexity"],
        closed_at=_iso(state["closed_at"]),
        first_response_at=_iso(state["first_response_at"]),
        reopen_count=state["reopen_count"],
        timeline=[
            {
                **public_entry(e, True),
                "actor_agency": e["actor_agency"],
                **_jsonable(e["internal"]),
            }
            for e in timeline
        ],
    )
    return view


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) if isinstance(v, datetime) else v for k, v in values.items()}
