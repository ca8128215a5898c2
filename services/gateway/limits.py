"""Abuse limits at the gateway: requests per client IP, and every refusal
counted by reason (`lapor_gateway_refusals_total{reason}`).

A token bucket per IP, in this process: with several gateway replicas behind
a balancer each keeps its own, so the effective limit is per replica. Intake
adds a per-sender limit that holds across replicas (it counts in its store).

>>> bucket = TokenBuckets(rate_per_minute=60, burst=2)
>>> [bucket.take("10.0.0.1", now=0.0) for _ in range(3)]
[True, True, False]
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict

from prometheus_client import Counter

REFUSALS = Counter(
    "lapor_gateway_refusals_total",
    "Requests refused, by reason (rate_limited_ip, rate_limited_sender, body_too_large, "
    "invalid, unauthorized, not_found).",
    ["reason"],
)
REASON_OF_STATUS = {
    400: "invalid",
    401: "unauthorized",
    403: "unauthorized",
    404: "not_found",
    413: "body_too_large",
    429: "rate_limited_sender",
}
MAX_TRACKED = 100_000  # IPs remembered; the least recently seen are forgotten first


def count_refusal(status: int) -> None:
    reason = REASON_OF_STATUS.get(status)
    if reason:
        REFUSALS.labels(reason).inc()


class TokenBuckets:
    """`burst` requests at once, refilled at `rate_per_minute`, per key."""

    def __init__(self, rate_per_minute: float, burst: int):
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > MAX_TRACKED:
                self._buckets.popitem(last=False)
            return allowed

    def retry_after(self, key: str) -> int:
        tokens, _ = self._buckets.get(key, (0.0, 0.0))
        return max(1, int((1.0 - tokens) / self.rate) + 1) if self.rate > 0 else 60


def ip_buckets_from_env() -> TokenBuckets:
    """GATEWAY_IP_PER_MINUTE (default 600) and GATEWAY_IP_BURST (default 120) for
    requests that create something (reports, follow-ups, channel messages)."""
    return TokenBuckets(
        float(os.environ.get("GATEWAY_IP_PER_MINUTE", "600")),
        int(os.environ.get("GATEWAY_IP_BURST", "120")),
    )


IP_BUCKETS = ip_buckets_from_env()
