"""Who is told what, on which channel, and what becomes of a send attempt.

Pure rules: no nameko, no SQLAlchemy, no I/O.

The rules table (`RULES`) is the one place that says which event tells whom.
Notify subscribes to every event type in it (`manifest.py`). Officers are
told by email at their agency's contact; they never learn the reporter's
identity from a notice (no template value carries it).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

REPORTER = "reporter"
OFFICER = "officer"  # the case's owner (after the event) at its contact email
PREVIOUS_OWNER = "previous_owner"  # the owner a hand-over took the case from
SENDER = "sender"  # who sent a message intake refused (a reporter ref), by email only
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
AGENCY_PREFIX = "agency:"


@dataclass(frozen=True)
class Rule:
    event_type: str
    template: str
    audience: str  # reporter | officer | previous_owner
    note: str  # for the table in docs/notify.md


RULES = (
    Rule("report.submitted", "report_received", REPORTER, "tracking id and how to follow it"),
    Rule("report.routed", "report_assigned", REPORTER, "passed to the agency: which one"),
    Rule("report.routed", "assignment_new", OFFICER, "new assignment, with routing's reason"),
    Rule("report.deferred", "report_deferred", REPORTER, "on hold: what is needed (the note)"),
    Rule("report.assigned", "assignment_new", OFFICER, "new assignment from a coordinator"),
    Rule("report.disposed", "assignment_new", OFFICER, "new assignment: disposition to a unit"),
    Rule("report.returned", "assignment_new", OFFICER, "returned to you: re-route it, why"),
    # a breach: the late owner first, so that an owner escalating to itself
    # (the national admin) gets the breach notice, not a "new assignment"
    Rule("report.escalated", "deadline_breached", PREVIOUS_OWNER, "your deadline passed"),
    Rule("report.escalated", "assignment_new", OFFICER, "escalated to you: act now"),
    Rule("report.escalated", "report_escalated", REPORTER, "escalated: who must act now"),
    Rule("report.responded", "report_responded", REPORTER, "the answer; how to reply"),
    Rule("report.reopened", "report_reopened", REPORTER, "reopened"),
    Rule("report.reopened", "case_reopened", OFFICER, "the reporter disputed or replied"),
    Rule("report.closed", "report_closed", REPORTER, "closed, and why"),
    Rule("report.deadline_approaching", "deadline_approaching", OFFICER, "due soon: when"),
    Rule("report.archived", "report_archived", REPORTER, "archived: the reason in words"),
    Rule("report.merged", "report_merged", REPORTER, "merged with a report on the same matter"),
    Rule("inbound.rejected", "inbound_rejected", SENDER, "not taken: what is missing, resend"),
)
EVENT_TYPES = tuple(dict.fromkeys(rule.event_type for rule in RULES))

# what every template may use besides the per-send values (see handlers._values)
TEMPLATE_DEFAULTS = {
    "agency_code": "",
    "agency_name": "",
    "needed": "",
    "response": "",
    "reason": "",
    "reason_id": "",
    "note": "",
    "handover": "",
    "from_agency": "",
    "suggested_agency": "",
    "stage": "",
    "breached_stage": "",
    "due": "",
    "breached_due": "",
    "missing": (),
}


@dataclass(frozen=True)
class Notice:
    template: str
    recipient: str  # a reporter reference or `agency:<code>`, never a contact detail
    channel: str
    values: dict  # what the template needs besides the contact, from the event


def notices_for(event_type: str, data: dict, reporter_ref: str | None = None) -> list[Notice]:
    """Every notice an event asks for: per reporter both channels (which of
    them applies is decided when the contact is known, see `channel_applies`).
    Only `report.submitted` names the reporter; for later events the caller
    passes the reference it kept. A recipient gets at most one notice per
    event and channel (the first rule that names it)."""
    notices: dict[tuple[str, str], Notice] = {}
    values = template_values(event_type, data)
    for rule in RULES:
        if rule.event_type != event_type:
            continue
        for recipient, channel in _recipients(rule.audience, data, reporter_ref):
            notice = Notice(rule.template, recipient, channel, values)
            notices.setdefault((recipient, channel), notice)
    return list(notices.values())


def _recipients(audience: str, data: dict, reporter_ref: str | None) -> list[tuple[str, str]]:
    if audience == REPORTER:
        ref = data.get("reporter_ref") or reporter_ref
        return [(ref, "sms"), (ref, "email")] if ref else []
    if audience == SENDER:  # refused mail is answered by email
        return [(data["reporter_ref"], "email")] if data.get("reporter_ref") else []
    agency = data.get("from_agency") if audience == PREVIOUS_OWNER else _owner(data)
    return [(AGENCY_PREFIX + agency, "email")] if agency else []


def _owner(data: dict) -> str | None:
    # case events name the owner; v1 `report.routed` only the agency
    return data["owner"] if "owner" in data else data.get("agency_code")


def template_values(event_type: str, data: dict) -> dict:
    """What the event's templates need, taken from its data. Nothing about
    the reporter: the same values go to officers."""
    deferred = event_type == "report.deferred"
    values = {
        "agency_code": data.get("agency_code"),
        "agency_name": data.get("agency_name") or data.get("owner_name"),
        "channel": data.get("channel"),
        "needed": data.get("needed") or (data.get("note") if deferred else None),
        "response": data.get("response") or data.get("message"),
        "reason": data.get("reason"),
        "reason_id": data.get("reason_id"),  # routing's reason in Indonesian
        "note": None if deferred else data.get("note"),
        "handover": event_type.removeprefix("report."),
        "from_agency": data.get("from_agency"),
        "suggested_agency": data.get("suggested_agency"),
        "stage": data.get("stage"),
        "breached_stage": data.get("breached_stage"),
        "due": format_due(data.get("due_at")),
        "breached_due": format_due(data.get("breached_due_at")),
        # a refusal: the fields that were missing or wrong (the templates say them in words)
        "missing": sorted(data["errors"]) if event_type == "inbound.rejected" else None,
    }
    return {k: v for k, v in values.items() if v is not None and v != ""}


WIB = timezone(timedelta(hours=7), "WIB")  # Asia/Jakarta: no daylight saving


def untracked_address(reply_to: str) -> str:
    """The Reply-To of a notice about no report (a refused mail): the
    mailbox without the tracking id part.

    >>> untracked_address("laporan+{tracking_id}@lapor.local")
    'laporan@lapor.local'
    """
    return re.sub(r"[+._-]?\{tracking_id\}", "", reply_to)


def format_due(value) -> str | None:
    """A deadline as officers and reporters read it: Jakarta time.

    >>> format_due("2026-01-08T16:59:59+00:00")
    '2026-01-08 23:59 WIB'
    """
    if not value:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")


def channel_applies(channel: str, origin: str | None, contact: dict) -> str | None:
    """None when the notice should go out on `channel`, else why not.

    Reporters hear on the channel they used: a report sent by SMS is answered
    by SMS (and by email too if they gave one); a report from elsewhere by
    email, or by SMS when they gave only a phone number."""
    if channel == "email":
        return None if contact.get("email") else "no email address"
    if not contact.get("phone"):
        return "no phone number"
    if origin == "sms" or not contact.get("email"):
        return None
    return "reporter is told by email"


def language_of(contact: dict) -> str:
    language = (contact or {}).get("language")
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def contact_digest(key: bytes, channel: str, address: str) -> str:
    """The keyed digest opt-outs are recorded and looked up by.

    >>> contact_digest(b"k" * 16, "sms", "+6281234567890") == contact_digest(
    ...     b"k" * 16, "sms", "6281234567890")
    True
    """
    return hmac.new(key, f"{channel}:{normalise(channel, address)}".encode(), "sha256").hexdigest()


def normalise(channel: str, address: str) -> str:
    address = address.strip()
    if channel == "sms":
        return "+" + address.lstrip("+")
    return address.lower()


def sign(key: bytes, value: str) -> str:
    """A short signature for links notify hands out (DLR callback, unsubscribe)."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def signature_valid(key: bytes, value: str, signature: str) -> bool:
    return hmac.compare_digest(sign(key, value), signature or "")


