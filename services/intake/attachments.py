"""Which kept files belong to a report, and the files themselves.

Intake keeps every attachment once, by its SHA-256 (`intake.attachments`), so
a hash alone says nothing about which report a file came with. A report's own
stream decides: a file belongs to it when one of its events names it. The
reporter's come with `report.submitted` and `report.message_added`, the
agency's with `report.responded`. Whoever asks for a file asks for it as a
report's, and gets nothing for a hash its report does not name.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from lapor.contracts.report import ATTACHMENT_SHA256
from services.intake.adapters import store
from services.intake.privacy import report_history

# the events that carry attachments, and whose they are
FROM = {
    "report.submitted": "reporter",
    "report.message_added": "reporter",
    "report.responded": "agency",
}


def named_attachments(history: Iterable[tuple[str, dict, datetime]]) -> list[dict]:
    """The attachments a report's events name, each once (where it was first
    named), in the order of the stream.

    >>> from datetime import datetime, UTC
    >>> ref = {"sha256": "a" * 64, "size": 3, "media_type": "image/png"}
    >>> at = datetime(2026, 11, 23, tzinfo=UTC)
    >>> [(a["from"], a["event"]) for a in named_attachments([
    ...     ("report.submitted", {"attachments": [ref]}, at),
    ...     ("report.routed", {}, at),
    ...     ("report.responded", {"attachments": [ref]}, at),
    ... ])]
    [('reporter', 'report.submitted')]
    """
    found: dict[str, dict] = {}
    for event_type, data, recorded_at in history:
        if event_type not in FROM:
            continue
        for ref in data.get("attachments") or ():
            found.setdefault(
                ref["sha256"],
                {
                    "sha256": ref["sha256"],
                    "size": ref["size"],
                    "media_type": ref["media_type"],
                    "from": FROM[event_type],
                    "event": event_type,
                    "time": recorded_at.isoformat(),
                },
            )
    return list(found.values())


def _history(conn: sa.Connection, tracking_id: object) -> list[tuple[str, dict, datetime]]:
    return [(e.type, e.data, e.recorded_at) for e in report_history(conn, tracking_id)]


def report_attachments(conn: sa.Connection, tracking_id: object) -> list[dict] | None:
    """The report's attachments (`named_attachments`), or None for no such report."""
    history = _history(conn, tracking_id)
    return named_attachments(history) if history else None


def report_attachment(conn: sa.Connection, tracking_id: object, sha256: object) -> dict | None:
    """One of the report's attachments with its content (base64), or None when
    the report does not name that file."""
    if not isinstance(sha256, str) or re.fullmatch(ATTACHMENT_SHA256, sha256) is None:
        return None
    named = [a for a in report_attachments(conn, tracking_id) or () if a["sha256"] == sha256]
    kept = store.attachment(conn, sha256) if named else None
    if kept is None:
        return None
    return {**named[0], "content": base64.b64encode(kept["content"]).decode("ascii")}
