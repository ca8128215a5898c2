"""Webhooks end to end on the real log and real HTTP receivers: each agency gets
its own events only, signed; a receiver that is down gets every event
afterwards, in order per report; rotation; the delivery log and replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from lapor.consumer import EventProcessor
from services.routing import manifest, subscriptions
from services.routing.adapters.webhooks import WebhookStore, deliver_due
from services.routing.tests.webhook_support import (
    Receiver,
    add_agency,
    add_case_event,
    add_message,
    events_of,
    submit_and_route,
    unique_code,
)


def enqueue_new_events(engine, now=None) -> None:
    """What routing's `webhooks` subscription does with every event it receives
    (WebhookEntrypoints.enqueue_webhooks), applied from the log."""

    def handler(event, tx):
        WebhookStore(tx).enqueue(event, now or datetime.now(UTC))

    EventProcessor(manifest.WEBHOOKS, engine, handler).catch_up(grace_seconds=0)


def register(engine, code: str, receiver: Receiver) -> str:
    add_agency(engine, code)
    with engine.begin() as tx:
        answer = subscriptions.set_webhook(tx, code, receiver.url, datetime.now(UTC))
    assert answer["url"] == receiver.url
    receiver.secrets.append(answer["secret"])
    return answer["secret"]


@pytest.fixture
def receivers():
    started: list[Receiver] = []

    def make() -> Receiver:
        started.append(Receiver([]).start())
        return started[-1]

    yield make
    for receiver in started:
        receiver.stop()


def test_each_agency_receives_only_its_own_events_signed_with_its_secret(engine, receivers):
    a, b = unique_code("dinas-a"), unique_code("dinas-b")
    receiver_a, receiver_b = receivers(), receivers()
    secret_a, secret_b = register(engine, a, receiver_a), register(engine, b, receiver_b)
    first, second, handed = (submit_and_route(engine, x) for x in (a, b, a))
    add_message(engine, first, "Masih gelap.")  # no agency field: it follows its stream
    add_case_event(engine, handed, "report.assigned", b, status="assigned", from_agency=a)
    add_message(engine, handed, "Tolong segera.")  # now B's

    enqueue_new_events(engine)
    assert deliver_due(engine)["delivered"] == 6

    ids = {s: [str(e.event_id) for e in events_of(engine, s)] for s in (first, second, handed)}
    assert sorted(receiver_a.event_ids()) == sorted(ids[first][1:] + ids[handed][1:2])
    assert sorted(receiver_b.event_ids()) == sorted(ids[second][1:] + ids[handed][2:])
    assert receiver_a.rejected == receiver_b.rejected == 0
    for got in receiver_a.received:
        assert got.event["agency"] == a and got.headers["webhook-id"] == got.event["id"]
        assert got.headers["content-type"] == "application/cloudevents+json"
        Webhook(secret_a).verify(got.body, got.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(secret_b).verify(got.body, got.headers)  # B cannot forge or read as A
    assert {r.event["agency"] for r in receiver_b.received} == {b}
    # the submitted event (the reporter's reference) reaches no agency
    assert "report.submitted" not in {r.event["type"] for r in receiver_a.received}


def test_a_receiver_that_is_down_gets_every_event_afterwards_in_order(engine, receivers):
    code = unique_code("dinas-down")
    receiver = receivers()
    register(engine, code, receiver)
    receiver.stop()  # refuses connections from now on
    streams = [submit_and_route(engine, code) for _ in range(2)]
    for n in range(3):
        for stream in streams:
            add_message(engine, stream, f"tambahan {n}")
    t0 = datetime.now(UTC)
    enqueue_new_events(engine, t0)

    assert deliver_due(engine, t0) == {"retry": 2}  # only each report's first event
    assert deliver_due(engine, t0 + timedelta(seconds=2)) == {}  # not due again yet
    assert deliver_due(engine, t0 + timedelta(seconds=6)) == {"retry": 2}
    receiver.start()  # back, on the same port
    assert deliver_due(engine, t0 + timedelta(minutes=1)) == {}  # the backoff holds
    assert deliver_due(engine, t0 + timedelta(minutes=6)) == {"delivered": 8}

    assert receiver.per_stream() == {s: [2, 3, 4, 5] for s in streams}
    with engine.connect() as conn:
        log = WebhookStore(conn).log(code)
    assert [d["status"] for d in log] == ["delivered"] * 8
    assert sorted(d["attempts"] for d in log) == [1] * 6 + [3, 3]


def test_after_three_days_a_delivery_fails_and_the_next_event_goes(engine, receivers):
    code = unique_code("dinas-gone")
    receiver = receivers()
    register(engine, code, receiver)
    receiver.stop()
    stream = submit_and_route(engine, code)
    add_message(engine, stream, "masih ada")
    t0 = datetime.now(UTC)
    enqueue_new_events(engine, t0)

    at, outcomes = t0, []
    while at < t0 + timedelta(days=7):
        outcomes.append(deliver_due(engine, at))
        at += timedelta(hours=1)
    assert sum(o["retry"] for o in outcomes) >= 8  # tried again and again, then
    assert sum(o["failed"] for o in outcomes) == 2  # both finally failed, in order
    with engine.connect() as conn:
        log = WebhookStore(conn).log(code)
    routed, message = sorted(log, key=lambda d: d["stream_version"])
    assert routed["status"] == message["status"] == "failed"
    gave_up = datetime.fromisoformat(routed["finished_at"])
    assert timedelta(days=3) <= gave_up - t0 <= timedelta(days=3, hours=1)
    # the next event of the report was not tried before the first one had failed
    assert datetime.fromisoformat(message["first_attempt_at"]) >= gave_up

    receiver.start()
    replay = subscriptions.webhook_replay_command
    assert replay([code, "--delivery", str(routed["id"])], engine=engine) == 0
    assert deliver_due(engine) == {"delivered": 1}
    assert receiver.per_stream() == {stream: [2]}
    assert replay([code, "--delivery", "999999999"], engine=engine) == 1


def test_rotation_signs_with_both_secrets_during_the_overlap(engine, receivers):
    code = unique_code("dinas-rot")
    receiver = receivers()
    old = register(engine, code, receiver)
    with engine.begin() as tx:
        rotated = subscriptions.rotate_webhook_secret(tx, code, datetime.now(UTC))
    new = rotated["secret"]
    assert new != old
    assert datetime.fromisoformat(rotated["previous_valid_until"]) > datetime.now(UTC)
    submit_and_route(engine, code)
    enqueue_new_events(engine)
    assert deliver_due(engine) == {"delivered": 1}
    got = receiver.received[-1]
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(got.body, got.headers)
    Webhook(new).verify(got.body, got.headers)

    # a rotation whose overlap is over: only the newest secret signs
    with engine.begin() as tx:
        newest = subscriptions.rotate_webhook_secret(
            tx, code, datetime.now(UTC) - timedelta(days=2)
        )["secret"]
    receiver.secrets.append(newest)
    submit_and_route(engine, code)
    enqueue_new_events(engine)
    assert deliver_due(engine) == {"delivered": 1}
    got = receiver.received[-1]
    assert len(got.headers["webhook-signature"].split(" ")) == 1
    Webhook(newest).verify(got.body, got.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(got.body, got.headers)


def test_replay_from_a_position_sends_what_came_before_the_webhook(engine, receivers):
    code, other = unique_code("dinas-late"), unique_code("dinas-other")
    before = submit_and_route(engine, code)
    submit_and_route(engine, other)
    enqueue_new_events(engine)  # the agency had no webhook yet: nothing enqueued
    receiver = receivers()
    register(engine, code, receiver)
    assert deliver_due(engine).get("delivered", 0) == 0
    routed = events_of(engine, before)[1]

    assert subscriptions.webhook_replay_command([code, "--from", str(routed.position)], engine) == 0
    assert deliver_due(engine) == {"delivered": 1}
    assert receiver.event_ids() == [str(routed.event_id)]
    assert subscriptions.webhook_replay_command(["no-such-agency", "--from", "1"], engine) == 1


def test_the_rpc_use_cases_answer_field_errors(engine):
    code = unique_code("dinas-rpc")
    add_agency(engine, code)
    now = datetime.now(UTC)
    with engine.begin() as tx:
        assert subscriptions.set_webhook(tx, code, "ftp://x/y", now)["error"] == {
            "status": 400,
            "errors": {"url": ["Must be an absolute http or https URL."]},
        }
        assert (
            subscriptions.set_webhook(tx, "nope-404", "https://x.example/", now)["error"]["status"]
            == 404
        )
        assert subscriptions.rotate_webhook_secret(tx, code, now)["error"]["status"] == 404
        first = subscriptions.set_webhook(tx, code, "https://a.example/hook", now)
        moved = subscriptions.set_webhook(tx, code, "https://b.example/hook", now)
    assert moved == {"url": "https://b.example/hook", "secret": first["secret"]}
    with engine.connect() as conn:
        assert subscriptions.webhook_deliveries(conn, code) == []
        assert subscriptions.webhook_deliveries(conn, code, limit="all") == []
