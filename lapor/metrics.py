"""Kernel metrics. Labels never carry personal data or report ids."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

CONSUMER_EVENTS = Counter(
    "lapor_consumer_events_total",
    "Events handled by a consumer, by outcome (applied, duplicate, deferred, retry, parked).",
    ["consumer", "outcome"],
)
CONSUMER_LAG = Gauge(
    "lapor_consumer_lag_events", "Subscribed events in the log not yet handled.", ["consumer"]
)
RELAY_PUBLISHED = Counter(
    "lapor_relay_published_events_total", "Events published to the broker with a confirm."
)
RELAY_LAG = Gauge("lapor_relay_lag_events", "Committed events not yet published.")
HTTP_REQUESTS = Counter(
    "lapor_gateway_http_requests_total", "HTTP requests answered.", ["route", "status"]
)
HTTP_LATENCY = Histogram(
    "lapor_gateway_http_request_duration_seconds", "HTTP request latency.", ["route"]
)
