"""Intake's use cases: a channel's message becomes a new report or a follow-up."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlalchemy as sa
from marshmallow import ValidationError

from lapor import eventstore
from lapor.channels import (
    FOLLOW_UP_KINDS,
    Channel,
    ChannelError,
    FollowUp,
    Ignored,
    Inbound,
    OptOut,
    Outcome,
    Registry,
    Reply,
    Submission,
)
from lapor.contracts.inbound import inbound_stream, message_digest
from lapor.contracts.report import report_stream
from lapor.eventstore import ANY_VERSION, NO_STREAM, AppendResult, NewEvent
from services.intake.adapters import store
from services.intake.domain import (
    TRACKING_ID,
    clean_text,
    flat_errors,
    is_reporter,
    new_tracking_id,
    pin_matches,
    report_pin,
)
from services.intake.normalise import (
    AttachmentError,
    AttachmentLimits,
    check_attachments,
    infer_category,
    recognise_region,
)
from services.intake.schemas import DESCRIPTION_MAX, ReporterSchema, SubmissionSchema

SOURCE = "/lapor/intake"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Accepted:
    tracking_id: str
    pin: str | None
    duplicate: bool

    def as_dict(self) -> dict:
        body = {"tracking_id": self.tracking_id, "duplicate": self.duplicate}
        if self.pin:
            body["pin"] = self.pin
        return body


class Rejected(Exception):
    def __init__(self, errors: dict, status: int = 400):
        super().__init__("invalid submission")
        self.errors = errors
        self.status = status


class _SeenBefore(Exception):
    def __init__(self, result: AppendResult):
        self.result = result


class _Withheld(Exception):
    """A refusal the sender is not told of."""


@dataclass(frozen=True)
class Context:
    """What a use case needs besides the message: the engine, the PIN key, the limits."""

    engine: sa.Engine
    pin_secret: bytes
    limits: AttachmentLimits = AttachmentLimits()
    # new reports one reporter (by email or phone) may make in an hour
    sender_per_hour: int = 30
    # opt_out(channel, address, via): notify records it (RPC); None where there is none
    opt_out: Callable[[str, str, str], object] | None = None


def submit_report(
    engine: sa.Engine,
    raw: object,
    channel: str,
    idempotency_key: str | None,
    pin_secret: bytes,
    limits: AttachmentLimits = AttachmentLimits(),
) -> Accepted:
    """Normalise a submission and append `report.submitted`; the answer comes
    only after the commit. The same idempotency key again returns the first
    report's tracking id (and PIN) and writes nothing."""
    if not isinstance(raw, dict):
        raise Rejected({"_schema": ["Expected a JSON object."]})
    return submit(Context(engine, pin_secret, limits), Submission(raw, idempotency_key), channel)


def normalise(fields: dict) -> dict:
    """The submission checked, its category and region inferred from the text
    when missing, and the inference recorded."""
    try:
        submission = SubmissionSchema(store.region_exists).load(fields)
    except ValidationError as exc:
        raise Rejected(exc.messages) from exc
    if not submission["target_agency"]:
        del submission["target_agency"]  # none named: absent from the event
    text = f"{submission['title']}\n{submission['description']}"
    submission["category_inferred"] = "category" not in submission
    if submission["category_inferred"]:
        submission["category"] = infer_category(text)
    submission["region_inferred"] = "region_code" not in submission
    if submission["region_inferred"]:
        region = recognise_region(text)
        if region is None:
            raise Rejected(
                {
                    "region_code": [
                        "Missing: give a Kemendagri region code, or name the regency "
                        "or city (e.g. Kota Bandung) in the description."
                    ]
                }
            )
        submission["region_code"] = region
    return submission


def keep_attachments(engine: sa.Engine, files_base64: object, limits: AttachmentLimits) -> dict:
    """Check and keep files sent apart from a report (an agency's answer)."""
    try:
        if not isinstance(files_base64, list):
            raise ValueError("a list of base64 strings")
        contents = [base64.b64decode(f, validate=True) for f in files_base64]
        files = check_attachments(contents, limits)
    except AttachmentError as exc:
        return {"error": {"status": exc.status, "errors": {"attachments": exc.messages}}}
    except (ValueError, TypeError):
        return {"error": {"status": 400, "errors": {"attachments": ["Not base64 files."]}}}
    with engine.begin() as tx:
        store.keep_attachments(tx, files)
    return {"attachments": [f.ref() for f in files]}


def _checked_files(ctx: Context, attachments) -> list:
    try:
        return check_attachments([a.content for a in attachments], ctx.limits)
    except AttachmentError as exc:
        raise Rejected({"attachments": exc.messages}, exc.status) from exc


