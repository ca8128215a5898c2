"""The REST channel (`web`): `POST /api/v1/reports` as JSON or multipart with
attachments, and `POST /api/v1/reports/<tracking_id>/messages` for follow-ups.
It goes through the same plugin API as every other channel."""

from __future__ import annotations

import io
import re

from werkzeug.exceptions import HTTPException
from werkzeug.formparser import MultiPartParser
from werkzeug.http import parse_options_header

from lapor.channels import (
    Attachment,
    Channel,
    ChannelError,
    FollowUp,
    Inbound,
    Outcome,
    Reply,
    Submission,
    json_reply,
)

REPORTS = "/api/v1/reports"
MESSAGES = re.compile(r"^/api/v1/reports/([^/]{1,64})/messages$")
MAX_FORM_PARTS = 50
NESTED = {"reporter.name", "reporter.email", "reporter.phone"}


def parse_multipart(inbound: Inbound) -> tuple[dict[str, list[str]], list[Attachment]]:
    """Form fields (each a list of values) and the files of a multipart body."""
    _, options = parse_options_header(inbound.header("content-type") or "")
    boundary = options.get("boundary")
    if not boundary:
        raise ChannelError({"_body": ["A multipart body needs a boundary."]})
    parser = MultiPartParser(
        max_form_memory_size=len(inbound.body) + 1, max_form_parts=MAX_FORM_PARTS
    )
    try:
        form, files = parser.parse(
            io.BytesIO(inbound.body), boundary.encode("latin-1"), len(inbound.body)
        )
    except (ValueError, HTTPException, UnicodeError) as exc:
        raise ChannelError({"_body": [f"Not a readable multipart body: {exc}"[:200]]}) from None
    attachments = []
    for field, upload in files.items(multi=True):
        if field != "attachments":
            raise ChannelError({field: ["Files go in the field `attachments`."]})
        attachments.append(
            Attachment(upload.read(), filename=upload.filename, declared_type=upload.mimetype)
        )
    return {k: form.getlist(k) for k in form.keys()}, attachments


def _single(form: dict[str, list[str]]) -> dict:
    fields: dict = {}
    for name, values in form.items():
        if len(values) != 1:
            raise ChannelError({name: ["Give this field once."]})
        value = values[0]
        if name in NESTED:
            fields.setdefault("reporter", {})[name.split(".", 1)[1]] = value
        else:
            fields[name] = value
    return fields


def read_body(inbound: Inbound) -> tuple[dict, list[Attachment]]:
    if inbound.content_type == "multipart/form-data":
        form, attachments = parse_multipart(inbound)
        return _single(form), attachments
    payload = inbound.json()
    if not isinstance(payload, dict):
        raise ChannelError({"_body": ["Expected a JSON object."]})
    return payload, []


class RestChannel(Channel):
    kind = "web"

    def parse(self, inbound: Inbound) -> Submission | FollowUp:
        key = inbound.header("idempotency-key")
        if inbound.method == "POST" and inbound.path.rstrip("/") == REPORTS:
            fields, attachments = read_body(inbound)
            return Submission(fields, message_id=key, attachments=tuple(attachments))
        match = MESSAGES.match(inbound.path)
        if inbound.method == "POST" and match:
            fields, attachments = read_body(inbound)
            unknown = set(fields) - {"message", "kind", "pin"}
            if unknown:
                raise ChannelError({name: ["Unknown field."] for name in sorted(unknown)})
            if not isinstance(fields.get("message"), str):
                raise ChannelError({"message": ["Missing data for required field."]})
            kind = fields.get("kind", "information")
            if not isinstance(kind, str):
                raise ChannelError({"kind": ["Not a valid string."]})
            pin = inbound.header("x-report-pin") or fields.get("pin")
            return FollowUp(
                tracking_id=match.group(1),
                message=fields["message"],
                kind=kind,
                message_id=key,
                attachments=tuple(attachments),
                pin=str(pin) if pin is not None else None,
            )
        raise ChannelError({"_path": ["Not a route of the REST channel."]}, 404)

    def reply(self, outcome: Outcome) -> Reply:
        reply = json_reply(outcome)
        if outcome.result in ("accepted", "duplicate", "followed_up"):
            location = f"{REPORTS}/{outcome.tracking_id}"
            status = 201 if outcome.result in ("accepted", "followed_up") else 200
            return Reply(status, reply.body, headers={"Location": location})
        return reply
