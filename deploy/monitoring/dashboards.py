"""Writes the Grafana dashboards in grafana/dashboards/ (JSON, committed).

    .venv/bin/python -m deploy.monitoring.dashboards          # rewrite them
    .venv/bin/python -m deploy.monitoring.dashboards --check  # exit 1 if they differ

One overview and one dashboard per process. Every query uses only metrics the
code exports (lapor/metrics.py, lapor/nameko/metrics.py), the Prometheus
client's process_* metrics and RabbitMQ's prometheus plugin;
deploy/validate.py checks that.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "grafana" / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}

# process -> the consumers it runs (lapor_consumer_* `consumer` label)
PROCESSES = {
    "gateway": (),
    "intake": (),
    "routing": ("routing.assign", "routing.agencies"),
    "tracking": ("tracking.reports",),
    "sipp": ("sipp.catalogue",),
    "notify": ("notify.reporter",),
    "relay": (),
}


class Board:
    def __init__(self, uid: str, title: str, description: str):
        self.uid, self.title, self.description = uid, title, description
        self.panels: list[dict] = []
        self.y = 0
        self.x = 0

    def row(self, title: str) -> None:
        self._newline()
        self.panels.append({
            "id": len(self.panels) + 1, "type": "row", "title": title, "collapsed": False,
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": [],
        })  # fmt: skip
        self.y += 1

    def _newline(self) -> None:
        if self.x:
            self.x, self.y = 0, self.y + 8

    def panel(
        self,
        title: str,
        targets: list[tuple[str, str]],
        unit: str = "short",
        kind: str = "timeseries",
        width: int = 12,
        description: str = "",
    ) -> None:
        if self.x + width > 24:
            self._newline()
        self.panels.append({
            "id": len(self.panels) + 1,
            "type": kind,
            "title": title,
            "description": description,
            "datasource": DATASOURCE,
            "gridPos": {"h": 8, "w": width, "x": self.x, "y": self.y},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom"}}
            if kind == "timeseries" else {"reduceOptions": {"calcs": ["lastNotNull"]}},
            "targets": [
                {"refId": chr(ord("A") + i), "datasource": DATASOURCE, "expr": expr,
                 "legendFormat": legend}
                for i, (expr, legend) in enumerate(targets)
            ],
        })  # fmt: skip
        self.x += width
        if self.x >= 24:
            self._newline()

    def json(self) -> dict:
        return {
            "uid": self.uid,
            "title": self.title,
            "description": self.description,
            "tags": ["lapor"],
            "timezone": "browser",
            "schemaVersion": 39,
            "version": 1,
            "editable": True,
            "refresh": "30s",
            "time": {"from": "now-3h", "to": "now"},
            "templating": {"list": []},
            "annotations": {"list": []},
            "panels": self.panels,
        }


def overview() -> Board:
    b = Board("lapor-overview", "Lapor: overview",
              "Reports through the pipeline, lag, parked events, errors, broker.")  # fmt: skip
    b.row("Reports")
    b.panel("Reports submitted and routed per second", [
        ('sum(rate(lapor_consumer_events_total{consumer="routing.assign",'
         ' outcome="applied"}[5m]))', "submitted (routing applied)"),
        ('sum(rate(lapor_consumer_events_total{consumer="tracking.reports",'
         ' outcome="applied"}[5m]))', "tracking applied (submitted + routed)"),
    ], unit="ops")  # fmt: skip
    b.panel("Gateway answers per second by status", [
        ("sum by (status) (rate(lapor_gateway_http_requests_total[5m]))", "{{status}}"),
    ], unit="reqps")  # fmt: skip
    b.panel("Gateway 5xx ratio", [
        ('sum(rate(lapor_gateway_http_requests_total{status=~"5.."}[5m]))'
         " / sum(rate(lapor_gateway_http_requests_total[5m]))", "5xx"),
    ], unit="percentunit")  # fmt: skip
    b.panel("Gateway latency p99 by route", [
        ("histogram_quantile(0.99, sum by (le, route) "
         "(rate(lapor_gateway_http_request_duration_seconds_bucket[5m])))", "{{route}}"),
    ], unit="s")  # fmt: skip
    b.row("Pipeline")
    b.panel("Consumer lag (events)", [
        ("max by (consumer) (lapor_consumer_lag_events)", "{{consumer}}"),
    ])  # fmt: skip
    b.panel("Relay lag (events) and published per second", [
        ("max(lapor_relay_lag_events)", "lag"),
        ("sum(rate(lapor_relay_published_events_total[5m]))", "published/s"),
    ])  # fmt: skip
    b.panel("Consumer events by outcome", [
        ("sum by (consumer, outcome) (rate(lapor_consumer_events_total[5m]))",
         "{{consumer}} {{outcome}}"),
    ], unit="ops")  # fmt: skip
    b.panel("Parked in the last hour", [
        ('sum by (consumer) (increase(lapor_consumer_events_total{outcome="parked"}[1h]))',
         "{{consumer}}"),
    ], kind="stat", description="lapor parked list; lapor parked replay ID")  # fmt: skip
    b.row("Processes and broker")
    b.panel("Processes up by service", [
        ('sum by (service) (up{job="lapor"})', "{{service}}"),
    ], kind="stat")  # fmt: skip
    b.panel("RabbitMQ alarms", [
        ("max(rabbitmq_alarms_memory_used_watermark)", "memory"),
        ("max(rabbitmq_alarms_free_disk_space_watermark)", "disk"),
        ("max(rabbitmq_alarms_file_descriptor_limit)", "file descriptors"),
    ], kind="stat")  # fmt: skip
    b.panel("Queue depth (ready messages)", [
        ("sum by (queue) (rabbitmq_detailed_queue_messages_ready)", "{{queue}}"),
    ])  # fmt: skip
    b.panel("CPU by service", [
        ('sum by (service) (rate(process_cpu_seconds_total{job="lapor"}[5m]))', "{{service}}"),
    ], unit="percentunit")  # fmt: skip
    return b


def service_board(name: str, consumers: tuple[str, ...]) -> Board:
    b = Board(f"lapor-{name}", f"Lapor: {name}", f"The {name} process: workers, "
              "consumers, resources, per replica.")  # fmt: skip
    sel = f'job="lapor", service="{name}"'
    b.row("Workers")
    b.panel("Workers per second by entrypoint and outcome", [
        (f"sum by (entrypoint, outcome) (rate(lapor_{name}_worker_calls_total[5m]))",
         "{{entrypoint}} {{outcome}}"),
    ], unit="ops")  # fmt: skip
    b.panel("Worker duration p50 and p99 by entrypoint", [
        (f"histogram_quantile(0.5, sum by (le, entrypoint) "
         f"(rate(lapor_{name}_worker_duration_seconds_bucket[5m])))", "p50 {{entrypoint}}"),
        (f"histogram_quantile(0.99, sum by (le, entrypoint) "
         f"(rate(lapor_{name}_worker_duration_seconds_bucket[5m])))", "p99 {{entrypoint}}"),
    ], unit="s")  # fmt: skip
    b.panel("Workers per second by replica", [
        (f"sum by (instance) (rate(lapor_{name}_worker_calls_total[5m]))", "{{instance}}"),
    ], unit="ops")  # fmt: skip
    b.panel("Worker errors", [
        (f'sum by (entrypoint) (rate(lapor_{name}_worker_calls_total{{outcome="error"}}[5m]))',
         "{{entrypoint}}"),
    ], unit="ops")  # fmt: skip
    if consumers:
        match = "|".join(c.replace(".", "[.]") for c in consumers)
        b.row("Consumers")
        b.panel("Lag (events)", [
            (f'max by (consumer) (lapor_consumer_lag_events{{consumer=~"{match}"}})',
             "{{consumer}}"),
        ])  # fmt: skip
        b.panel("Events by outcome", [
            ("sum by (consumer, outcome) "
             f'(rate(lapor_consumer_events_total{{consumer=~"{match}"}}[5m]))',
             "{{consumer}} {{outcome}}"),
        ], unit="ops")  # fmt: skip
    if name == "gateway":
        b.row("HTTP")
        b.panel("Answers per second by route and status", [
            ("sum by (route, status) (rate(lapor_gateway_http_requests_total[5m]))",
             "{{route}} {{status}}"),
        ], unit="reqps")  # fmt: skip
        b.panel("Latency p50 and p99 by route", [
            ("histogram_quantile(0.5, sum by (le, route) "
             "(rate(lapor_gateway_http_request_duration_seconds_bucket[5m])))", "p50 {{route}}"),
            ("histogram_quantile(0.99, sum by (le, route) "
             "(rate(lapor_gateway_http_request_duration_seconds_bucket[5m])))", "p99 {{route}}"),
        ], unit="s")  # fmt: skip
    if name == "relay":
        b.row("Relay")
        b.panel("Lag (events) by replica", [
            ("lapor_relay_lag_events", "{{instance}}"),
        ], description="only the leader publishes; the standby's gauge stays still")  # fmt: skip
        b.panel("Published per second", [
            ("sum by (instance) (rate(lapor_relay_published_events_total[5m]))", "{{instance}}"),
        ], unit="ops")  # fmt: skip
    b.row("Resources")
    b.panel("CPU by replica", [
        (f"rate(process_cpu_seconds_total{{{sel}}}[5m])", "{{instance}}"),
    ], unit="percentunit")  # fmt: skip
    b.panel("Resident memory by replica", [
        (f"process_resident_memory_bytes{{{sel}}}", "{{instance}}"),
    ], unit="bytes")  # fmt: skip
    b.panel("Replicas up", [(f"sum(up{{{sel}}})", "up")], kind="stat", width=6)
    return b


def boards() -> dict[str, dict]:
    found = {"overview.json": overview().json()}
    for name, consumers in PROCESSES.items():
        found[f"{name}.json"] = service_board(name, consumers).json()
    return found


def main(argv: list[str]) -> int:
    check = "--check" in argv
    differ = []
    OUT.mkdir(parents=True, exist_ok=True)
    for filename, board in boards().items():
        text = json.dumps(board, indent=2) + "\n"
        path = OUT / filename
        if check:
            if not path.exists() or path.read_text() != text:
                differ.append(filename)
        else:
            path.write_text(text)
    if differ:
        print(f"dashboards differ from deploy/monitoring/dashboards.py: {differ}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
