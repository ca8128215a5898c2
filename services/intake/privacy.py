"""What an agency may learn of the reporter: their contact, only while the
report is not anonymous.

The report's stream decides: `report.submitted` sets the privacy chosen at
intake, and each `report.privacy_changed` (only the reporter may weaken it)
replaces it. Anything unclear counts as anonymous: a reporter exposed by
mistake cannot be hidden again.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from lapor import eventstore
from lapor.contracts.report import report_stream
from lapor.envelope import upcast_recorded
from lapor.eventstore import RecordedEvent
from services.intake.adapters import store
from services.intake.domain import TRACKING_ID


def identifiable_reporter(history: Iterable[tuple[str, dict]]) -> str | None:
    """The reporter_ref of a report whose reporter agencies may know, else None.

    >>> identifiable_reporter([("report.submitted", {"reporter_ref": "r1", "anonymous": False})])
    'r1'
    >>> identifiable_reporter([
    ...     ("report.submitted", {"reporter_ref": "r1", "anonymous": False}),
    ...     ("report.privacy_changed", {"anonymous": True, "confidential": False}),
    ... ])
    """
    ref, anonymous = None, True
    for event_type, data in history:
        if event_type == "report.submitted":
            ref, anonymous = data.get("reporter_ref"), data.get("anonymous", True) is not False
        elif event_type == "report.privacy_changed":
            anonymous = data.get("anonymous", True) is not False
    return None if anonymous else ref


def reporter_contact_for_agency(conn: sa.Connection, tracking_id: str) -> dict | None:
    """The contact (name, email, phone, language) of a report's reporter for
    the agency handling it; None for an anonymous report or an unknown one."""
    history = report_history(conn, tracking_id)
    ref = identifiable_reporter((e.type, e.data) for e in history)
    return store.reporter_contact(conn, ref) if ref else None


def report_history(conn: sa.Connection, tracking_id: object) -> list[RecordedEvent]:
    """The report's events, upcast, for a tracking id as a caller gave it
    (spaces and case ignored); none for an unknown or malformed id."""
    if not isinstance(tracking_id, str):
        return []
    tracking_id = tracking_id.strip().upper()
    if not TRACKING_ID.match(tracking_id):
        return []
    return [upcast_recorded(e) for e in eventstore.read_stream(conn, report_stream(tracking_id))]
