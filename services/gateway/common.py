"""What every route module of the gateway shares: errors, limits, timing, RPC proxies."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import eventlet
from nameko.exceptions import RemoteError, UnknownService
from nameko.rpc import RpcProxy
from werkzeug.wrappers import Request, Response

from lapor.metrics import HTTP_LATENCY, HTTP_REQUESTS
from lapor.nameko.http import json_response

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000
# A request waits at most this long for the services behind it, then gets 503.
ANSWER_TIMEOUT_SECONDS = 10.0
# An RPC request no service instance took within this is dropped by the broker,
# so a submission the client saw fail with 503 is not created late behind its back.
RPC_REQUEST_TTL_SECONDS = 5.0


def error(status: int, field: str, message: str) -> Response:
    return json_response({"errors": {field: [message]}}, status=status)


def _unavailable(request: Request) -> Response:
    return error(503, "_service", "A service is unavailable; try again shortly.")


def observed(route: str, unavailable: Callable[[Request], Response] = _unavailable):
    """Count and time every answer; a service that fails, is missing or does
    not answer in time becomes a clean 503 (`unavailable` makes it: JSON by
    default, a page for the web pages)."""

    def wrap(method):
        def handler(self, request: Request, *args, **kwargs):
            started = time.perf_counter()
            try:
                with eventlet.Timeout(ANSWER_TIMEOUT_SECONDS):
                    response = method(self, request, *args, **kwargs)
            except (RemoteError, UnknownService, eventlet.Timeout) as exc:
                log.error("upstream service failed", extra={"route": route, "error": repr(exc)})
                response = unavailable(request)
            HTTP_REQUESTS.labels(route, str(response.status_code)).inc()
            HTTP_LATENCY.labels(route).observe(time.perf_counter() - started)
            return response

        handler.__name__ = method.__name__
        handler.__doc__ = method.__doc__
        return handler

    return wrap


def service_proxy(name: str) -> RpcProxy:
    """An RPC proxy whose requests expire if no instance of `name` takes them."""
    return RpcProxy(name, expiration=RPC_REQUEST_TTL_SECONDS)