def submit(
    ctx: Context, message: Submission, channel_name: str, kind: str | None = None
) -> Accepted:
    if not isinstance(message.fields, dict):
        raise Rejected({"_schema": ["Expected an object."]})
    submission = normalise(message.fields)
    files = _checked_files(ctx, message.attachments)
    tracking_id = new_tracking_id()
    key = f"{channel_name}:{message.message_id}" if message.message_id else None
    try:
        with ctx.engine.begin() as tx:
            reporter = submission.pop("reporter")
            ref = store.add_reporter(tx, reporter) if reporter and any(reporter.values()) else None
            store.keep_attachments(tx, files)
            data = dict(
                submission,
                tracking_id=tracking_id,
                channel=kind or channel_name,
                channel_name=channel_name,
                reporter_ref=ref,
                attachments=[f.ref() for f in files],
            )
            if data["incident_date"] is not None:
                data["incident_date"] = data["incident_date"].isoformat()
            result = eventstore.append(
                tx,
                report_stream(tracking_id),
                NO_STREAM,
                [NewEvent("report.submitted", data, source=SOURCE)],
                idempotency_key=key,
            )
            if result.duplicate:
                raise _SeenBefore(result)  # rolls back this attempt's reporter row
            _check_sender_rate(tx, ctx.sender_per_hour, reporter)
    except _SeenBefore as seen:
        return _first_answer(ctx, seen.result)
    return Accepted(tracking_id, report_pin(ctx.pin_secret, tracking_id), duplicate=False)


def _first_answer(ctx: Context, result: AppendResult) -> Accepted:
    first_id = result.stream.removeprefix("report-")
    return Accepted(first_id, report_pin(ctx.pin_secret, first_id), duplicate=True)


NOT_THE_REPORTER = "Only the reporter can add to a report: give its PIN."


def _from_reporter(
    ctx: Context, conn: sa.Connection, tracking_id: str, submitted: dict, message: FollowUp
) -> bool:
    """The follow-up carries the report's PIN, or its channel's sender is the
    reporter intake keeps for the report (whether or not agencies may know them)."""
    if message.pin is not None and pin_matches(ctx.pin_secret, tracking_id, str(message.pin)):
        return True
    ref = submitted.get("reporter_ref")
    if not message.sender or not ref:
        return False
    return is_reporter(store.reporter_contact(conn, ref), message.sender)


