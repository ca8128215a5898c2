"""The shapes of the gateway's answers about following reports (tracking), and
their paths for docs/generate_openapi.py."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, Schema, fields, validate

from lapor.contracts.agency import AGENCY_CODE, AGENCY_KINDS
from lapor.contracts.report import CATEGORIES, REGION_CODE, REPORT_TYPES
from services.gateway.schemas import (
    TRACKING_EXAMPLE,
    AgencyRefSchema,
    StatusLabelSchema,
    _tracking_id,
)

_NULL_TIME = {"allow_none": True, "required": True}


class OwnerSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(AGENCY_CODE))
    name = fields.String(required=True, allow_none=True)
    tier = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(AGENCY_KINDS),
        metadata={"description": "The owner's kind of agency; null if not yet known."},
    )


class TimelineEntrySchema(Schema):
    """One event of the report's history; which detail fields appear depends on `type`."""

    class Meta:
        unknown = INCLUDE  # the detail of each event type joins the entry

    type = fields.String(required=True, metadata={"example": "report.routed"})
    time = fields.DateTime(required=True)
    actor = fields.String(
        required=True,
        metadata={"description": "Who acted, as a role in Indonesian; never a person."},
    )
    actor_role = fields.String(required=True, metadata={"description": "The role's code."})
    status = fields.String(metadata={"description": "Case events: the status after it."})
    status_label = fields.String(metadata={"description": "Case events: its Indonesian label."})
    owner = fields.String(allow_none=True, metadata={"description": "Case events: the owner."})
    owner_name = fields.String(allow_none=True)
    stage = fields.String(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    channel = fields.String(metadata={"description": "The channel of the reporter's message."})
    message = fields.String(
        metadata={"description": "report.responded: the answer (not for confidential reports)."}
    )


class CaseSummarySchema(Schema):
    tracking_id = _tracking_id()
    title = fields.String(required=True, allow_none=True)
    status = fields.String(required=True)
    status_label = fields.Nested(StatusLabelSchema, required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    region_code = fields.String(required=True, validate=validate.Regexp(REGION_CODE))
    report_type = fields.String(required=True, validate=validate.OneOf(REPORT_TYPES))
    agency = fields.Nested(
        AgencyRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The agency the report is with (the last one once closed)."},
    )
    owner = fields.Nested(
        OwnerSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The one agency that must act now; null once closed."},
    )
    stage = fields.String(required=True, allow_none=True)
    due_at = fields.DateTime(
        **_NULL_TIME, metadata={"description": "When the current stage must be done."}
    )
    overdue = fields.Boolean(required=True, metadata={"description": "Open and past due_at."})
    anonymous = fields.Boolean(required=True)
    confidential = fields.Boolean(required=True)
    submitted_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ReportViewSchema(CaseSummarySchema):
    description = fields.String(
        required=True, allow_none=True, metadata={"description": "null for confidential reports."}
    )
    closed_at = fields.DateTime(**_NULL_TIME)
    first_response_at = fields.DateTime(**_NULL_TIME)
    reopen_count = fields.Integer(required=True)
    timeline = fields.List(
        fields.Nested(TimelineEntrySchema), required=True, metadata={"description": "Oldest first."}
    )
    as_of = fields.DateTime(metadata={"description": "Only with `as_of`: the moment shown."})


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of `item`s, as every paged answer gives it."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "total": fields.Integer(
                required=True, metadata={"description": "How many match, on all pages."}
            ),
            "page": fields.Integer(required=True, metadata={"description": "From 1."}),
            "per_page": fields.Integer(required=True),
        },
        name=name,
    )


FeedSchema = page_of(CaseSummarySchema, "FeedSchema")


class BadEventSchema(Schema):
    event_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    type = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)


class VerificationSchema(Schema):
    tracking_id = _tracking_id()
    intact = fields.Boolean(required=True)
    events = fields.Integer(required=True)
    problems = fields.List(fields.String(), required=True)
    first_bad_event = fields.Nested(BadEventSchema, required=True, allow_none=True)


