"""The agency API's routes (services/gateway/agency_api.py) as OpenAPI paths
for docs/openapi.yaml; their schemas are in agency_schemas.py."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from lapor.contracts.case import STATUSES
from services.gateway.agency_schemas import ACTION_SCHEMAS, MAX_PER_PAGE, InboxQuerySchema

_ACTION_DOC = {
    "verify": "Verify",
    "defer": "Defer",
    "archive": "Archive",
    "merge": "Merge",
    "assign": "HandOver",
    "dispose": "HandOver",
    "accept": "Accept",
    "return": "Return",
    "respond": "Respond",
    "change_privacy": "StrengthenPrivacy",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_AUTH = [{"agencyToken": []}]
_TAG = ["agency"]
_ID = {
    "name": "tracking_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "example": "LAP-7K3M9QXT2B",
}
_UNAUTHORISED = {"401": _json("Errors", "No valid agency token (`authorization`).")}
_NOT_VISIBLE = _json(
    "Errors",
    "No such report, or it is not assigned to the account's agency or one of its "
    "units (the answer does not tell which).",
)


def _query(schema: Schema) -> list[dict]:
    params = []
    for name, field in schema.fields.items():
        kind = {fields.Integer: "integer", fields.Boolean: "boolean"}.get(type(field), "string")
        param = {"name": name, "in": "query", "required": False, "schema": {"type": kind}}
        if isinstance(field, fields.Date):
            param["schema"]["format"] = "date"
        if "description" in field.metadata:
            param["description"] = field.metadata["description"]
        params.append(param)
    return params


def _report_paths(failed: dict) -> dict[str, dict]:
    return {
        "/api/v1/agency/reports": {
            "get": {
                "operationId": "agencyInbox",
                "tags": _TAG,
                "summary": "The inbox: cases of the agency and its units, by due time",
                "description": "A national admin sees every case; any other account the "
                "cases whose owner (or, once closed, last owner) is its agency or one of "
                "its units. Statuses: " + ", ".join(STATUSES) + ".",
                "security": _AUTH,
                "parameters": _query(InboxQuerySchema()),
                "responses": {
                    "200": _json("Inbox", "A page of cases, soonest due first."),
                    "400": _json("Errors", "A bad filter or paging value (by parameter)."),
                    **_UNAUTHORISED,
                    **failed,
                },
            }
        },
        "/api/v1/agency/reports/{tracking_id}": {
            "get": {
                "operationId": "agencyReport",
                "tags": _TAG,
                "summary": "A case with its report, timeline and (unless anonymous) reporter",
                "security": _AUTH,
                "parameters": [_ID],
                "responses": {
                    "200": _json("AgencyReport", "The case."),
                    **_UNAUTHORISED,
                    "404": _NOT_VISIBLE,
                    **failed,
                },
            }
        },
        "/api/v1/agency/reports/{tracking_id}/{action}": {
            "post": {
                "operationId": "agencyAct",
                "tags": _TAG,
                "summary": "Act on a case: the action becomes an event with the account as actor",
                "description": "The body is the action's parameters: "
                + "; ".join(f"`{a}`: {s}" for a, s in _ACTION_DOC.items())
                + ". `change_privacy` can only make a report more private; only the "
                "reporter may weaken it.",
                "security": _AUTH,
                "parameters": [
                    _ID,
                    {
                        "name": "action",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(ACTION_SCHEMAS)},
                    },
                ],
                "requestBody": _body(
                    {"oneOf": [_ref(s) for s in dict.fromkeys(_ACTION_DOC.values())]}
                ),
                "responses": {
                    "200": _json("CaseActed", "Recorded; the case as the event left it."),
                    "400": _json("Errors", "The parameters are invalid (by field)."),
                    **_UNAUTHORISED,
                    "403": _json("Errors", "The account's role may not do this."),
                    "404": _NOT_VISIBLE,
                    "409": _json("Errors", "The case's status does not allow this action."),
                    **failed,
                },
            }
        },
    }


def _webhook_paths(failed: dict) -> dict[str, dict]:
    return {
        "/api/v1/agency/webhook": {
            "put": {
                "operationId": "setWebhook",
                "tags": _TAG,
                "summary": "Register (or change) the URL the agency's events are posted to",
                "description": "Events about the agency's cases are posted as CloudEvents, "
                "signed with Standard Webhooks. The secret is shown once.",
                "security": _AUTH,
                "requestBody": _body(_ref("Webhook")),
                "responses": {
                    "200": _json("WebhookSecret", "Registered."),
                    "400": _json("Errors", "Not an http(s) URL (`url`)."),
                    **_UNAUTHORISED,
                    **failed,
                },
            }
        },
        "/api/v1/agency/webhook/rotate": {
            "post": {
                "operationId": "rotateWebhookSecret",
                "tags": _TAG,
                "summary": "A new signing secret; the old one also signs for a while",
                "security": _AUTH,
                "responses": {
                    "200": _json("WebhookRotation", "The new secret, shown once."),
                    **_UNAUTHORISED,
                    "404": _json("Errors", "The agency has no webhook."),
                    **failed,
                },
            }
        },
        "/api/v1/agency/webhook/deliveries": {
            "get": {
                "operationId": "webhookDeliveries",
                "tags": _TAG,
                "summary": "The delivery log of the agency's webhook, newest first",
                "security": _AUTH,
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "default": 50, "minimum": 1},
                        "description": f"1 to {MAX_PER_PAGE}.",
                    }
                ],
                "responses": {
                    "200": _json("WebhookDeliveries", "Deliveries and their attempts."),
                    "400": _json("Errors", "A bad limit."),
                    **_UNAUTHORISED,
                    **failed,
                },
            }
        },
    }


def _privacy_path(failed: dict) -> dict[str, dict]:
    return {
        "/api/v1/reports/{tracking_id}/privacy": {
            "post": {
                "operationId": "changePrivacy",
                "tags": ["reports"],
                "summary": "The reporter changes the report's privacy (anonim, rahasia)",
                "description": "Only the reporter may make a report less private: the "
                "change is recorded as `report.privacy_changed` with the actor `reporter`, "
                "their consent. Proof is the report's PIN (X-Report-Pin header or `pin`).",
                "parameters": [
                    _ID,
                    {
                        "name": "X-Report-Pin",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": _body(_ref("ReporterPrivacy")),
                "responses": {
                    "200": _json("Privacy", "The report's privacy now."),
                    "400": _json("Errors", "Invalid body (by field)."),
                    "403": _json("Errors", "The PIN is missing or wrong (`pin`)."),
                    "404": _json("Errors", "No report (yet) with this tracking id."),
                    "409": _json("Errors", "The case's status does not allow it."),
                    **failed,
                },
            }
        }
    }


def paths(service_failed: dict) -> dict[str, dict]:
    """The agency API's paths (and the reporter's privacy route) of docs/openapi.yaml."""
    failed: dict[str, Any] = {"503": service_failed}
    return {**_report_paths(failed), **_webhook_paths(failed), **_privacy_path(failed)}
