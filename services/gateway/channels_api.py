"""Channel callbacks: a raw inbound request for a named channel goes to intake
as it came (method, path, headers, query, body); intake's channel parses it
and says what to answer. The gateway knows no channel's format."""

from __future__ import annotations

import base64

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.gateway.common import error, observed, service_proxy
from services.gateway.limits import IP_BUCKETS, REFUSALS, count_refusal

# a channel message with its attachments (2 MB by default) and their encoding
MAX_CHANNEL_BODY = 4_000_000
# headers a channel never needs; cookies and proxies' credentials stay out of RPC
DROPPED_HEADERS = {"cookie", "authorization", "proxy-authorization"}


def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than `limit` (also for a chunked body).
    Reading up to the limit first lets the client finish sending and see the 413."""
    body = request.stream.read(limit + 1)
    return None if len(body) > limit else body


def inbound_wire(request: Request, body: bytes, keep_auth: bool = False) -> dict:
    """`lapor.channels.Inbound.to_wire()` of a werkzeug request."""
    headers = {
        k.lower(): v
        for k, v in request.headers.items()
        if keep_auth or k.lower() not in DROPPED_HEADERS
    }
    return {
        "method": request.method,
        "path": request.path,
        "headers": headers,
        "query": {k: request.args.getlist(k) for k in request.args.keys()},
        "body": base64.b64encode(body).decode("ascii"),
        "remote_addr": request.remote_addr,
    }


def rate_limited(request: Request) -> Response | None:
    """429 when this client IP has used up its requests, else None."""
    ip = request.remote_addr or "-"
    if IP_BUCKETS.take(ip):
        return None
    REFUSALS.labels("rate_limited_ip").inc()
    response = error(429, "_rate", "Too many requests from this address; try again later.")
    response.headers["Retry-After"] = str(IP_BUCKETS.retry_after(ip))
    return response


def too_large() -> Response:
    REFUSALS.labels("body_too_large").inc()
    return error(413, "_body", "The request body is too large.")


def reply_response(reply: dict) -> Response:
    count_refusal(int(reply["status"]))
    return Response(
        reply["body"],
        status=int(reply["status"]),
        content_type=reply.get("content_type") or "application/json",
        headers=reply.get("headers") or {},
    )


class ChannelsApi:
    intake = service_proxy("intake")

    def _hand_over(self, request: Request, name: str) -> Response:
        limited = rate_limited(request)
        if limited is not None:
            return limited
        body = read_body(request, MAX_CHANNEL_BODY)
        if body is None:
            return too_large()
        return reply_response(self.intake.receive(name, inbound_wire(request, body)))

    @http("POST", "/channels/<string:name>")
    @observed("/channels/{name}")
    def channel_message(self, request: Request, name: str):
        return self._hand_over(request, name)

    @http("GET", "/channels/<string:name>")
    @observed("/channels/{name}")
    def channel_message_get(self, request: Request, name: str):
        """For gateways that call with GET, such as Kannel's sms-service get-url."""
        return self._hand_over(request, name)

    @http("POST", "/channels/<string:name>/<path:rest>")
    @observed("/channels/{name}/{rest}")
    def channel_message_sub(self, request: Request, name: str, rest: str):
        return self._hand_over(request, name)
