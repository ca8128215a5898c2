"""GatewayService: the one public HTTP surface."""

from __future__ import annotations

import json
import logging
import time

import eventlet
from nameko.exceptions import RemoteError, UnknownService
from nameko.rpc import RpcProxy
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.metrics import HTTP_LATENCY, HTTP_REQUESTS
from lapor.nameko.http import LaporService, json_response

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000
# A request waits at most this long for the services behind it, then gets 503.
ANSWER_TIMEOUT_SECONDS = 10.0
# An RPC request no service instance took within this is dropped by the broker,
# so a submission the client saw fail with 503 is not created late behind its back.
RPC_REQUEST_TTL_SECONDS = 5.0


def _error(status: int, field: str, message: str) -> Response:
    return json_response({"errors": {field: [message]}}, status=status)


def observed(route: str):
    """Count and time every answer; a service that fails, is missing or does
    not answer in time becomes a clean 503."""

    def wrap(method):
        def handler(self, request: Request, *args, **kwargs):
            started = time.perf_counter()
            try:
                with eventlet.Timeout(ANSWER_TIMEOUT_SECONDS):
                    response = method(self, request, *args, **kwargs)
            except (RemoteError, UnknownService, eventlet.Timeout) as exc:
                log.error("upstream service failed", extra={"route": route, "error": repr(exc)})
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
    intake = RpcProxy("intake", expiration=RPC_REQUEST_TTL_SECONDS)
    tracking = RpcProxy("tracking", expiration=RPC_REQUEST_TTL_SECONDS)
    sipp = RpcProxy("sipp", expiration=RPC_REQUEST_TTL_SECONDS)

    @http("POST", "/api/v1/reports")
    @observed("/api/v1/reports")
    def submit_report(self, request: Request):
        body = request.stream.read(MAX_BODY + 1)  # also bounds a chunked body
        if len(body) > MAX_BODY:
            return _error(413, "_body", "The request body is too large.")
        try:
            payload = json.loads(body or b"null")
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
            limit = int(request.args.get("limit", 100))
            offset = int(request.args.get("offset", 0))
        except ValueError:
            return _error(400, "limit", "limit and offset must be whole numbers.")
        if not 0 <= limit <= 1000 or offset < 0:
            return _error(400, "limit", "limit must be 0 to 1000 and offset 0 or more.")
        agencies = self.sipp.list_agencies(
            request.args.get("region_code"), request.args.get("kind"), limit, offset
        )
        return json_response({"agencies": agencies, "limit": limit, "offset": offset})

    @http("GET", "/api/v1/ping")
    def ping(self, request: Request):
        """A no-op round trip, for the benchmark's baseline."""
        return Response("pong", mimetype="text/plain")
