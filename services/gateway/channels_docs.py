"""OpenAPI parts of the channel routes (`docs/generate_openapi.py` adds them):
multipart reports, follow-ups, and the generic channel callback."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.gateway.channels_api import MAX_CHANNEL_BODY
from services.gateway.schemas import TRACKING_EXAMPLE

FOLLOW_UP_KINDS = ("information", "reply", "dispute", "confirmation")  # as lapor.channels


class FollowUpSchema(Schema):
    message = fields.String(
        required=True,
        validate=validate.Length(min=1, max=10_000),
        metadata={"example": "Hari ini saya datang lagi, KTP-el masih belum jadi."},
    )
    kind = fields.String(
        load_default="information",
        validate=validate.OneOf(FOLLOW_UP_KINDS),
        metadata={
            "description": "`information`: more detail; `reply`: an answer to the agency's "
            "response; `dispute`: the response did not solve it."
        },
    )
    pin = fields.String(
        metadata={
            "description": "The report's PIN, from the answer to the report (or "
            "X-Report-Pin): only the reporter may add to a report."
        }
    )


SCHEMAS = {"FollowUp": FollowUpSchema}

MULTIPART_DESCRIPTION = (
    "The fields of `Submission` as form fields (the reporter's as `reporter.name`, "
    "`reporter.email`, `reporter.phone`; booleans as `true`/`false`), and up to 5 files "
    "in `attachments`, 2 MB (2,097,152 bytes) in total by default (intake's "
    "`ATTACHMENTS_MAX_BYTES`, `ATTACHMENTS_MAX_COUNT`). A file's type is sniffed from its "
    "content: JPEG, PNG, GIF, WebP or PDF; its name and declared type are ignored. "
    "Photos are kept re-saved without their metadata (EXIF, XMP, comments), upright; "
    "PDFs as sent. "
    f"The body may be at most {MAX_CHANNEL_BODY:,} bytes."
)
MULTIPART_SUBMISSION = {
    "type": "object",
    "description": MULTIPART_DESCRIPTION,
    "properties": {
        **{
            name: {"type": "string"}
            for name in (
                "title",
                "description",
                "category",
                "region_code",
                "report_type",
                "incident_date",
                "reporter.name",
                "reporter.email",
                "reporter.phone",
                "anonymous",
                "confidential",
            )
        },
        "attachments": {
            "type": "array",
            "items": {"type": "string", "contentMediaType": "application/octet-stream"},
        },
    },
    "required": ["title", "description"],
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def paths(service_failed: dict) -> dict[str, dict[str, Any]]:
    tracking_id = {
        "name": "tracking_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "example": TRACKING_EXAMPLE,
    }
    channel = {
        "post": {
            "operationId": "channelMessage",
            "tags": ["channels"],
            "summary": "A message for an installed channel plugin",
            "description": "The request is handed as it came to intake, where the channel "
            "registered under this name (entry point group `lapor.channels`) reads it "
            "and answers in its own format; see docs/channels.md. Signed webhooks use "
            "`/channels/webhook/{source}`.",
            "parameters": [
                {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "requestBody": {"content": {"*/*": {"schema": {}}}},
            "responses": {
                "200": {"description": "The channel's answer.", "content": {"*/*": {}}},
                "404": _json("Errors", "No channel by this name (`channel`)."),
                "413": _json("Errors", f"More than {MAX_CHANNEL_BODY:,} bytes."),
                "503": service_failed,
            },
        }
    }
    channel["get"] = dict(
        channel["post"],
        operationId="channelMessageGet",
        summary="A message for a channel that calls with GET (Kannel's sms-service)",
        description="As the POST, with the message in the query: the SMS channel reads "
        "`from`, `to`, `text`, `id` (Kannel's message id) and `time`, and answers the reply "
        "SMS as text/plain.",
    )
    del channel["get"]["requestBody"]
    sub = {"post": dict(channel["post"], operationId="channelMessageAt")}
    sub["post"]["parameters"] = channel["post"]["parameters"] + [
        {
            "name": "rest",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "description": "The rest of the path, for the channel (a webhook's source).",
        }
    ]
    return {
        "/channels/{name}": channel,
        "/channels/{name}/{rest}": sub,
        "/api/v1/reports/{tracking_id}/messages": {
            "post": {
                "operationId": "addReportMessage",
                "tags": ["reports"],
                "summary": "Add a follow-up to a report",
                "description": "The reporter adds information, replies to a response, "
                "disputes it or confirms it solved; recorded as `report.message_added` and "
                "shown in the timeline by its kind (never its text). Only the reporter may: "
                "the report's PIN (from the answer to the report) is required, in "
                "X-Report-Pin or `pin`. JSON, or multipart with `message`, `kind`, `pin` and "
                "`attachments` as for a report.",
                "parameters": [
                    tracking_id,
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "The same key again adds nothing and answers 200.",
                    },
                    {
                        "name": "X-Report-Pin",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "The report's PIN (or the body's `pin`).",
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _ref("FollowUp")},
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "message": {"type": "string"},
                                    "kind": {"type": "string", "enum": list(FOLLOW_UP_KINDS)},
                                    "pin": {"type": "string"},
                                    "attachments": MULTIPART_SUBMISSION["properties"][
                                        "attachments"
                                    ],
                                },
                                "required": ["message"],
                            }
                        },
                    },
                },
                "responses": {
                    "201": _json("Accepted", "The follow-up is committed."),
                    "200": _json("Accepted", "A replay of an Idempotency-Key."),
                    "400": _json("Errors", "Invalid fields, by name."),
                    "403": _json(
                        "Errors", "Not the reporter: the PIN is missing or wrong (`pin`)."
                    ),
                    "404": _json("Errors", "No report has this tracking id."),
                    "413": _json("Errors", "The body or the attachments are too large."),
                    "429": _json(
                        "Errors",
                        "Too many requests, or too many refused follow-ups (wrong PINs) "
                        "from this client; see Retry-After.",
                    ),
                    "503": service_failed,
                },
            }
        },
    }


OPEN311_ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}


def _open311(summary: str, description: str, extra_params=(), method="get", body=None) -> dict:
    fmt = {
        "name": "fmt",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": ["json", "xml"]},
        "description": "The answer's format.",
    }
    answer = {
        "application/json": {"schema": {}},
        "text/xml": {"schema": {"type": "string"}},
    }
    errors = {
        "application/json": {"schema": OPEN311_ERRORS},
        "text/xml": {"schema": {"type": "string"}},
    }
    operation: dict[str, Any] = {
        "tags": ["open311"],
        "summary": summary,
        "description": description,
        "parameters": [*extra_params, fmt],
        "responses": {
            "200": {"description": "The answer, in the spec's shape.", "content": answer},
            "400": {"description": "Invalid input, in the spec's errors.", "content": errors},
            "403": {"description": "Missing or invalid api_key.", "content": errors},
            "404": {"description": "Not found, or an unknown format.", "content": errors},
        },
    }
    if body:
        operation["requestBody"] = body
        operation["responses"]["201"] = {"description": "The request is committed.",
                                         "content": answer}  # fmt: skip
    return {method: operation}


def _path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def open311_paths() -> dict[str, dict[str, Any]]:
    """Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) as Lapor serves it."""
    form = {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        name: {"type": "string"}
                        for name in (
                            "api_key",
                            "service_code",
                            "lat",
                            "long",
                            "address_string",
                            "address_id",
                            "email",
                            "first_name",
                            "last_name",
                            "phone",
                            "description",
                            "media_url",
                            "attribute[region_code]",
                            "attribute[title]",
                            "attribute[report_type]",
                        )
                    },  # fmt: skip
                    "required": ["api_key", "service_code", "description"],
                }
            }
        },
    }
    ids = {
        "name": "service_request_id",
        "in": "query",
        "required": True,
        "schema": {"type": "string"},
        "description": "One or more tracking ids, comma separated (at most 50).",
    }
    requests = _open311(
        "List service requests",
        "The public view of the given requests; confidential reports are left out.",
        [ids],
    )
    requests.update(
        _open311(
            "Submit a service request",
            "Form-encoded with the client's `api_key` (issued by `lapor open311-key create "
            "NAME`). `service_code` is a category code; the location is lat/long, "
            "address_string or address_id; `attribute[region_code]` gives the Kemendagri "
            "region, else it is recognised from the address and description. The same "
            "request posted again by the same client answers with the first request's id.",
            method="post",
            body=form,
        )
    )
    return {
        "/open311/v2/discovery.{fmt}": _open311("Discovery", "Endpoints and formats."),
        "/open311/v2/services.{fmt}": _open311(
            "Service list", "The categories of Lapor as Open311 services."
        ),
        "/open311/v2/services/{code}.{fmt}": _open311(
            "Service definition", "No service has extra attributes.", [_path_param("code")]
        ),
        "/open311/v2/requests.{fmt}": requests,
        "/open311/v2/requests/{request_id}.{fmt}": _open311(
            "One service request",
            "status open or closed, status_notes, agency_responsible, expected_datetime.",
            [_path_param("request_id")],
        ),
        "/open311/v2/tokens/{token}.{fmt}": _open311(
            "Request id of a token",
            "Requests are committed before the answer, so the token is the request id.",
            [_path_param("token")],
        ),
    }
