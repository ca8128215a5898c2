"""Following reports in public: the feed, the integrity check, the PIN gate of
confidential reports (with PIN guessing limited per client), time travel."""

from __future__ import annotations

import os
import time

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.nameko.http import json_response
from services.gateway.common import error, observed, service_proxy
from services.gateway.limits import REFUSALS, TokenBuckets, count_refusal


class PinGuesses(TokenBuckets):
    """Wrong PINs per client IP: `burst` at once, refilled at `rate_per_minute`.
    Only wrong PINs use the bucket; an empty bucket refuses even the right PIN,
    so a guesser cannot tell a hit from a refusal."""

    def allows(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            return min(self.burst, tokens + (now - last) * self.rate) >= 1.0


def pin_guesses_from_env() -> PinGuesses:
    """GATEWAY_PIN_PER_MINUTE (default 5) and GATEWAY_PIN_BURST (default 10)."""
    return PinGuesses(
        float(os.environ.get("GATEWAY_PIN_PER_MINUTE", "5")),
        int(os.environ.get("GATEWAY_PIN_BURST", "10")),
    )


PIN_GUESSES = pin_guesses_from_env()


def too_many_pins(ip: str) -> Response:
    response = error(429, "pin", "Too many wrong PINs from this address; try again later.")
    response.headers["Retry-After"] = str(PIN_GUESSES.retry_after(ip))
    return response


def pin_refused(request: Request, report: dict, check_pin) -> Response | None:
    """None when the report is not confidential or the right PIN came; else 403 or 429."""
    if not report["confidential"]:
        return None
    pin = request.headers.get("X-Report-Pin") or request.args.get("pin")
    if not pin:
        count_refusal(403)
        return error(403, "pin", "This report is confidential: give its PIN.")
    ip = request.remote_addr or "-"
    verdict = pin_verdict(ip, report["tracking_id"], pin, check_pin)
    if verdict == 429:
        return too_many_pins(ip)
    if verdict == 403:
        return error(403, "pin", "This report is confidential: give its PIN.")
    return None


def pin_verdict(ip: str, tracking_id: str, pin: str, check_pin) -> int | None:
    """None for the right PIN, 403 for a wrong one, 429 once `ip` has used up
    its wrong guesses (then even the right PIN is refused). Also the web pages'."""
    if not PIN_GUESSES.allows(ip):
        REFUSALS.labels("rate_limited_ip").inc()
        return 429
    if check_pin(tracking_id, pin):
        return None
    PIN_GUESSES.take(ip)
    count_refusal(403)
    return 403


def answer(result: dict | None, not_found: str) -> Response:
    """An RPC's answer: a value, None (404) or {"error": {status, errors}}."""
    if result is None:
        count_refusal(404)
        return error(404, "tracking_id", not_found)
    if "error" in result:
        count_refusal(result["error"]["status"])
        status = result["error"]["status"]
        return json_response({"errors": result["error"]["errors"]}, status=status)
    return json_response(result)


class TrackingApi:
    tracking = service_proxy("tracking")
    intake = service_proxy("intake")

    def _readable(self, request: Request, tracking_id: str) -> tuple[dict | None, Response | None]:
        """The report's public view, or the answer that refuses it (404, 403, 429)."""
        report = self.tracking.get_report(tracking_id.strip().upper())
        if report is None:
            count_refusal(404)
            return None, error(404, "tracking_id", "No report with this tracking id.")
        return report, pin_refused(request, report, self.intake.check_pin)

    def _as_of(self, tracking_id: str, at: str) -> Response:
        past = self.tracking.status_as_of(tracking_id, at)
        return answer(past, "The report did not exist yet at this moment.")

    @http("GET", "/api/v1/reports/<string:tracking_id>")
    @observed("/api/v1/reports/{id}")
    def get_report(self, request: Request, tracking_id: str):
        """Status, owner, due time and public timeline; `as_of` shows a past moment.
        A confidential report needs its PIN, and then shows its reporter everything."""
        report, refused = self._readable(request, tracking_id)
        if refused is not None:
            return refused
        if "as_of" in request.args:
            return self._as_of(report["tracking_id"], request.args["as_of"])
        if report["confidential"]:  # the PIN was right: this is the reporter
            report = self.tracking.get_report(report["tracking_id"], reporter=True)
        return json_response(report)

    @http("GET", "/api/v1/feed")
    @observed("/api/v1/feed")
    def public_feed(self, request: Request):
        """Reports that are not confidential, newest first, with filters."""
        # unknown names go along too: tracking refuses them with the other errors
        filters = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
        page = request.args.get("page", 1)
        per_page = request.args.get("per_page", 20)
        return answer(self.tracking.public_feed(filters, page, per_page), "")

    @http("GET", "/api/v1/reports/<string:tracking_id>/verify")
    @observed("/api/v1/reports/{id}/verify")
    def verify_report(self, request: Request, tracking_id: str):
        """Whether the report's history (its hash chain) is intact."""
        report, refused = self._readable(request, tracking_id)
        if refused is not None:
            return refused
        result = self.tracking.verify_report(report["tracking_id"])
        return answer(result, "No report with this tracking id.")