def follow_up(ctx: Context, message: FollowUp, channel_name: str, kind: str) -> Accepted:
    """Append `report.message_added` to an existing report, only from its
    reporter (the PIN, or the reporter's own phone or email address): anyone
    else is 403. An unknown tracking id is 404."""
    tracking_id = str(message.tracking_id or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if not TRACKING_ID.match(tracking_id):
        errors["tracking_id"] = ["Expected a tracking id such as LAP-7K3M9QXT2B."]
    text = clean_text(message.message) if isinstance(message.message, str) else ""
    if not 1 <= len(text) <= DESCRIPTION_MAX:
        errors["message"] = [f"Write a message of 1 to {DESCRIPTION_MAX} characters."]
    if message.kind not in FOLLOW_UP_KINDS:
        errors["kind"] = [f"Must be one of: {', '.join(FOLLOW_UP_KINDS)}."]
    if errors:
        raise Rejected(errors)
    files = _checked_files(ctx, message.attachments)
    stream = report_stream(tracking_id)
    key = f"{channel_name}:{message.message_id}" if message.message_id else None
    data = {
        "tracking_id": tracking_id,
        "kind": message.kind,
        "message": text,
        "channel": kind,
        "channel_name": channel_name,
        "attachments": [f.ref() for f in files],
    }
    try:
        with ctx.engine.begin() as tx:
            history = eventstore.read_stream(tx, stream)
            if not history:
                raise Rejected({"tracking_id": ["No report with this tracking id."]}, 404)
            if not _from_reporter(ctx, tx, tracking_id, history[0].data, message):
                raise Rejected({"pin": [NOT_THE_REPORTER]}, 403)
            store.keep_attachments(tx, files)
            result = eventstore.append(
                tx,
                stream,
                ANY_VERSION,
                [NewEvent("report.message_added", data, source=SOURCE)],
                idempotency_key=key,
            )
            if result.duplicate:
                raise _SeenBefore(result)
    except _SeenBefore:  # a replay of this follow-up: its answer carries no PIN
        return Accepted(tracking_id, None, duplicate=True)
    return Accepted(tracking_id, None, duplicate=False)


def receive(ctx: Context, registry: Registry, name: str, wire: dict) -> Reply:
    """A raw inbound message for the channel `name`: parsed by the channel,
    recorded, and answered the channel's way. The answer comes only after
    the commit."""
    channel = registry.get(name)
    if channel is None:
        return Channel(name).reply(
            Outcome("rejected", errors={"channel": [f"No channel named {name!r}."]}, status=404)
        )
    try:
        inbound = Inbound.from_wire(wire)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return channel.reply(Outcome("rejected", errors={"_body": ["Unreadable."]}, status=400))
    outcome = _outcome(ctx, channel, inbound)
    if _tell_later(channel, outcome):
        record_rejection(ctx, channel, inbound, outcome.errors or {})
    return channel.reply(replace(outcome, inbound=inbound))


def _tell_later(channel: Channel, outcome: Outcome) -> bool:
    """A refusal the channel cannot answer at once (email: it has a `sender`).
    Not 429: a sender over the hourly limit is not written to again."""
    return (
        outcome.result == "rejected"
        and 400 <= outcome.status < 500
        and outcome.status != 429
        and callable(getattr(channel, "sender", None))
    )


def record_rejection(ctx: Context, channel: Channel, inbound: Inbound, errors: dict) -> bool:
    """Keep the sender as a contact and append `inbound.rejected` in one
    transaction, so that notify tells them why. The message id is the
    idempotency key: a message read twice makes one event. Nothing is
    recorded when there is nobody to tell, or when the sender has reached the
    hourly limit (a forged sender address must not make us write to a
    stranger without end). True when an event was appended."""
    sender = channel.sender(inbound)
    contact = _sender_contact(sender) if sender else None
    if contact is None:
        return False
    data = {
        "channel": channel.kind,
        "channel_name": channel.name,
        "errors": flat_errors(errors) or {"_schema": ["Not accepted."]},
        "language": sender.language,
    }
    try:
        with ctx.engine.begin() as tx:
            data["reporter_ref"] = store.add_reporter(tx, contact)
            result = eventstore.append(
                tx,
                inbound_stream(message_digest(sender.message_id)),
                NO_STREAM,
                [NewEvent("inbound.rejected", data, source=SOURCE)],
                idempotency_key=f"inbound.rejected:{channel.name}:{sender.message_id}",
            )
            if result.duplicate:
                raise _SeenBefore(result)  # rolls back this reading's contact row
            if store.recent_reports_by(tx, contact["email"], None) > ctx.sender_per_hour:
                raise _Withheld()  # over the limit: told nothing more
    except (_SeenBefore, _Withheld):
        return False
    log.info("refusal recorded for the sender", extra={"channel": channel.name})
    return True


def _sender_contact(sender) -> dict | None:
    """The sender as report submission keeps a reporter (checked, lower-cased);
    a name that does not pass is dropped, an address that does not, ends it."""
    for name in (sender.name, None):
        raw = {"email": sender.address, "name": name, "language": sender.language}
        try:
            return ReporterSchema().load(raw)
        except ValidationError:
            continue
    return None


def _outcome(ctx: Context, channel: Channel, inbound: Inbound) -> Outcome:
    try:
        if channel.requires_api_key:
            _check_api_key(ctx, channel, inbound)
        parsed = channel.parse(inbound)
        if isinstance(parsed, Submission):
            accepted = submit(ctx, parsed, channel.name, channel.kind)
        elif isinstance(parsed, FollowUp):
            accepted = follow_up(ctx, parsed, channel.name, channel.kind)
        elif isinstance(parsed, Ignored):
            return Outcome("ignored", reason=parsed.reason, status=202)
        elif isinstance(parsed, OptOut):
            if ctx.opt_out is None:
                raise Rejected({"_service": ["Opting out is not available here."]}, 503)
            ctx.opt_out(parsed.channel, parsed.address, parsed.via)
            return Outcome("opted_out", status=200)
        else:
            raise TypeError(f"channel {channel.name} returned {type(parsed).__name__}")
    except ChannelError as exc:
        return Outcome("rejected", errors=exc.errors, status=exc.status)
    except Rejected as exc:
        return Outcome("rejected", errors=exc.errors, status=exc.status)
    if accepted.duplicate:
        result = "duplicate"
    else:
        result = "followed_up" if isinstance(parsed, FollowUp) else "accepted"
    return Outcome(result, tracking_id=accepted.tracking_id, pin=accepted.pin, status=200)


def _check_api_key(ctx: Context, channel: Channel, inbound: Inbound) -> None:
    key = channel.api_key(inbound)
    if not key:
        raise Rejected({"api_key": ["An api_key is required."]}, 403)
    with ctx.engine.connect() as conn:
        if store.api_key_client(conn, channel.name, key) is None:
            raise Rejected({"api_key": ["This api_key is not valid."]}, 403)


def _check_sender_rate(tx: sa.Connection, per_hour: int, reporter: dict | None) -> None:
    """429 for a reporter who made more than `per_hour` reports in the last hour,
    counting this one. Counted in intake's store after the append, under the
    lock that serialises appends, so the limit holds across replicas; a
    replay of an idempotency key is answered before it and never limited."""
    if not reporter or not (reporter.get("email") or reporter.get("phone")):
        return
    if store.recent_reports_by(tx, reporter.get("email"), reporter.get("phone")) > per_hour:
        raise Rejected({"_rate": ["Too many reports from this sender; try again later."]}, 429)
