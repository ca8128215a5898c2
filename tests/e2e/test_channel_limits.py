"""Abuse limits: per-sender and per-IP rate limits answered with 429, and every
refusal counted by reason in the gateway's metrics."""

from __future__ import annotations

import re
import uuid
from urllib.request import urlopen

import pytest

from tests.e2e.conftest import report_body

LIMITS = {"GATEWAY_IP_BURST": "8", "GATEWAY_IP_PER_MINUTE": "1", "SENDER_MAX_PER_HOUR": "2"}


def _restart(system, *names: str) -> None:
    for name in names:
        system.kill(name)
        system.start(name)
    for name in names:
        system.wait_ready(name)


@pytest.fixture(scope="module")
def tight_limits(system):
    """Gateway and intake restarted with small limits, and restored afterwards."""
    before = {key: system.env.get(key) for key in LIMITS}
    system.env.update(LIMITS)
    _restart(system, "gateway", "intake")
    try:
        yield
    finally:
        for key, value in before.items():  # the suite's own settings come back
            if value is None:
                system.env.pop(key, None)
            else:
                system.env[key] = value
        _restart(system, "gateway", "intake")


def refusals(system) -> dict[str, float]:
    with urlopen(system.url() + "/metrics", timeout=5) as answer:
        text = answer.read().decode()
    pattern = r'^lapor_gateway_refusals_total\{reason="(\w+)"\} ([0-9.e+]+)$'
    return {m[0]: float(m[1]) for m in re.findall(pattern, text, re.M)}


def test_a_sender_who_reports_too_often_gets_429(system, tight_limits):
    email = f"rajin.{uuid.uuid4().hex[:8]}@example.id"
    answers = [system.api.submit(report_body(reporter={"email": email})) for _ in range(3)]
    assert [status for status, _ in answers] == [201, 201, 429]
    assert "_rate" in answers[2][1]["errors"]
    # another sender is not affected
    other = report_body(reporter={"email": f"lain.{uuid.uuid4().hex[:8]}@example.id"})
    assert system.api.submit(other)[0] == 201
    assert refusals(system).get("rate_limited_sender", 0) >= 1


def test_an_address_that_sends_too_much_gets_429_with_retry_after(system, tight_limits):
    statuses = []
    for _ in range(12):
        status, answer = system.api.call("POST", "/api/v1/reports", {"title": "x"})
        statuses.append(status)
        if status == 429:
            assert "_rate" in answer["errors"]
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) <= {400}
    counted = refusals(system)
    assert counted.get("rate_limited_ip", 0) >= 1 and counted.get("invalid", 0) >= 1
