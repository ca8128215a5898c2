"""The shapes of the agency API (services/gateway/agency_api.py): the inbox's
query, the body of each case action, and the answers; `paths` documents the
routes for docs/openapi.yaml.

Values come from the case contract (`lapor.contracts.case`), so the API and
the events cannot drift apart. What an agency may send can never weaken a
report's privacy: `change_privacy` accepts only `true`.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lapor.contracts.agency import AGENCY_CODE
from lapor.contracts.case import ARCHIVE_REASONS, COMPLEXITIES, STAGES, STATUSES
from lapor.contracts.report import (
    CATEGORIES,
    REGION_CODE,
    REPORT_TYPES,
    TRACKING_ID_PATTERN,
    AttachmentRefV1,
)
from services.gateway.tracking_schemas import page_of

TRACKING_ID = rf"^{TRACKING_ID_PATTERN}$"
MAX_PER_PAGE = 100
ROLES = ("national_admin", "coordinator", "officer", "agency_system")


def _agency(description: str | None = None, **kw) -> fields.String:
    metadata = {"example": "pemkot-3273-disdukcapil"}
    if description:
        metadata["description"] = description
    return fields.String(validate=validate.Regexp(AGENCY_CODE), metadata=metadata, **kw)


def _note() -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=4000))


class InboxQuerySchema(Schema):
    """The inbox's query string; every filter is optional."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean(metadata={"description": "true: only cases past their due time."})
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    region_code = fields.String(
        validate=validate.Regexp(REGION_CODE),
        metadata={"description": "This region and every region within it.", "example": "32.73"},
    )
    submitted_from = fields.Date(metadata={"description": "Submitted on or after this day."})
    submitted_to = fields.Date(metadata={"description": "Submitted on or before this day."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))

    @validates_schema
    def _period(self, data: dict, **kwargs) -> None:
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            raise ValidationError("Must not be before submitted_from.", "submitted_to")


class VerifySchema(Schema):
    report_type = fields.String(required=True, validate=validate.OneOf(REPORT_TYPES))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    complexity = fields.String(
        required=True,
        validate=validate.OneOf(COMPLEXITIES),
        metadata={"description": "Sets the follow-up deadline: 5, 14 or 60 working days."},
    )


class DeferSchema(Schema):
    note = fields.String(
        required=True,
        validate=validate.Length(min=1, max=4000),
        metadata={"description": "What the reporter is asked for."},
    )


class ArchiveSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(ARCHIVE_REASONS))
    note = _note()


class MergeSchema(Schema):
    into = fields.String(
        required=True,
        validate=validate.Regexp(TRACKING_ID),
        metadata={"description": "The report this one duplicates; it carries on."},
    )


class HandOverSchema(Schema):
    agency_code = _agency(required=True)
    note = _note()


class AcceptSchema(Schema):
    """No parameters: the owner takes the case on."""


class ReturnSchema(Schema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Why this is not the agency's authority (bukan wewenang)."},
    )
    suggested_agency = _agency(allow_none=True)


class RespondSchema(Schema):
    message = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    attachments = fields.List(fields.Nested(AttachmentRefV1), load_default=list)


class StrengthenPrivacySchema(Schema):
    """An agency may only make a report more private: each flag given must be
    true, and a flag left out keeps its current value."""

    anonymous = fields.Boolean(validate=validate.Equal(True, error="An agency may only set true."))
    confidential = fields.Boolean(
        validate=validate.Equal(True, error="An agency may only set true.")
    )

    @validates_schema
    def _something(self, data: dict, **kwargs) -> None:
        if not data:
            raise ValidationError("Give anonymous or confidential (true).", "_schema")


ACTION_SCHEMAS: dict[str, type[Schema]] = {
    "verify": VerifySchema,
    "defer": DeferSchema,
    "archive": ArchiveSchema,
    "merge": MergeSchema,
    "assign": HandOverSchema,
    "dispose": HandOverSchema,
    "accept": AcceptSchema,
    "return": ReturnSchema,
    "respond": RespondSchema,
    "change_privacy": StrengthenPrivacySchema,
}


class ReporterPrivacySchema(Schema):
    """The reporter's own choice; only the reporter may weaken privacy."""

    anonymous = fields.Boolean()
    confidential = fields.Boolean()
    pin = fields.String(
        metadata={"description": "The report's PIN, if not in the X-Report-Pin header."}
    )

    @validates_schema
    def _something(self, data: dict, **kwargs) -> None:
        if "anonymous" not in data and "confidential" not in data:
            raise ValidationError("Give anonymous or confidential.", "_schema")


