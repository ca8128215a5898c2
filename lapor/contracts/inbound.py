"""Inbound messages a channel could not take, on channels that cannot answer
their sender at once (email): intake records the refusal so that notify can
tell the sender why, and operators can see it.

The event carries no contact details and no report content: the sender is a
`reporter_ref` into intake's store (like a report's reporter), the errors are
intake's field-level messages. Stream: `inbound-<sha256 of the message id>`
(one per inbound message); the idempotency key is the message id, so a
message read twice makes one event.
"""

from __future__ import annotations

import hashlib

from marshmallow import Schema, fields, validate

from lapor.contracts import Contract, register
from lapor.contracts.report import CHANNEL_NAME, CHANNELS

LANGUAGES = ("id", "en")


def message_digest(message_id: str) -> str:
    """The SHA-256 of a channel's message id (an email's Message-ID)."""
    return hashlib.sha256(message_id.encode()).hexdigest()


def inbound_stream(digest: str) -> str:
    return f"inbound-{digest}"


class InboundRejectedV1(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS + ("plugin",)))
    channel_name = fields.String(validate=validate.Regexp(CHANNEL_NAME))
    # a reference into intake's reporter store; never the sender's address
    reporter_ref = fields.String(required=True)
    # field -> messages, as the channel's refusal gave them (nested fields dotted)
    errors = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=100)),
        values=fields.List(fields.String(), validate=validate.Length(min=1)),
        required=True,
        validate=validate.Length(min=1),
    )
    # the language the sender is answered in: `id` unless the channel can tell
    language = fields.String(load_default="id", validate=validate.OneOf(LANGUAGES))


INBOUND_REJECTED = register(Contract("inbound.rejected", 1, InboundRejectedV1))
