"""Signed webhooks (Standard Webhooks) from a partner system."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from standardwebhooks.webhooks import Webhook

from tests.e2e.conftest import _scalar

SECRET = "whsec_" + "c2VjcmV0LWZvci10aGUtZTJlLXBhcnRuZXItc291cmNl"


@pytest.fixture(scope="module")
def partner(system):
    """Intake restarted with a secret for the source `partner`, as an operator would."""
    system.env["WEBHOOK_SECRETS"] = json.dumps({"partner": SECRET})
    system.kill("intake")
    system.start("intake")
    system.wait_ready("intake")
    yield "partner"


def send(system, source: str, body: dict, msg_id: str, when=None, secret=SECRET):
    data = json.dumps(body)
    when = when or datetime.now(UTC)
    headers = {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, when, data),
    }
    request = Request(
        f"{system.url()}/channels/webhook/{source}", data.encode(), headers, method="POST"
    )
    try:
        with urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


REPORT = {
    "title": "Listrik padam",
    "description": "Listrik padam tiap malam di Kota Bandung sejak seminggu.",
    "region_code": "32.73",
}


def test_a_signed_webhook_makes_one_routed_report(system, partner):
    msg_id = f"msg_{uuid.uuid4().hex}"
    status, accepted = send(system, partner, REPORT, msg_id)
    assert status == 201, accepted
    report = system.api.wait_routed(accepted["tracking_id"])
    assert report["category"] == "energi"
    status, again = send(system, partner, REPORT, msg_id)  # the sender's retry
    assert status == 200 and again == {**accepted, "duplicate": True}
    count = _scalar(
        system.engine,
        "SELECT count(*) FROM lapor.idempotency_keys WHERE key = :k",
        k=f"webhook:partner:{msg_id}",
    )
    assert count == 1


def test_stale_forged_and_unknown_webhooks_are_refused(system, partner):
    old = datetime.now(UTC) - timedelta(minutes=30)
    status, answer = send(system, partner, REPORT, "msg_old", when=old)
    assert status == 401 and "webhook-timestamp" in answer["errors"]
    status, answer = send(system, partner, REPORT, "msg_forged", secret="whsec_" + "QUFB" * 8)
    assert status == 401 and "webhook-signature" in answer["errors"]
    status, answer = send(system, "stranger", REPORT, "msg_x")
    assert status == 404
    status, answer = send(system, partner, {"title": "x"}, f"msg_{uuid.uuid4().hex}")
    assert status == 400 and "description" in answer["errors"]
