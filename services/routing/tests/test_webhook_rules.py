"""The pure webhook rules: which events go out, the backoff, signatures, URLs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from lapor.contracts.case import CASE_EVENTS
from services.routing import manifest, webhooks

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_only_report_events_that_concern_an_agency_go_out():
    assert set(manifest.WEBHOOKS.event_types) == set(webhooks.EVENT_TYPES)
    assert set(CASE_EVENTS) | {"report.message_added"} == set(webhooks.EVENT_TYPES)
    assert webhooks.wants("report.message_added", "pemkot-3273")
    assert not webhooks.wants("report.message_added", None)  # before routing: nobody's
    assert not webhooks.wants("report.submitted", "pemkot-3273")
    assert not webhooks.wants("standard.published", "pemkot-3273")


def test_retries_back_off_and_end_three_days_after_the_first_attempt():
    now, attempts, schedule = T0, 1, []
    while (at := webhooks.next_attempt_at(attempts, T0, now)) is not None:
        schedule.append(at - now)
        now, attempts = at, attempts + 1
    assert schedule[:4] == [
        timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)
    ]  # fmt: skip
    assert schedule == sorted(schedule[:-1]) + schedule[-1:]  # growing, then cut at the end
    assert now == T0 + timedelta(days=3)  # the last attempt is exactly at the deadline
    assert webhooks.next_attempt_at(1, T0, T0 + timedelta(days=3)) is None


def test_both_secrets_sign_during_the_overlap_and_only_the_new_one_after():
    old = webhooks.Secrets(webhooks.new_secret())
    rotated = old.rotated(T0, webhooks.new_secret())
    assert rotated.signing(T0 + timedelta(hours=23)) == [rotated.current, old.current]
    assert rotated.signing(T0 + timedelta(hours=24)) == [rotated.current]

    now = datetime.now(UTC)  # the receiver checks the timestamp against its clock
    rotated = old.rotated(now - timedelta(hours=1), webhooks.new_secret())
    body = '{"id": "e1"}'
    headers = webhooks.signed_headers("e1", now, body, rotated.signing(now))
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old.current, rotated.current):
        assert Webhook(secret).verify(body, headers) == {"id": "e1"}
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(rotated.current).verify(body + " ", headers)  # a changed body


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://sys.pemkot.example/lapor", True),
        ("http://10.1.2.3:8080/in", True),
        ("ftp://sys.example/in", False),
        ("/relative", False),
        ("https://user:pw@sys.example/", False),
        ("https://" + "a" * 2000 + ".example/", False),
        (None, False),
        ("", False),
    ],
)
def test_webhook_urls_are_checked(url, ok):
    assert (webhooks.url_errors(url) == []) is ok
