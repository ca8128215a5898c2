"""Notify's use cases: record what to tell whom, then send it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

import sqlalchemy as sa

from lapor.eventstore import RecordedEvent
from services.notify.adapters import outbox
from services.notify.adapters.email import render
from services.notify.domain import SUBJECTS, notices_for

log = logging.getLogger(__name__)


class EmailSender(Protocol):
    def send(self, to: str, subject: str, body: str, message_id: str) -> None: ...


def record_notices(event: RecordedEvent, tx: sa.Connection) -> None:
    for notice in notices_for(event.type, event.data):
        outbox.record(
            tx,
            event.event_id,
            notice.recipient,
            notice.channel,
            notice.template,
            event.data["tracking_id"],
            event.data["confidential"],
        )


def send_pending(
    engine: sa.Engine,
    contact_of: Callable[[str], dict | None],
    email: EmailSender,
    tracking_url: str,
    language: str = "id",
    batch: int = 50,
) -> int:
    """Send what is pending; each notification ends as sent, skipped or failed."""
    sent = 0
    for item in outbox.claim_pending(engine, batch):
        contact = contact_of(item["recipient"]) or {}
        if not contact.get("email"):
            outbox.finish(engine, item["id"], "skipped", "reporter has no email address")
            continue
        tracking_id = item["tracking_id"]
        body = render(
            item["template"],
            language,
            tracking_id=tracking_id,
            confidential=item["confidential"],
            tracking_url=f"{tracking_url}/{tracking_id}",
        )
        try:
            email.send(
                contact["email"],
                SUBJECTS[(item["template"], language)].format(tracking_id=tracking_id),
                body,
                f"<{item['event_id']}.{item['id']}@lapor>",
            )
        except Exception as exc:  # noqa: BLE001 - recorded; retries come with the notify issue
            outbox.finish(engine, item["id"], "failed", f"{type(exc).__name__}: {exc}")
            log.warning("email failed", extra={"notification": item["id"]})
            continue
        outbox.finish(engine, item["id"], "sent")
        sent += 1
    return sent
