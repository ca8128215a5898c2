"""Reports over REST: submit, and follow one by its tracking id."""

from __future__ import annotations

import json

from nameko.web.handlers import http
from werkzeug.wrappers import Request

from lapor.nameko.http import json_response
from services.gateway.channels_api import (
    MAX_CHANNEL_BODY,
    inbound_wire,
    rate_limited,
    read_body,
    reply_response,
    too_large,
)
from services.gateway.common import MAX_BODY, error, observed, service_proxy
from services.gateway.limits import count_refusal


class ReportsApi:
    intake = service_proxy("intake")
    tracking = service_proxy("tracking")

    @http("POST", "/api/v1/reports")
    @observed("/api/v1/reports")
    def submit_report(self, request: Request):
        """JSON, or multipart with attachments: intake's REST channel reads it."""
        return self._to_rest_channel(request)

    @http("POST", "/api/v1/reports/<string:tracking_id>/messages")
    @observed("/api/v1/reports/{id}/messages")
    def add_message(self, request: Request, tracking_id: str):
        """A follow-up from the reporter: more information, a reply, a dispute."""
        return self._to_rest_channel(request)

    def _to_rest_channel(self, request: Request):
        limited = rate_limited(request)
        if limited is not None:
            return limited
        multipart = request.mimetype == "multipart/form-data"
        body = read_body(request, MAX_CHANNEL_BODY if multipart else MAX_BODY)
        if body is None:
            return too_large()
        if not multipart:
            try:
                payload = json.loads(body or b"null")
            except (ValueError, UnicodeDecodeError):
                count_refusal(400)
                return error(400, "_body", "The body is not valid JSON.")
            if not isinstance(payload, dict):
                count_refusal(400)
                return error(400, "_body", "Expected a JSON object.")
        return reply_response(self.intake.receive("web", inbound_wire(request, body)))

    @http("GET", "/api/v1/reports/<string:tracking_id>")
    @observed("/api/v1/reports/{id}")
    def get_report(self, request: Request, tracking_id: str):
        report = self.tracking.get_report(tracking_id.strip().upper())
        if report is None:
            return error(404, "tracking_id", "No report with this tracking id.")
        if report["confidential"]:
            pin = request.headers.get("X-Report-Pin") or request.args.get("pin")
            if not pin or not self.intake.check_pin(report["tracking_id"], pin):
                return error(403, "pin", "This report is confidential: give its PIN.")
        return json_response(report)
