"""Following a report in public through the running system: status, owner and
due time; the feed; time travel; the integrity check; PIN guessing limited."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from http.client import HTTPConnection
from urllib.parse import urlsplit

from tests.e2e.conftest import report_body, wait_until


def test_a_report_shows_its_case_and_appears_in_the_feed(system):
    status, accepted = system.api.submit(report_body())
    assert status == 201
    tracking_id = accepted["tracking_id"]
    report = system.api.wait_routed(tracking_id)
    assert report["status_label"]["id"] and report["owner"]["code"]
    assert report["due_at"] and report["overdue"] is False
    assert report["timeline"][-1]["actor_role"] in ("system", "coordinator", "national_admin")

    def listed():
        _, feed = system.api.call("GET", "/api/v1/feed?region_code=32&per_page=100")
        return tracking_id in [i["tracking_id"] for i in feed["items"]]

    wait_until(listed, 30, "the report in the public feed")
    bad = system.api.call("GET", "/api/v1/feed?status=lost&colour=red&per_page=0")
    assert bad[0] == 400 and {"status", "colour", "per_page"} <= set(bad[1]["errors"])

    before = datetime(2020, 1, 1, tzinfo=UTC).isoformat().replace("+", "%2B")
    assert system.api.call("GET", f"/api/v1/reports/{tracking_id}?as_of={before}")[0] == 404
    now = datetime.now(UTC).isoformat().replace("+", "%2B")
    past = system.api.call("GET", f"/api/v1/reports/{tracking_id}?as_of={now}")
    assert past[0] == 200 and past[1]["status"] == report["status"]
    assert system.api.call("GET", f"/api/v1/reports/{tracking_id}?as_of=soon")[0] == 400

    intact = system.api.call("GET", f"/api/v1/reports/{tracking_id}/verify")
    assert intact[0] == 200 and intact[1]["intact"] is True


def test_a_confidential_report_stays_out_of_the_feed_and_pin_guessing_is_limited(system):
    status, accepted = system.api.submit(report_body(confidential=True))
    tracking_id, pin = accepted["tracking_id"], accepted["pin"]
    report = system.api.wait_routed(tracking_id, pin=pin)
    # the PIN makes this the reporter, who reads their own report; nobody else does
    assert report["description"].startswith("Sudah tiga bulan")
    assert system.api.report(tracking_id)[0] == 403
    time.sleep(0.5)
    _, feed = system.api.call("GET", "/api/v1/feed?per_page=100")
    assert tracking_id not in [i["tracking_id"] for i in feed["items"]]
    wrong = "00000000" if pin != "00000000" else "11111111"
    guesser = "127.0.0.9"  # a client of its own, so other tests keep their PIN budget
    answers = [_get_from(system, guesser, tracking_id, wrong) for _ in range(12)]
    assert answers[0] == 403 and answers[-1] == 429 and set(answers) == {403, 429}
    assert _get_from(system, guesser, tracking_id, pin) == 429  # even the right one, for now
    assert _get_from(system, "127.0.0.10", tracking_id, pin) == 200  # another client


def _get_from(system, source_ip: str, tracking_id: str, pin: str) -> int:
    """GET the report from another loopback address: the gateway sees another client."""
    url = urlsplit(system.url())
    conn = HTTPConnection(url.hostname, url.port, timeout=10, source_address=(source_ip, 0))
    try:
        conn.request("GET", f"/api/v1/reports/{tracking_id}", headers={"X-Report-Pin": pin})
        return conn.getresponse().status
    finally:
        conn.close()
