"""Notify's use cases: record what to tell whom, send it, hear what became of it."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import sqlalchemy as sa

from lapor import eventstore
from lapor.contracts.notification import DLR_STATUS, contact_stream, notification_stream
from lapor.eventstore import ANY_VERSION, NewEvent, RecordedEvent
from services.notify import domain
from services.notify.adapters import outbox
from services.notify.adapters.email import Email, render

log = logging.getLogger(__name__)
SOURCE = "/lapor/notify"


class EmailSender(Protocol):
    def send(self, email: Email) -> None: ...


class SmsSender(Protocol):
    def send(self, to: str, text: str, dlr_url: str) -> None: ...


class Throttle:
    """At most `rate` sends a second from this process (0: no limit). Green
    threads reserve slots in turn, so a burst is spread evenly."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock, self.sleep, self.next_slot = clock, sleep, 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        slot = max(now, self.next_slot)
        self.next_slot = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


@dataclass
class Deps:
    engine: sa.Engine
    contact_of: Callable[[str], dict | None]  # intake's reporter_contact
    email: EmailSender
    sms: SmsSender | None
    key: bytes  # signs links, keys the opt-out digests
    public_url: str  # the gateway, as reporters and Kannel reach it
    reply_to: str  # e.g. "laporan+{tracking_id}@lapor.local"
    policy: domain.Policy = field(default_factory=domain.Policy)
    throttles: dict = field(default_factory=dict)  # channel -> Throttle
    lease_seconds: float = 60.0


# -- recording (inside the event's transaction) ----------------------------------


def record_notices(event: RecordedEvent, tx: sa.Connection) -> None:
    data = event.data
    if event.type == "report.submitted":
        outbox.remember_report(tx, data)
    elif event.type == "report.privacy_changed":
        # later notices follow the report's privacy (SMS of a confidential
        # report carry no content); the event itself tells nobody
        outbox.set_confidential(tx, data["tracking_id"], data["confidential"])
    # a refused inbound message (`inbound.rejected`) concerns no report
    tracking_id = data.get("tracking_id")
    report = (outbox.report_of(tx, tracking_id) if tracking_id else None) or {}
    notices = domain.notices_for(event.type, data, report.get("reporter_ref"))
    for notice in notices:
        outbox.record(
            tx,
            event.event_id,
            notice,
            tracking_id,
            bool(report.get("confidential", data.get("confidential", False))),
            report.get("channel") or data.get("channel"),
        )


def project_opt_out(event: RecordedEvent, tx: sa.Connection) -> None:
    data = event.data
    outbox.add_opt_out(tx, data["channel"], data["contact_digest"], data["via"])


# -- sending ----------------------------------------------------------------------


def send_due(deps: Deps, run_concurrently: Callable[[Callable[[], int]], int]) -> int:
    """Send everything that is due; `run_concurrently(worker)` runs `worker`
    in several green threads and returns the sum of their results."""
    outbox.reclaim_stale(deps.engine, deps.lease_seconds, deps.policy.max_ambiguous)

    def worker() -> int:
        done = 0
        while (item := outbox.claim_one(deps.engine)) is not None:
            send_one(deps, item)
            done += 1
        return done

    return run_concurrently(worker)


def send_one(deps: Deps, item: dict) -> str:
    """One attempt of one notification; returns the status it ends in."""
    try:
        contact = _contact(deps, item)
    except Exception as exc:  # noqa: BLE001 - intake unreachable: nothing was sent, retry
        return _finish(deps, item, domain.SendError(f"contact unavailable: {exc}"), None)
    if contact is None:
        outbox.skip(deps.engine, item, "unknown recipient")
        return "skipped"
    if not item["recipient"].startswith(domain.AGENCY_PREFIX):
        reason = domain.channel_applies(item["channel"], item["origin_channel"], contact)
        if reason:
            outbox.skip(deps.engine, item, reason)
            return "skipped"
    elif not contact.get("email"):
        outbox.skip(deps.engine, item, "agency has no contact email")
        return "skipped"
    address = contact["phone"] if item["channel"] == "sms" else contact["email"]
    digest = domain.contact_digest(deps.key, item["channel"], address)
    if outbox.opted_out(deps.engine, item["channel"], digest):
        outbox.skip(deps.engine, item, "opted out")
        return "skipped"
    if item["channel"] == "sms" and deps.sms is None:
        outbox.skip(deps.engine, item, "no SMS gateway configured")
        return "skipped"
    language = domain.language_of(contact)
    rendered = render(item["template"], language, **_values(deps, item))
    throttle = deps.throttles.get(item["channel"])
    if throttle:
        throttle.wait()
    try:
        if item["channel"] == "sms":
            deps.sms.send(address, domain.gsm7_fold(rendered.sms), _dlr_url(deps, item))
        else:
            deps.email.send(_email(deps, item, address, rendered))
    except Exception as exc:  # noqa: BLE001 - every failure ends in a recorded state
        return _finish(deps, item, exc, language)
    return _finish(deps, item, None, language)


