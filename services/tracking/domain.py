"""What a report's history means for the people following it: pure rules, no I/O.

Every case event (lapor/contracts/case.py) states the case as it leaves it,
so the report's state is the data of the case event with the highest stream
version, whatever order events arrive in. `effects` splits what one event
says into groups of fields, each guarded by the stream version that last set
it; applying an event is "set the group when this version is newer". Both the
SQL projection (adapters/projection.py) and `fold` apply exactly these
effects, so a report folded from its stream equals its projected row.

Statuses: `submitted` (received, not yet routed) and the case statuses of
`lapor.contracts.case.STATUS_LABELS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from lapor.contracts.case import CASE_EVENTS, OPEN_STATUSES, REPORT_STATUS_WORDS

STATUS_LABELS = {s: {"id": id_, "en": en} for s, (id_, en) in REPORT_STATUS_WORDS.items()}
STATUSES = tuple(STATUS_LABELS)
CLOSED_STATUSES = ("archived", "closed")
# who acted, as the public timeline names the role (the contract's ACTOR_ROLES)
ACTOR_WORDS = {
    "reporter": "pelapor",
    "system": "sistem",
    "national_admin": "admin nasional",
    "coordinator": "koordinator",
    "officer": "pejabat penghubung",
    "agency_system": "sistem instansi",
}
REPORTER = {"role": "reporter", "agency_code": None, "account": None}
SYSTEM = {"role": "system", "agency_code": None, "account": None}

# the version column guarding each group of fields
GUARDS = {
    "case": "case_version",
    "naming": "named_version",
    "classification": "class_version",
    "privacy": "privacy_version",
}
CASE_FIELDS = ("status", "owner", "owner_name", "stage", "due_at", "agency_code", "closed_at")
SUBMISSION_FIELDS = ("title", "description", "region_code", "channel", "submitted_at")

# per event type: the fields the public may always see, and those that are
# report content (shown to agencies, and publicly only for non-confidential reports)
PUBLIC_FIELDS = {
    "report.submitted": ("channel",),
    "report.message_added": ("kind", "channel"),
    "report.routed": ("confidence",),
    "report.verified": ("report_type", "category", "complexity"),
    "report.archived": ("reason",),
    "report.merged": ("into",),
    "report.assigned": ("from_agency",),
    "report.disposed": ("from_agency",),
    "report.returned": ("from_agency", "suggested_agency"),
    "report.reopened": ("reason",),
    "report.closed": ("reason",),
    "report.escalated": ("from_agency", "breached_stage", "breached_due_at"),
    "report.privacy_changed": ("anonymous", "confidential"),
}
CONTENT_FIELDS = {
    # reason_id: the reason in Indonesian (report.routed v3; absent before)
    "report.routed": ("reason", "reason_id"),
    "report.returned": ("reason",),
    "report.responded": ("message", "attachments"),
}
# shown only to agencies: the reporter's own words after submission, officers' notes
INTERNAL_FIELDS = {"report.message_added": ("message",)}
CASE_STATE = ("status", "owner", "owner_name", "stage", "due_at")


class Event(Protocol):
    """What the rules need of a recorded event (lapor.eventstore.RecordedEvent fits)."""

    event_id: Any
    type: str
    version: int
    position: int
    recorded_at: datetime
    data: dict[str, Any]


def effects(event: Event) -> dict[str, dict[str, Any]]:
    """The groups of report fields this event sets, by group name."""
    data, at = event.data, event.recorded_at
    if event.type == "report.submitted":
        return {
            "submission": {f: data[f] for f in SUBMISSION_FIELDS if f != "submitted_at"}
            | {"submitted_at": at},
            "classification": {
                "category": data["category"],
                "report_type": data["report_type"],
                "complexity": None,
            },
            "privacy": {"anonymous": data["anonymous"], "confidential": data["confidential"]},
        }
    if event.type not in CASE_EVENTS:
        return {}
    found = {"case": _case_fields(data, at)}
    if data["owner"] and data["owner_name"]:  # the agency it concerns is its owner
        found["naming"] = {"agency_name": data["owner_name"]}
    if event.type == "report.verified":
        found["classification"] = {f: data[f] for f in ("category", "report_type", "complexity")}
    if event.type == "report.privacy_changed":
        found["privacy"] = {f: data[f] for f in ("anonymous", "confidential")}
    return found


def _case_fields(data: dict, at: datetime) -> dict[str, Any]:
    closed = data["status"] in CLOSED_STATUSES
    return {
        "status": data["status"],
        "owner": data["owner"],
        "owner_name": data["owner_name"],
        "stage": data["stage"],
        "due_at": _time(data["due_at"]),
        "agency_code": data["agency_code"],
        "closed_at": at if closed else None,
    }


def _time(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def actor_of(event: Event) -> dict[str, Any]:
    """The event's actor; the reporter's events carry none and are the reporter's."""
    if event.type in ("report.submitted", "report.message_added"):
        return REPORTER
    return event.data.get("actor") or SYSTEM


