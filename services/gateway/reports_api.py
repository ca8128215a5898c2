"""Reports over REST: submit, and add to one by its tracking id (following one: tracking_api)."""

from __future__ import annotations

import json

from nameko.web.handlers import http
from werkzeug.wrappers import Request

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
from services.gateway.tracking_api import PIN_GUESSES, too_many_pins


class ReportsApi:
    intake = service_proxy("intake")

    @http("POST", "/api/v1/reports")
    @observed("/api/v1/reports")
    def submit_report(self, request: Request):
        """JSON, or multipart with attachments: intake's REST channel reads it."""
        return self._to_rest_channel(request)

    @http("POST", "/api/v1/reports/<string:tracking_id>/messages")
    @observed("/api/v1/reports/{id}/messages")
    def add_message(self, request: Request, tracking_id: str):
        """A follow-up from the reporter: more information, a reply, a dispute.
        Only the reporter may (intake checks the PIN): a refusal counts as a
        wrong PIN guess of the client, as on the tracking page."""
        ip = request.remote_addr or "-"
        if not PIN_GUESSES.allows(ip):
            return too_many_pins(ip)
        response = self._to_rest_channel(request)
        if response.status_code == 403:
            PIN_GUESSES.take(ip)
        return response

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