def _finish(deps: Deps, item: dict, error: Exception | None, language: str | None) -> str:
    outcome = domain.after_attempt(
        deps.policy, item["attempts"], item["ambiguous_attempts"], error, datetime.now(UTC)
    )
    if error is not None:
        log.warning(
            "send attempt failed",
            extra={"notification": item["id"], "status": outcome.status, "error": outcome.error},
        )
    outbox.finish(deps.engine, item, outcome, language)
    return outcome.status


def _contact(deps: Deps, item: dict) -> dict | None:
    recipient = item["recipient"]
    if recipient.startswith(domain.AGENCY_PREFIX):
        return outbox.agency_contact(deps.engine, recipient.removeprefix(domain.AGENCY_PREFIX))
    return deps.contact_of(recipient)


def _values(deps: Deps, item: dict) -> dict:
    reference = str(item["reference"])
    reporter_email = item["channel"] == "email" and item["recipient"][:7] != "agency:"
    return {
        **domain.TEMPLATE_DEFAULTS,
        **item["template_values"],
        "tracking_id": item["tracking_id"] or "",
        "tracking_url": (
            f"{deps.public_url}/lacak/{item['tracking_id']}" if item["tracking_id"] else ""
        ),
        "form_url": f"{deps.public_url}/lapor",
        "confidential": item["confidential"],
        "unsubscribe_url": (
            f"{deps.public_url}/api/v1/notify/unsubscribe/{reference}"
            f"?s={domain.sign(deps.key, 'unsubscribe:' + reference)}"
            if reporter_email
            else None
        ),
    }


def _dlr_url(deps: Deps, item: dict) -> str:
    """Kannel fills in %d (the report type) when it calls back."""
    reference = str(item["reference"])
    signature = domain.sign(deps.key, "dlr:" + reference)
    return f"{deps.public_url}/api/v1/notify/sms/dlr/{reference}?s={signature}&type=%d"


def _email(deps: Deps, item: dict, address: str, rendered) -> Email:
    values = _values(deps, item)
    return Email(
        to=address,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=f"<{item['reference']}@lapor>",
        reply_to=(
            deps.reply_to.format(tracking_id=item["tracking_id"])
            if item["tracking_id"]
            else domain.untracked_address(deps.reply_to)
        ),
        unsubscribe_url=values["unsubscribe_url"],
    )


# -- what comes back ------------------------------------------------------------


def delivery_report(engine: sa.Engine, key: bytes, reference: str, signature: str, dlr_type):
    """Kannel's report on one SMS: recorded as an event and applied to the
    notification in one transaction. Returns False for a forged or unknown one."""
    if not _uuid(reference) or not domain.signature_valid(key, "dlr:" + reference, signature):
        return False
    try:
        dlr_type = int(dlr_type)
        status = DLR_STATUS[dlr_type]
    except (TypeError, ValueError, KeyError):
        return False
    with engine.begin() as tx:
        tracking_id = outbox.apply_delivery_report(
            tx, reference, status, domain.FINAL_DLR.get(dlr_type)
        )
        if tracking_id is None:
            return False
        eventstore.append(
            tx,
            notification_stream(reference),
            ANY_VERSION,
            [
                NewEvent(
                    "notification.delivery_reported",
                    {
                        "notification_id": reference,
                        "tracking_id": tracking_id,
                        "channel": "sms",
                        "status": status,
                        "dlr_type": dlr_type,
                    },
                    source=SOURCE,
                )
            ],
            idempotency_key=f"dlr:{reference}:{dlr_type}",
        )
    return True


def _uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def opt_out(engine: sa.Engine, key: bytes, channel: str, address: str, via: str) -> str:
    """Record that an address wants no more messages on a channel: an event
    (carrying only a keyed digest) and notify's own table, in one transaction."""
    digest = domain.contact_digest(key, channel, address)
    with engine.begin() as tx:
        outbox.add_opt_out(tx, channel, digest, via)
        eventstore.append(
            tx,
            contact_stream(digest),
            ANY_VERSION,
            [
                NewEvent(
                    "contact.opted_out",
                    {"channel": channel, "contact_digest": digest, "via": via},
                    source=SOURCE,
                )
            ],
        )
    return digest


def unsubscribe(deps: Deps, reference: str, signature: str) -> bool:
    """The link in a reporter's email: no more email to that address."""
    if not _uuid(reference) or not domain.signature_valid(
        deps.key, "unsubscribe:" + reference, signature
    ):
        return False
    with deps.engine.connect() as conn:
        item = outbox.by_reference(conn, reference)
    if item is None or item["channel"] != "email":
        return False
    contact = deps.contact_of(item["recipient"]) or {}
    if not contact.get("email"):
        return False
    opt_out(deps.engine, deps.key, "email", contact["email"], "email_link")
    return True