def timeline_entry(event: Event) -> dict[str, Any]:
    """The event as a timeline row: actor by role (never an account), public
    detail, and the content shown only where the privacy level allows."""
    data, actor = event.data, actor_of(event)
    detail = _pick(data, PUBLIC_FIELDS.get(event.type, ()))
    if event.type in CASE_EVENTS:
        detail |= {f: data[f] for f in CASE_STATE}
    return {
        "event_id": event.event_id,
        "version": event.version,
        "position": event.position,
        "type": event.type,
        "time": event.recorded_at,
        "actor": ACTOR_WORDS[actor["role"]],
        "actor_role": actor["role"],
        "actor_agency": actor["agency_code"] if actor["role"] != "reporter" else None,
        "detail": detail,
        "content": _pick(data, CONTENT_FIELDS.get(event.type, ())),
        "internal": _pick(data, INTERNAL_FIELDS.get(event.type, ("note",))),
    }


def _pick(data: dict, names: Iterable[str]) -> dict[str, Any]:
    return {f: data[f] for f in names if data.get(f) is not None}


def new_state(tracking_id: str) -> dict[str, Any]:
    state: dict[str, Any] = dict.fromkeys(
        CASE_FIELDS + SUBMISSION_FIELDS + tuple(GUARDS.values()), None
    )
    state.update(
        tracking_id=tracking_id,
        agency_name=None,
        category=None,
        report_type=None,
        complexity=None,
        anonymous=None,
        confidential=None,
        updated_at=None,
    )
    return state


def apply(state: dict[str, Any], event: Event) -> None:
    """Apply one event's effects in place: a group only when the event is newer."""
    for group, values in effects(event).items():
        guard = GUARDS.get(group)
        if guard is None:
            state.update(values)
        elif event.version > (state[guard] or 0):
            state.update(values)
            state[guard] = event.version
    if state["updated_at"] is None or event.recorded_at > state["updated_at"]:
        state["updated_at"] = event.recorded_at


def derived(timeline: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """What the timeline says as a whole: reopenings and the first response."""
    entries = list(timeline)
    responses = [e["time"] for e in entries if e["type"] == "report.responded"]
    return {
        "reopen_count": sum(e["type"] == "report.reopened" for e in entries),
        "first_response_at": min(responses) if responses else None,
    }


def fold(tracking_id: str, events: Iterable[Event]) -> tuple[dict, list[dict]]:
    """The report's state and timeline from its events, in any order, duplicates ignored."""
    state, entries = new_state(tracking_id), {}
    for event in events:
        if event.event_id in entries:
            continue
        apply(state, event)
        entries[event.event_id] = timeline_entry(event)
    timeline = sorted(entries.values(), key=lambda e: e["version"])
    state.update(derived(timeline))
    return state, timeline


def status_of(state: dict[str, Any]) -> str:
    return state["status"] or "submitted"


def is_overdue(state: dict[str, Any], now: datetime) -> bool:
    """A case is overdue when its stage's due time has passed while it is open."""
    due = state["due_at"]
    return status_of(state) in OPEN_STATUSES and due is not None and due < now
