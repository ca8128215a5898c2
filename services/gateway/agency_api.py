"""The agency API (`/api/v1/agency/...`): coordinators, officers and agencies'
own systems read and act on the cases they are responsible for.

Every request carries `Authorization: Bearer <token>` of an agency account
(sipp authenticates it: actor, agency and role). An account sees a case whose
owner (or, once closed, last owner) is its agency or one of its descendants;
the national admin sees all. A case it may not see answers 404, exactly as a
case that does not exist. Actions go to `routing.act` with the account as
actor; routing decides and records the event.

Confidentiality by construction: an agency's answers never carry a reporter
reference, the reporter's contact comes only for a report that is not
anonymous, and `change_privacy` from an agency can only set flags to true.
Only the reporter, with the report's PIN, may weaken privacy
(`POST /api/v1/reports/<id>/privacy`).
"""

from __future__ import annotations

import functools
import re

from marshmallow import Schema, ValidationError
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.nameko.http import json_response
from services.gateway.agency_schemas import (
    ACTION_SCHEMAS,
    MAX_PER_PAGE,
    TRACKING_ID,
    InboxQuerySchema,
    ReporterPrivacySchema,
    WebhookSchema,
)
from services.gateway.common import error, observed, service_proxy
from services.gateway.sipp_api import _answer, _json_body, _token

# keys that would tie an answer to the reporter; never sent to an agency
REPORTER_KEYS = frozenset({"reporter_ref", "reporter", "reporter_contact"})
REPORTER_ACTOR = {"role": "reporter", "agency_code": None, "account": None}


def _unauthorised() -> Response:
    refused = {"status": 401, "errors": {"authorization": ["A valid agency token is needed."]}}
    return _answer({"error": refused})


NOT_VISIBLE = "No report with this tracking id for your agency."


def _not_visible() -> Response:
    return error(404, "tracking_id", NOT_VISIBLE)


def _load(schema: Schema, data: dict) -> dict | Response:
    try:
        return schema.load(data)
    except ValidationError as exc:
        return json_response({"errors": exc.messages}, status=400)


def _params(request: Request) -> dict | Response:
    """The JSON object of the body; no body at all is no parameters."""
    if not request.content_length and not request.headers.get("Transfer-Encoding"):
        return {}
    return _json_body(request)


def actor_of(account: dict) -> dict:
    """The case contract's actor for an authenticated account."""
    return {
        "role": account["role"],
        "agency_code": account["agency_code"],
        "account": account["actor"],
    }


def tracking_id_of(raw: str) -> str | None:
    tracking_id = raw.strip().upper()
    return tracking_id if re.match(TRACKING_ID, tracking_id) else None


def may_see(visible: list[str] | None, concerned: str | None) -> bool:
    """`visible` is routing's answer for the account's agency (None: every agency)."""
    return visible is None or (concerned is not None and concerned in visible)


def without_reporter(value):
    """`value` with every key naming the reporter removed, at any depth."""
    if isinstance(value, dict):
        return {k: without_reporter(v) for k, v in value.items() if k not in REPORTER_KEYS}
    if isinstance(value, list):
        return [without_reporter(v) for v in value]
    return value


def inbox_filters(query: dict) -> dict:
    """The loaded query as tracking.inbox's filters: dates as ISO strings."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in query.items()}


def strengthened(case: dict, params: dict) -> dict:
    """An agency's change_privacy: only true flags were accepted; the rest stay."""
    return {
        "anonymous": params.get("anonymous", case["anonymous"]),
        "confidential": params.get("confidential", case["confidential"]),
    }


def _refusal(status: int, errors: dict) -> dict:
    return {"error": {"status": status, "errors": errors}}


def authenticated(method):
    """Resolve the bearer token to an account, passed as `account`; else 401."""

    @functools.wraps(method)
    def handler(self, request: Request, *args, **kwargs):
        token = _token(request)
        account = self.sipp.authenticate(token) if token else None
        if account is None:
            return _unauthorised()
        return method(self, request, account, *args, **kwargs)

    return handler


