"""Per-service worker metrics: `lapor_<service>_worker_calls_total{entrypoint,outcome}`
and `lapor_<service>_worker_duration_seconds{entrypoint}`. Labels name code,
never data."""

from __future__ import annotations

import time

from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Histogram

_metrics: dict[str, tuple[Counter, Histogram]] = {}


def worker_metrics(service: str) -> tuple[Counter, Histogram]:
    if service not in _metrics:
        _metrics[service] = (
            Counter(
                f"lapor_{service}_worker_calls_total",
                "Workers run, by entrypoint and outcome.",
                ["entrypoint", "outcome"],
            ),
            Histogram(
                f"lapor_{service}_worker_duration_seconds", "Worker run time.", ["entrypoint"]
            ),
        )
    return _metrics[service]


class WorkerMetrics(DependencyProvider):
    def setup(self) -> None:
        self.calls, self.duration = worker_metrics(self.container.service_name)
        self.started: dict = {}

    def worker_setup(self, worker_ctx) -> None:
        self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        name = worker_ctx.entrypoint.method_name
        self.calls.labels(name, "error" if exc_info else "ok").inc()
        started = self.started.pop(worker_ctx, None)
        if started is not None:
            self.duration.labels(name).observe(time.perf_counter() - started)
