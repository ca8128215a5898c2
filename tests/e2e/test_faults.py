"""kill -9 in the middle of a stream of reports: nothing acknowledged is lost,
nothing is applied twice."""

from __future__ import annotations

import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.e2e.conftest import _scalar, report_body, wait_until

REPORTS = 500
CATEGORIES = ("kependudukan", "kesehatan", "pendidikan", "perizinan", "lingkungan_hidup")
REGIONS = ("32.73", "32.04", "32.01", "32.75", "32.73.01")


def _submit_all(api, accepted: list) -> None:
    def one(i: int) -> None:
        body = report_body(category=CATEGORIES[i % 5], region_code=REGIONS[i % 5])
        status, answer = api.submit(body)
        assert status == 201, answer
        accepted.append(answer["tracking_id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(REPORTS)))


def _processed(stack, consumer: str) -> int:
    return _scalar(stack.engine, "SELECT count(*) FROM lapor.inbox WHERE consumer = :c", c=consumer)


def test_kill_9_of_routing_relay_and_tracking_loses_nothing_and_doubles_nothing(system):
    accepted: list[str] = []
    submitter = threading.Thread(target=_submit_all, args=(system.api, accepted))
    routed_before = _processed(system, "routing.assign")
    tracked_before = _processed(system, "tracking.reports")
    submitter.start()

    # routing dies while reports pour in, and comes back while they still do
    wait_until(
        lambda: _processed(system, "routing.assign") >= routed_before + 50, 60, "routing to be busy"
    )
    system.kill("routing", sig=signal.SIGKILL)
    wait_until(lambda: len(accepted) >= 250, 120, "half of the reports to be accepted")
    system.start("routing")
    # the relay dies too: accepted reports wait in the log until it is back
    system.kill("relay", sig=signal.SIGKILL)
    wait_until(lambda: len(accepted) >= 350, 120, "more reports to be accepted")
    system.start("relay")
    # then tracking, once routing is back at work
    wait_until(
        lambda: _processed(system, "tracking.reports") >= tracked_before + 400,
        120,
        "tracking to be busy",
    )
    system.kill("tracking", sig=signal.SIGKILL)
    submitter.join(timeout=300)
    assert len(accepted) == REPORTS
    system.start("tracking")

    ids = list(accepted)
    wait_until(
        lambda: (
            _scalar(
                system.engine,
                "SELECT count(*) FROM tracking.reports "
                "WHERE owner IS NOT NULL AND tracking_id = ANY(:ids)",
                ids=ids,
            )
            == REPORTS
        ),
        180,
        "every report to be routed and tracked",
        interval=0.5,
    )

    # exactly once: one routed event per report in the log, two timeline entries
    # in tracking, nothing parked, nothing left in the consumers' retry counters
    routed_per_report = _scalar(
        system.engine,
        """
        SELECT count(*) FROM (
            SELECT stream FROM lapor.events
            WHERE type = 'report.routed' AND stream = ANY(:streams)
            GROUP BY stream HAVING count(*) = 1) once""",
        streams=[f"report-{t}" for t in ids],
    )
    assert routed_per_report == REPORTS
    timeline = _scalar(
        system.engine,
        "SELECT count(*) FROM tracking.timeline WHERE tracking_id = ANY(:ids)",
        ids=ids,
    )
    assert timeline == 2 * REPORTS
    assert _scalar(system.engine, "SELECT count(*) FROM lapor.parked") == 0
    assert _scalar(system.engine, "SELECT count(*) FROM lapor.attempts") == 0
    system.wait_ready("routing")
    system.wait_ready("tracking")