class AgencyCases:
    """What the agency API and the officers' pages (services/gateway/web/officer.py)
    share: an account's inbox, the cases it may see, and acting on them. Each
    answers a dict; a refusal is {"error": {"status", "errors"}}."""

    sipp = service_proxy("sipp")
    routing = service_proxy("routing")
    tracking = service_proxy("tracking")
    intake = service_proxy("intake")

    def inbox_for(self, account: dict, query: dict) -> dict:
        """The cases of the account's agency tree, filtered (InboxQuerySchema)."""
        try:
            loaded = InboxQuerySchema().load(query)
        except ValidationError as exc:
            return _refusal(400, exc.messages)
        page, per_page = loaded.pop("page"), loaded.pop("per_page")
        visible = self.routing.visible_agencies(account["agency_code"])
        return without_reporter(self.tracking.inbox(visible, inbox_filters(loaded), page, per_page))

    def case_for(self, account: dict, raw_id: str) -> dict | None:
        """Tracking's view of a case the account may see, with routing's `case`
        and the reporter's contact (None when anonymous); else None."""
        seen = self._visible_case(account, raw_id, with_detail=True)
        if seen is None:
            return None
        case, detail = seen
        answer = without_reporter(
            {**(detail or {"tracking_id": case["tracking_id"]}), "case": case}
        )
        contact = None if case["anonymous"] else self.intake.reporter_contact_for_agency(
            case["tracking_id"]
        )  # fmt: skip
        return {**answer, "reporter": contact}

    def act_for(self, account: dict, raw_id: str, action: str, params: dict) -> dict:
        """Check the action's parameters, then let routing act as the account."""
        schema = ACTION_SCHEMAS.get(action)
        if schema is None:
            return _refusal(404, {"action": ["Actions: " + ", ".join(ACTION_SCHEMAS) + "."]})
        try:
            params = schema().load(params)
        except ValidationError as exc:
            return _refusal(400, exc.messages)
        seen = self._visible_case(account, raw_id)
        if seen is None:
            return _refusal(404, {"tracking_id": [NOT_VISIBLE]})
        case = seen[0]
        if action == "change_privacy":
            params = strengthened(case, params)
        result = self.routing.act(case["tracking_id"], action, params, actor_of(account))
        return without_reporter(result)

    def _visible_case(
        self, account: dict, raw_id: str, with_detail: bool = False
    ) -> tuple[dict, dict | None] | None:
        """(routing's case, tracking's detail) when the account may see it, else
        None. A closed case has no owner: its last agency comes from tracking."""
        tracking_id = tracking_id_of(raw_id)
        case = self.routing.case(tracking_id) if tracking_id else None
        if case is None:
            return None
        wanted = with_detail or not case.get("owner")
        detail = self.tracking.case_detail(tracking_id) if wanted else None
        concerned = case.get("owner") or ((detail or {}).get("agency") or {}).get("code")
        if not may_see(self.routing.visible_agencies(account["agency_code"]), concerned):
            return None
        return case, detail


class AgencyApi(AgencyCases):
    @http("GET", "/api/v1/agency/reports")
    @observed("/api/v1/agency/reports")
    @authenticated
    def agency_inbox(self, request: Request, account: dict):
        return _answer(self.inbox_for(account, request.args.to_dict()))

    @http("GET", "/api/v1/agency/reports/<string:tracking_id>")
    @observed("/api/v1/agency/reports/{id}")
    @authenticated
    def agency_report(self, request: Request, account: dict, tracking_id: str):
        found = self.case_for(account, tracking_id)
        return _not_visible() if found is None else json_response(found)

    @http("POST", "/api/v1/agency/reports/<string:tracking_id>/<string:action>")
    @observed("/api/v1/agency/reports/{id}/{action}")
    @authenticated
    def agency_act(self, request: Request, account: dict, tracking_id: str, action: str):
        if action not in ACTION_SCHEMAS:
            return _answer(self.act_for(account, tracking_id, action, {}))
        body = _params(request)
        if isinstance(body, Response):
            return body
        return _answer(self.act_for(account, tracking_id, action, body))

    @http("PUT", "/api/v1/agency/webhook")
    @observed("/api/v1/agency/webhook")
    @authenticated
    def set_webhook(self, request: Request, account: dict):
        body = _json_body(request)
        loaded = body if isinstance(body, Response) else _load(WebhookSchema(), body)
        if isinstance(loaded, Response):
            return loaded
        return _answer(self.routing.set_webhook(account["agency_code"], loaded["url"]))

    @http("POST", "/api/v1/agency/webhook/rotate")
    @observed("/api/v1/agency/webhook/rotate")
    @authenticated
    def rotate_webhook_secret(self, request: Request, account: dict):
        rotated = self.routing.rotate_webhook_secret(account["agency_code"])
        if rotated is None:
            return error(404, "webhook", "Register a webhook URL first.")
        return _answer(rotated)

    @http("GET", "/api/v1/agency/webhook/deliveries")
    @observed("/api/v1/agency/webhook/deliveries")
    @authenticated
    def webhook_deliveries(self, request: Request, account: dict):
        try:
            limit = int(request.args.get("limit", 50))
        except ValueError:
            return error(400, "limit", "limit must be a whole number.")
        if not 1 <= limit <= MAX_PER_PAGE:
            return error(400, "limit", f"limit must be 1 to {MAX_PER_PAGE}.")
        deliveries = self.routing.webhook_deliveries(account["agency_code"], limit)
        return json_response({"deliveries": deliveries})

    @http("POST", "/api/v1/reports/<string:tracking_id>/privacy")
    @observed("/api/v1/reports/{id}/privacy")
    def change_privacy(self, request: Request, tracking_id: str):
        """The reporter's own change, proven with the report's PIN."""
        body = _json_body(request)
        wanted = body if isinstance(body, Response) else _load(ReporterPrivacySchema(), body)
        if isinstance(wanted, Response):
            return wanted
        tracking_id = tracking_id_of(tracking_id)
        pin = request.headers.get("X-Report-Pin") or wanted.pop("pin", None)
        if tracking_id is None or not pin or not self.intake.check_pin(tracking_id, pin):
            return error(403, "pin", "Give the report's PIN: only its reporter may do this.")
        case = self.routing.case(tracking_id)
        if case is None:
            return error(404, "tracking_id", "No report with this tracking id (yet).")
        params = {k: wanted.get(k, case[k]) for k in ("anonymous", "confidential")}
        result = self.routing.act(tracking_id, "change_privacy", params, REPORTER_ACTOR)
        if "error" in result:
            return _answer(result)
        now = result["case"]
        return json_response(
            {
                "tracking_id": tracking_id,
                "anonymous": now["anonymous"],
                "confidential": now["confidential"],
            }
        )
