"""GatewayService: the one public HTTP surface."""

from __future__ import annotations

import json
import logging
import time

from nameko.exceptions import RemoteError
from nameko.rpc import RpcProxy
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.metrics import HTTP_LATENCY, HTTP_REQUESTS
from lapor.nameko.http import LaporService, json_response

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000


def _error(status: int, field: str, message: str) -> Response:
    return json_response({"errors": {field: [message]}}, status=status)


def observed(route: str):
    """Count and time every answer; an unexpected failure becomes a clean 503."""

    def wrap(method):
        def handler(self, request: Request, *args, **kwargs):
            started = time.perf_counter()
            try:
                response = method(self, request, *args, **kwargs)
            except RemoteError as exc:
                log.error("upstream service failed", extra={"route": route, "error": exc.exc_type})
                response = _error(503, "_service", "A service is unavailable; try again shortly.")
            HTTP_REQUESTS.labels(route, str(response.status_code)).inc()
            HTTP_LATENCY.labels(route).observe(time.perf_counter() - started)
            return response

        handler.__name__ = method.__name__
        handler.__doc__ = method.__doc__
        return handler

    return wrap


class GatewayService(LaporService):
    name = "gateway"
    intake = RpcProxy("intake")
    tracking = RpcProxy("tracking")
    sipp = RpcProxy("sipp")

    @http("POST", "/api/v1/reports")
    @observed("/api/v1/reports")
    def submit_report(self, request: Request):
        if request.content_length and request.content_length > MAX_BODY:
            return _error(413, "_body", "The request body is too large.")
        try:
            payload = json.loads(request.get_data(cache=False) or b"null")
        except (ValueError, UnicodeDecodeError):
            return _error(400, "_body", "The body is not valid JSON.")
        if not isinstance(payload, dict):
            return _error(400, "_body", "Expected a JSON object.")
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
            return _error(404, "tracking_id", "No report with this tracking id.")
        if report["confidential"]:
            pin = request.headers.get("X-Report-Pin") or request.args.get("pin")
            if not pin or not self.intake.check_pin(report["tracking_id"], pin):
                return _error(403, "pin", "This report is confidential: give its PIN.")
        return json_response(report)

    @http("GET", "/api/v1/agencies")
    @observed("/api/v1/agencies")
    def list_agencies(self, request: Request):
        try:
            limit = min(int(request.args.get("limit", 100)), 1000)
            offset = max(int(request.args.get("offset", 0)), 0)
        except ValueError:
            return _error(400, "limit", "limit and offset must be whole numbers.")
        agencies = self.sipp.list_agencies(
            request.args.get("region_code"), request.args.get("kind"), limit, offset
        )
        return json_response({"agencies": agencies, "limit": limit, "offset": offset})

    @http("GET", "/api/v1/ping")
    def ping(self, request: Request):
        """A no-op round trip, for the benchmark's baseline."""
        return Response("pong", mimetype="text/plain")
