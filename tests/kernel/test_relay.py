"""Committed events reach RabbitMQ (guarantees 1 and 4): published with
confirms, in order, and resumed from the relay's checkpoint after a crash or a
failed publish. The relay's checkpoint is global and the session database is
shared, so tests look for their own events among what arrives."""

from __future__ import annotations

import functools
import uuid

import kombu
import pytest
import sqlalchemy as sa

from lapor import broker
from lapor.consumer import Subscription, checkpoints
from lapor.envelope import CONTENT_TYPE, from_wire
from lapor.eventstore import NO_STREAM, RecordedEvent
from lapor.relay import RELAY_CHECKPOINT, PublishFailed, Relay


def relay_checkpoint(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        query = sa.select(checkpoints.c.position).where(checkpoints.c.consumer == RELAY_CHECKPOINT)
        return conn.execute(query).scalar() or 0


def publish_all(relay: Relay) -> int:
    published = 0
    try:
        while n := relay.publish_pending():
            published += n
    finally:
        relay.close_broker()
    return published


def drain(connection: kombu.Connection, queue: kombu.Queue) -> list[kombu.Message]:
    bound = queue(connection.default_channel)
    messages = []
    while (message := bound.get(no_ack=True)) is not None:
        messages.append(message)
    return messages


def by_id(messages: list[kombu.Message]) -> dict[str, list[kombu.Message]]:
    found: dict[str, list[kombu.Message]] = {}
    for message in messages:
        found.setdefault(message.properties["message_id"], []).append(message)
    return found


@pytest.fixture
def amqp(amqp_uri):
    with kombu.Connection(amqp_uri) as connection:
        yield connection


@pytest.fixture
def subscription_queue(amqp):
    """A subscriber's queue, declared as services declare theirs."""
    subscription = Subscription(
        f"kt{uuid.uuid4().hex[:10]}", "relay", ("report.submitted", "report.routed")
    )
    broker.declare(amqp, [subscription])
    queue = broker.queue_for(subscription)
    yield queue
    queue(amqp.default_channel).delete()


@pytest.fixture
def append(store, unique, submitted, routed):
    """append(agency_code=None) -> the recorded events of a new report (and its routing)."""

    def make(agency_code: str | None = None) -> list[RecordedEvent]:
        stream, tracking_id = unique("report"), uuid.uuid4().hex[:12]
        new = [submitted(tracking_id)]
        if agency_code:
            new.append(routed(tracking_id, agency_code))
        store.append(stream, NO_STREAM, new)
        return store.read_stream(stream)

    return make


def test_committed_events_are_published_with_their_routing_keys(
    engine, amqp, amqp_uri, subscription_queue, append
):
    agency = f"dinas-{uuid.uuid4().hex[:8]}"
    submitted, routed = append(agency)

    publish_all(Relay(engine, amqp_uri))

    received = by_id(drain(amqp, subscription_queue))
    for event, routing_key in [
        (submitted, "report.submitted"),
        (routed, f"report.routed.{agency}"),
    ]:
        [message] = received[str(event.event_id)]
        assert message.delivery_info["routing_key"] == routing_key
        assert message.delivery_info["exchange"] == "lapor.events"
        assert message.properties["delivery_mode"] == 2  # persistent
        assert message.content_type == CONTENT_TYPE == "application/cloudevents+json"
        wire = from_wire(message.body)
        assert (wire.event_id, wire.stream, wire.version, wire.position, wire.hash) == (
            event.event_id,
            event.stream,
            event.version,
            event.position,
            event.hash,
        )
        assert wire.data == event.data
    assert relay_checkpoint(engine) >= routed.position


def test_an_agency_queue_receives_only_its_own_agency(engine, amqp, amqp_uri, append):
    mine, other = f"dinas-{uuid.uuid4().hex[:8]}", f"dinas-{uuid.uuid4().hex[:8]}"
    queue = kombu.Queue(
        f"kernel-test-{uuid.uuid4().hex[:8]}",
        exchange=broker.EVENTS_EXCHANGE,
        routing_key=f"report.routed.{mine}",
        auto_delete=False,
    )
    queue(amqp.default_channel).declare()
    try:
        [_, for_me] = append(mine)
        append(other)
        publish_all(Relay(engine, amqp_uri))
        received = drain(amqp, queue)
    finally:
        queue(amqp.default_channel).delete()

    assert [m.properties["message_id"] for m in received] == [str(for_me.event_id)]


def test_a_new_relay_resumes_from_the_checkpoint(
    engine, amqp, amqp_uri, subscription_queue, append
):
    before = append(f"dinas-{uuid.uuid4().hex[:8]}")
    publish_all(Relay(engine, amqp_uri))
    assert relay_checkpoint(engine) >= before[-1].position
    drain(amqp, subscription_queue)

    after = append(f"dinas-{uuid.uuid4().hex[:8]}")  # appended while the relay was down
    publish_all(Relay(engine, amqp_uri))  # the restarted relay

    received = by_id(drain(amqp, subscription_queue))
    assert all(str(e.event_id) not in received for e in before)  # not published again
    assert all(len(received[str(e.event_id)]) == 1 for e in after)
    assert relay_checkpoint(engine) >= after[-1].position
    positions = [from_wire(m.body).position for ms in received.values() for m in ms]
    assert positions == sorted(positions)  # nothing older than the checkpoint came again


@pytest.fixture
def fast_failing_connect(monkeypatch):
    """kombu waits 2 + 4 + 6 s between connection retries; the outcome is the same at 0 s."""
    monkeypatch.setattr(
        kombu.Connection,
        "ensure_connection",
        functools.partialmethod(
            kombu.Connection.ensure_connection, interval_start=0, interval_step=0
        ),
    )


def test_an_unreachable_broker_leaves_the_checkpoint(
    engine, amqp, amqp_uri, subscription_queue, append, fast_failing_connect
):
    publish_all(Relay(engine, amqp_uri))  # whatever earlier tests left
    events = append(f"dinas-{uuid.uuid4().hex[:8]}")
    checkpoint = relay_checkpoint(engine)
    assert checkpoint < events[0].position

    down = Relay(engine, "amqp://guest:guest@127.0.0.1:1//")
    with pytest.raises(Exception) as error:  # noqa: B017 - whatever the transport raises
        down.publish_pending()
    assert "refused" in str(error.value).lower()
    assert relay_checkpoint(engine) == checkpoint

    publish_all(Relay(engine, amqp_uri))  # the broker is back

    received = by_id(drain(amqp, subscription_queue))
    assert all(str(e.event_id) in received for e in events)
    assert relay_checkpoint(engine) >= events[-1].position


def test_a_refused_publish_leaves_the_checkpoint(
    engine, amqp, amqp_uri, subscription_queue, append
):
    """A queue that rejects new messages makes the broker nack the publish."""
    agency = f"dinas-{uuid.uuid4().hex[:8]}"
    full = kombu.Queue(
        f"kernel-test-full-{uuid.uuid4().hex[:8]}",
        exchange=broker.EVENTS_EXCHANGE,
        routing_key=f"report.routed.{agency}",
        auto_delete=False,
        queue_arguments={"x-max-length": 0, "x-overflow": "reject-publish"},
    )
    full(amqp.default_channel).declare()
    try:
        publish_all(Relay(engine, amqp_uri))  # whatever earlier tests left
        events = append(agency)
        checkpoint = relay_checkpoint(engine)

        relay = Relay(engine, amqp_uri)
        with pytest.raises(PublishFailed):
            relay.publish_pending()
        assert relay_checkpoint(engine) == checkpoint
        with pytest.raises(PublishFailed):  # and again: the events stay pending
            relay.publish_pending()
        relay.close_broker()
        assert relay_checkpoint(engine) == checkpoint
    finally:
        full(amqp.default_channel).delete()

    publish_all(Relay(engine, amqp_uri))

    received = by_id(drain(amqp, subscription_queue))
    assert all(str(e.event_id) in received for e in events)  # at least once
    assert relay_checkpoint(engine) >= events[-1].position