SCHEMAS = {
    "ReportView": ReportViewSchema,
    "CaseSummary": CaseSummarySchema,
    "Feed": FeedSchema,
    "Verification": VerificationSchema,
}


def query_param(
    name: str, description: str, schema: dict | None = None, example: Any = None
) -> dict[str, Any]:
    """An optional query parameter of a path in docs/openapi.yaml (a string by default)."""
    param = {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema or {"type": "string"},
        "description": description,
    }
    if example is not None:
        param["example"] = example
    return param


def _json(name: str, description: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{name}"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


PIN_PARAMETERS = [
    {
        "name": "X-Report-Pin",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "The PIN of a confidential report.",
    },
    query_param("pin", "The PIN of a confidential report (the header wins)."),
]
TRACKING_PARAMETER = {
    "name": "tracking_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "example": TRACKING_EXAMPLE,
    "description": "Outer blanks are trimmed and letters upper-cased.",
}
AS_OF = query_param(
    "as_of",
    "Show the report as it stood at this moment (ISO date-time with a zone, or a date: "
    "its start in Asia/Jakarta).",
)
REFUSALS = {
    "403": _json("Errors", "The report is confidential and the PIN is missing or wrong."),
    "404": _json("Errors", "No report has this tracking id."),
    "429": _json("Errors", "Too many wrong PINs from this client; see Retry-After."),
}


def paths(service_failed: dict) -> dict[str, dict]:
    feed_filters = [
        query_param("status", "Only this status.", {"type": "string"}),
        query_param(
            "category", "Only this category.", {"type": "string", "enum": list(CATEGORIES)}
        ),
        query_param("region_code", "Regions starting with this Kemendagri code, e.g. `32`."),
        query_param("submitted_from", "Submitted at or after (ISO date or date-time)."),
        query_param("submitted_to", "Submitted before (a date counts whole)."),
        query_param("open", "true: open reports only; false: closed and archived only."),
        query_param("page", "From 1.", {"type": "integer", "default": 1}),
        query_param("per_page", "1 to 100.", {"type": "integer", "default": 20}),
    ]
    return {
        "/api/v1/feed": {
            "get": {
                "operationId": "publicFeed",
                "tags": ["reports"],
                "summary": "The public feed of reports",
                "description": "Reports that are not confidential, newest first; never "
                "the reporter's identity.",
                "parameters": feed_filters,
                "responses": {
                    "200": _json("Feed", "A page of reports."),
                    "400": _json("Errors", "A filter is invalid or unknown (by its name)."),
                    "503": service_failed,
                },
            }
        },
        "/api/v1/reports/{tracking_id}/verify": {
            "get": {
                "operationId": "verifyReport",
                "tags": ["reports"],
                "summary": "Check a report's history is intact",
                "description": "Recomputes the hash chain of the report's events; names "
                "the first event that was changed, inserted or removed.",
                "parameters": [TRACKING_PARAMETER, *PIN_PARAMETERS],
                "responses": {
                    "200": _json("Verification", "Whether the history is intact."),
                    **REFUSALS,
                    "503": service_failed,
                },
            }
        },
    }


def report_path(service_failed: dict) -> dict[str, Any]:
    """GET /api/v1/reports/{tracking_id}."""
    return {
        "operationId": "getReport",
        "tags": ["reports"],
        "summary": "Track a report",
        "description": "Status, owner, due time and timeline as the public may see them: "
        "never the reporter's identity; for a confidential report no content, and only "
        "with its PIN (X-Report-Pin header or `pin` parameter). Wrong PINs are limited "
        "per client.",
        "parameters": [TRACKING_PARAMETER, *PIN_PARAMETERS, AS_OF],
        "responses": {
            "200": _json("ReportView", "The report."),
            "400": _json("Errors", "`as_of` is not a moment (`at`)."),
            **REFUSALS,
            "503": service_failed,
        },
    }
