"""Reports over REST: submit, and follow one by its tracking id."""

from __future__ import annotations

import json

from nameko.web.handlers import http
from werkzeug.wrappers import Request

from lapor.nameko.http import json_response
from services.gateway.common import MAX_BODY, error, observed, service_proxy


class ReportsApi:
    intake = service_proxy("intake")
    tracking = service_proxy("tracking")

    @http("POST", "/api/v1/reports")
    @observed("/api/v1/reports")
    def submit_report(self, request: Request):
        body = request.stream.read(MAX_BODY + 1)  # also bounds a chunked body
        if len(body) > MAX_BODY:
            return error(413, "_body", "The request body is too large.")
        try:
            payload = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError):
            return error(400, "_body", "The body is not valid JSON.")
        if not isinstance(payload, dict):
            return error(400, "_body", "Expected a JSON object.")
        result = self.intake.submit_report(
            payload, channel="web", idempotency_key=request.headers.get("Idempotency-Key")
        )
        if "errors" in result:
            return json_response({"errors": result["errors"]}, status=400)
        status = 200 if result["duplicate"] else 201
        return json_response(
            result, status=status, headers={"Location": f"/api/v1/reports/{result['tracking_id']}"}
        )

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
