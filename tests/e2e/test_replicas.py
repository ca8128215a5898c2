"""Two replicas of routing and of tracking share the work, and every report is
still routed once and projected once (issue 8, point 5)."""

from __future__ import annotations

import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.request import Request, urlopen

import sqlalchemy as sa

from tests.e2e.conftest import report_body, wait_until

REPORTS = 200
SCALED = ("routing", "tracking")
# entrypoints every process runs for its probes and scrapes, not for events
PLUMBING = {"health_live", "health_ready", "metrics"}


def worker_calls(system, name: str, replica: int) -> int:
    """Workers this replica ran for anything but health and metrics."""
    request = Request(f"{system.url(name, replica)}/metrics", headers={"Accept": "text/plain"})
    with urlopen(request, timeout=10) as answer:
        text = answer.read().decode()
    pattern = re.compile(
        rf'^lapor_{name}_worker_calls_total\{{entrypoint="([^"]+)",outcome="ok"\}} (\S+)$', re.M
    )
    counts = pattern.findall(text)
    return int(sum(float(n) for entrypoint, n in counts if entrypoint not in PLUMBING))


def submit(system, i: int) -> str:
    body = report_body(
        title=f"Laporan replika {i}",
        category=("kependudukan", "kesehatan", "pendidikan", "perizinan")[i % 4],
        region_code=("32.73", "32.04", "32.01", "32.71")[(i // 4) % 4],
    )
    body.pop("reporter")
    status, answer = system.api.submit(body)
    assert status == 201, answer
    return answer["tracking_id"]


def test_two_replicas_of_routing_and_tracking_handle_each_report_once(system):
    before = {(name, 1): worker_calls(system, name, 1) for name in SCALED}
    for name in SCALED:
        system.start(name, 2)
    try:
        for name in SCALED:
            system.wait_ready(name, 2)
        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(lambda i: submit(system, i), range(REPORTS)))
        streams = [f"report-{tracking_id}" for tracking_id in ids]

        def routed_in_tracking() -> bool:
            with system.engine.connect() as conn:
                return conn.execute(
                    sa.text("SELECT count(*) FROM tracking.reports"
                            " WHERE tracking_id = ANY(:ids) AND owner IS NOT NULL"),
                    {"ids": ids},
                ).scalar() == REPORTS  # fmt: skip

        wait_until(routed_in_tracking, 120, f"tracking to show {REPORTS} reports as routed")

        with system.engine.connect() as conn:
            routed = dict(
                conn.execute(
                    sa.text("SELECT stream, count(*) FROM lapor.events"
                            " WHERE type = 'report.routed' AND stream = ANY(:s) GROUP BY stream"),
                    {"s": streams},
                ).all()
            )  # fmt: skip
            timeline = conn.execute(
                sa.text("SELECT tracking_id, type, count(*) FROM tracking.timeline"
                        " WHERE tracking_id = ANY(:ids)"
                        " AND type IN ('report.submitted', 'report.routed')"
                        " GROUP BY tracking_id, type"),
                {"ids": ids},
            ).all()  # fmt: skip
            parked = conn.execute(
                sa.text("SELECT count(*) FROM lapor.parked p JOIN lapor.events e"
                        " ON e.event_id = p.event_id WHERE e.stream = ANY(:s)"),
                {"s": streams},
            ).scalar()  # fmt: skip

        assert routed == dict.fromkeys(streams, 1), "a report routed twice or never"
        assert len(timeline) == 2 * REPORTS, "a report missing from a tracking timeline"
        assert all(count == 1 for _, _, count in timeline), "a timeline entry projected twice"
        assert parked == 0
        for name in SCALED:
            first = worker_calls(system, name, 1) - before[(name, 1)]
            second = worker_calls(system, name, 2)
            assert first > 0 and second > 0, f"{name}: replica 1 ran {first}, replica 2 {second}"
    finally:
        stop_extra_replicas(system)


def stop_extra_replicas(system) -> None:
    """SIGTERM, then SIGKILL what still runs after 15 s: the other tests see one of each."""
    for name in SCALED:
        system.kill(name, 2, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(r == 2 for _, r in system.running()):
        time.sleep(0.2)
    for name in SCALED:
        system.kill(name, 2, signal.SIGKILL)