class CaseSchema(Schema):
    """The case as routing keeps it: the one owner that must act, and its clock."""

    tracking_id = fields.String(
        required=True, validate=validate.Regexp(TRACKING_ID), metadata={"example": "LAP-7K3M9QXT2B"}
    )
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    owner = _agency(required=True, allow_none=True)
    owner_name = fields.String(required=True, allow_none=True)
    stage = fields.String(required=True, allow_none=True, validate=validate.OneOf(STAGES))
    due_at = fields.AwareDateTime(required=True, allow_none=True)
    anonymous = fields.Boolean(required=True)
    confidential = fields.Boolean(required=True)
    report_type = fields.String(allow_none=True, validate=validate.OneOf(REPORT_TYPES))
    category = fields.String(allow_none=True, validate=validate.OneOf(CATEGORIES))
    complexity = fields.String(allow_none=True, validate=validate.OneOf(COMPLEXITIES))


class ActedSchema(Schema):
    case = fields.Nested(CaseSchema, required=True)


class CaseAgencySchema(Schema):
    code = _agency(required=True)
    name = fields.String(required=True, allow_none=True)
    tier = fields.String(allow_none=True)


class InboxItemSchema(Schema):
    """One case as tracking projects it (it may lag routing by a moment)."""

    tracking_id = fields.String(required=True, validate=validate.Regexp(TRACKING_ID))
    title = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "id and en."}
    )
    category = fields.String(allow_none=True)
    region_code = fields.String(allow_none=True)
    report_type = fields.String(allow_none=True)
    agency = fields.Nested(
        CaseAgencySchema,
        allow_none=True,
        metadata={"description": "The owner, or the last one once closed."},
    )
    owner = fields.Nested(CaseAgencySchema, allow_none=True)
    stage = fields.String(allow_none=True, validate=validate.OneOf(STAGES))
    due_at = fields.AwareDateTime(allow_none=True)
    overdue = fields.Boolean()
    anonymous = fields.Boolean()
    confidential = fields.Boolean()
    submitted_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)


InboxSchema = page_of(InboxItemSchema, "InboxSchema")


class ReporterContactSchema(Schema):
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True, metadata={"description": "E.164."})
    language = fields.String(allow_none=True)


class AgencyReportSchema(InboxItemSchema):
    description = fields.String()
    channel = fields.String()
    complexity = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    first_response_at = fields.AwareDateTime(allow_none=True)
    reopen_count = fields.Integer()
    timeline = fields.List(
        fields.Dict(),
        metadata={"description": "Every event of the report, oldest first, with its actor."},
    )
    case = fields.Nested(
        CaseSchema,
        required=True,
        metadata={"description": "The case as routing has it now: act on this."},
    )
    reporter = fields.Nested(
        ReporterContactSchema,
        required=True,
        allow_none=True,
        metadata={"description": "null for an anonymous report: its reporter stays hidden."},
    )


class WebhookSchema(Schema):
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=2000),
        metadata={"example": "https://lapor.bandung.go.id/hooks/lapor"},
    )


class WebhookSecretSchema(Schema):
    url = fields.String(required=True)
    secret = fields.String(
        required=True, metadata={"description": "Standard Webhooks secret (whsec_...)."}
    )


class RotationSchema(Schema):
    secret = fields.String(required=True)
    previous_valid_until = fields.AwareDateTime(
        required=True, allow_none=True, metadata={"description": "The old secret signs until."}
    )


class DeliveriesSchema(Schema):
    deliveries = fields.List(fields.Dict(), required=True)


class PrivacySchema(Schema):
    tracking_id = fields.String(required=True, validate=validate.Regexp(TRACKING_ID))
    anonymous = fields.Boolean(required=True)
    confidential = fields.Boolean(required=True)


# leaves first, so that a nested schema is referenced by the name given here
SCHEMAS = {
    "Case": CaseSchema,
    "CaseActed": ActedSchema,
    "CaseAgency": CaseAgencySchema,
    "AgencyReporterContact": ReporterContactSchema,
    "InboxItem": InboxItemSchema,
    "Inbox": InboxSchema,
    "AgencyReport": AgencyReportSchema,
    "Verify": VerifySchema,
    "Defer": DeferSchema,
    "Archive": ArchiveSchema,
    "Merge": MergeSchema,
    "HandOver": HandOverSchema,
    "Accept": AcceptSchema,
    "Return": ReturnSchema,
    "Respond": RespondSchema,
    "StrengthenPrivacy": StrengthenPrivacySchema,
    "ReporterPrivacy": ReporterPrivacySchema,
    "Privacy": PrivacySchema,
    "Webhook": WebhookSchema,
    "WebhookSecret": WebhookSecretSchema,
    "WebhookRotation": RotationSchema,
    "WebhookDeliveries": DeliveriesSchema,
}
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An agency account's token, made with `python -m services.sipp.admins "
    "create --agency CODE --name NAME [--role ROLE]`; roles: " + ", ".join(ROLES) + ".",
}
