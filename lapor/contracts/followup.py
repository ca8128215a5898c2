"""A reporter's messages about an existing report, on its stream `report-<tracking_id>`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lapor.contracts import Contract, register
from lapor.contracts.report import CHANNEL_NAME, CHANNELS, AttachmentRefV1

# information: added while the case is open (it resumes a deferred case);
# reply / dispute / confirmation: the reporter's answer to a response
FOLLOW_UP_KINDS = ("information", "reply", "dispute", "confirmation")


class ReportMessageAddedV1(Schema):
    """The reporter added information, replied to the agency's response, or
    disputes it. Carries no identity; the text is report content like the
    description, shown only where the report's privacy level allows."""

    tracking_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(FOLLOW_UP_KINDS))
    message = fields.String(required=True, validate=validate.Length(min=1))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS + ("plugin",)))
    channel_name = fields.String(validate=validate.Regexp(CHANNEL_NAME))
    attachments = fields.List(fields.Nested(AttachmentRefV1), required=True)


REPORT_MESSAGE_ADDED = register(Contract("report.message_added", 1, ReportMessageAddedV1))
