"""Intake's use cases."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from marshmallow import ValidationError

from lapor import eventstore
from lapor.contracts.report import report_stream
from lapor.eventstore import NO_STREAM, AppendResult, NewEvent
from services.intake.adapters import store
from services.intake.domain import new_tracking_id, report_pin
from services.intake.schemas import SubmissionSchema

SOURCE = "/lapor/intake"


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
    def __init__(self, errors: dict):
        super().__init__("invalid submission")
        self.errors = errors


class _SeenBefore(Exception):
    def __init__(self, result: AppendResult):
        self.result = result


def submit_report(
    engine: sa.Engine, raw: object, channel: str, idempotency_key: str | None, pin_secret: bytes
) -> Accepted:
    """Normalise a submission and append `report.submitted`; the answer comes
    only after the commit. The same idempotency key again returns the first
    report's tracking id (and PIN) and writes nothing."""
    if not isinstance(raw, dict):
        raise Rejected({"_schema": ["Expected a JSON object."]})
    try:
        submission = SubmissionSchema(store.region_exists).load(raw)
    except ValidationError as exc:
        raise Rejected(exc.messages) from exc
    tracking_id = new_tracking_id()
    key = f"{channel}:{idempotency_key}" if idempotency_key else None
    try:
        with engine.begin() as tx:
            reporter = submission.pop("reporter")
            ref = store.add_reporter(tx, reporter) if reporter and any(reporter.values()) else None
            data = dict(submission, tracking_id=tracking_id, channel=channel, reporter_ref=ref)
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
    except _SeenBefore as seen:
        first_id = seen.result.stream.removeprefix("report-")
        with engine.connect() as conn:
            first = eventstore.read_stream(conn, seen.result.stream)[0]
        pin = report_pin(pin_secret, first_id) if first.data["confidential"] else None
        return Accepted(first_id, pin, duplicate=True)
    pin = report_pin(pin_secret, tracking_id) if submission["confidential"] else None
    return Accepted(tracking_id, pin, duplicate=False)