# -- attempts ------------------------------------------------------------------

SENT, FAILED, AMBIGUOUS = "sent", "failed", "ambiguous"


class SendError(Exception):
    """The gateway said no, or could not be reached: nothing was sent."""


class AmbiguousSend(Exception):
    """The request may have reached the gateway but no answer came back:
    the message may or may not have been accepted."""


@dataclass(frozen=True)
class Policy:
    max_attempts: int = 5
    base_delay: float = 2.0
    max_delay: float = 300.0
    # an ambiguous attempt may have delivered: at most this many, so that a
    # recipient gets the message at most twice
    max_ambiguous: int = 2


@dataclass(frozen=True)
class Outcome:
    status: str  # pending (retry later) | sent | failed | ambiguous
    next_attempt_at: datetime | None = None
    error: str | None = None
    ambiguous: bool = False  # this attempt may have been accepted


def after_attempt(
    policy: Policy,
    attempts: int,
    ambiguous_before: int,
    error: Exception | None,
    now: datetime,
    rand: random.Random | None = None,
) -> Outcome:
    """What a notification becomes after its `attempts`-th attempt ended with
    `error` (None: accepted by the gateway)."""
    if error is None:
        return Outcome(SENT)
    reason = f"{type(error).__name__}: {error}"[:500]
    ambiguous = isinstance(error, AmbiguousSend)
    if ambiguous and ambiguous_before + 1 >= policy.max_ambiguous:
        return Outcome(AMBIGUOUS, error=reason, ambiguous=True)
    if attempts >= policy.max_attempts:
        return Outcome(AMBIGUOUS if ambiguous or ambiguous_before else FAILED, error=reason,
                       ambiguous=ambiguous)  # fmt: skip
    return Outcome(
        "pending", now + backoff(policy, attempts, rand), error=reason, ambiguous=ambiguous
    )


def backoff(policy: Policy, attempts: int, rand: random.Random | None = None) -> timedelta:
    """Exponential, capped, with full jitter between half and the whole delay."""
    delay = min(policy.max_delay, policy.base_delay * 2 ** (attempts - 1))
    return timedelta(seconds=delay * (0.5 + 0.5 * (rand or random).random()))


# -- SMS text ------------------------------------------------------------------

# GSM 03.38 default alphabet and its extension table (each extension char costs 2)
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
SMS_SINGLE, SMS_PART = 160, 153  # septets; a part of a multipart SMS keeps 7 for its UDH


def is_gsm7(text: str) -> bool:
    return all(c in GSM7 or c in GSM7_EXTENSION for c in text)


def gsm7_length(text: str) -> int:
    return sum(2 if c in GSM7_EXTENSION else 1 for c in text)


def sms_parts(text: str) -> int:
    """How many SMS the text needs (GSM-7: 160 / 153 per part; UCS-2: 70 / 67)."""
    if is_gsm7(text):
        n, single, part = gsm7_length(text), SMS_SINGLE, SMS_PART
    else:
        n, single, part = len(text.encode("utf-16-be")) // 2, 70, 67
    return 1 if n <= single else -(-n // part)


def gsm7_fold(text: str) -> str:
    """Typographic characters a template or an answer may hold, folded to GSM-7."""
    table = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
             "\u2014": "-", "\u2026": "...", "\u00a0": " "}  # fmt: skip
    return "".join(table.get(c, c) for c in text)


# Kannel dlr-mask: delivered, undeliverable, buffered, SMSC accepted, SMSC rejected
DLR_MASK = 31
FINAL_DLR = {1: "delivered", 2: "failed", 16: "failed"}
