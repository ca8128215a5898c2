"""Applying events exactly once (guarantee 4), recovering what the broker never
delivered (5), and parking poison events (6), with plain handler functions
whose effect is a row in a table of the test's own schema."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable

import eventlet
import pytest
import sqlalchemy as sa

from lapor.consumer import (
    EventProcessor,
    Subscription,
    attempts,
    checkpoints,
    inbox,
    list_parked,
    replay_parked,
)
from lapor.envelope import to_wire
from lapor.eventstore import (
    GENESIS_HASH,
    NO_STREAM,
    NewEvent,
    RecordedEvent,
    event_hash,
    events,
)

EFFECTS = "kernel_test.effects"


@pytest.fixture(scope="module")
def effects_table(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS kernel_test"))
        # deliberately no unique constraint: applying an event twice shows as two rows
        conn.execute(
            sa.text(f"""CREATE TABLE IF NOT EXISTS {EFFECTS} (
            consumer text NOT NULL, event_id uuid NOT NULL, tracking_id text NOT NULL,
            region_code text)""")
        )
    return EFFECTS


def record_effect(event: RecordedEvent, tx: sa.Connection, consumer: str) -> None:
    tx.execute(
        sa.text(f"INSERT INTO {EFFECTS} VALUES (:c, :e, :t, :r)"),
        {
            "c": consumer,
            "e": event.event_id,
            "t": event.data["tracking_id"],
            "r": event.data.get("region_code"),
        },
    )


class Harness:
    """One consumer with a unique name, starting at the current head of the log
    (the session database holds other tests' events)."""

    def __init__(
        self, engine: sa.Engine, handler: Callable | None, types: tuple[str, ...], max_attempts: int
    ):
        self.engine = engine
        self.subscription = Subscription(f"kt{uuid.uuid4().hex[:10]}", "apply", types)
        self.consumer = self.subscription.consumer
        self.processor = EventProcessor(
            self.subscription, engine, handler or self.record, max_attempts=max_attempts
        )
        self.processor.ensure_checkpoint()
        with engine.begin() as conn:
            head = sa.select(sa.func.coalesce(sa.func.max(events.c.position), 0)).scalar_subquery()
            conn.execute(
                checkpoints.update()
                .where(checkpoints.c.consumer == self.consumer)
                .values(position=head)
            )

    def record(self, event: RecordedEvent, tx: sa.Connection) -> None:
        record_effect(event, tx, self.consumer)

    def effects(self, event: RecordedEvent | None = None) -> list[sa.Row]:
        query = f"SELECT * FROM {EFFECTS} WHERE consumer = :c"
        params = {"c": self.consumer}
        if event is not None:
            query += " AND event_id = :e"
            params["e"] = event.event_id
        with self.engine.connect() as conn:
            return conn.execute(sa.text(query), params).all()

    def inbox(self, event: RecordedEvent) -> list[sa.Row]:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(inbox).where(
                    inbox.c.consumer == self.consumer, inbox.c.event_id == event.event_id
                )
            ).all()

    def attempts(self, event: RecordedEvent) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(attempts.c.attempts).where(
                    attempts.c.consumer == self.consumer, attempts.c.event_id == event.event_id
                )
            ).scalar()

    def parked(self) -> list[sa.Row]:
        with self.engine.connect() as conn:
            return list_parked(conn, self.consumer)

    @property
    def checkpoint(self) -> int:
        return self.processor.checkpoint()


@pytest.fixture
def harness(engine, effects_table):
    def make(handler=None, types=("report.submitted",), max_attempts=3) -> Harness:
        return Harness(engine, handler, types, max_attempts)

    return make


@pytest.fixture
def log_events(store, unique, submitted):
    """log_events(n) -> n report.submitted events appended to the log, in order,
    each the first of a stream of its own (stream order has its own tests)."""

    def append(n: int = 1, event_type_factory=None) -> list[RecordedEvent]:
        logged = []
        for _ in range(n):
            stream = unique("report")
            store.append(stream, NO_STREAM, [(event_type_factory or submitted)()])
            logged.extend(store.read_stream(stream))
        return logged

    return append


# -- exactly once ----------------------------------------------------------------


def test_an_event_is_applied_once(harness, log_events):
    h = harness()
    [event] = log_events(1)

    assert h.processor.process_message(to_wire(event)) == "applied"

    assert [row.tracking_id for row in h.effects()] == [event.data["tracking_id"]]
    assert [row.outcome for row in h.inbox(event)] == ["applied"]
    assert h.checkpoint == event.position


def test_the_same_message_twice_is_applied_once(harness, log_events):
    h = harness()
    [event] = log_events(1)
    body = to_wire(event)

    assert h.processor.process_message(body) == "applied"
    assert h.processor.process_message(body) == "duplicate"

    assert len(h.effects(event)) == 1
    assert len(h.inbox(event)) == 1


def test_a_failed_effect_leaves_no_inbox_record_and_no_checkpoint(harness, log_events):
    """Effect, inbox and checkpoint commit together or not at all."""

    def write_then_fail(event, tx):
        record_effect(event, tx, h.consumer)
        raise RuntimeError("disk full")

    h = harness(write_then_fail)
    before = h.checkpoint
    [event] = log_events(1)

    assert h.processor.process_message(to_wire(event)) == "retry"

    assert h.effects(event) == []
    assert h.inbox(event) == []
    assert h.checkpoint == before
    assert h.attempts(event) == 1


def test_consumers_are_independent(harness, log_events):
    first, second = harness(), harness()
    [event] = log_events(1)
    body = to_wire(event)

    assert first.processor.process_message(body) == "applied"
    assert second.processor.process_message(body) == "applied"
    assert len(first.effects(event)) == len(second.effects(event)) == 1


def test_concurrent_deliveries_apply_each_event_once(harness, log_events):
    """Every message delivered twice, to workers running at the same time."""
    h = harness()
    logged = log_events(10)
    bodies = [to_wire(e) for e in logged] * 2
    random.shuffle(bodies)

    outcomes = list(eventlet.GreenPool(10).imap(h.processor.process_message, bodies))

    assert sorted(outcomes) == ["applied"] * 10 + ["duplicate"] * 10
    assert sorted(r.event_id for r in h.effects()) == sorted(e.event_id for e in logged)
    assert h.processor.catch_up(grace_seconds=0) == 0
    assert h.checkpoint == logged[-1].position


# -- catch-up from the log -----------------------------------------------------------


def test_catch_up_applies_events_that_were_never_delivered(harness, log_events):
    h = harness()
    delivered, *lost = log_events(4)
    assert h.processor.process_message(to_wire(delivered)) == "applied"

    assert h.processor.catch_up(grace_seconds=0) == 3  # the consumer "was down"

    assert sorted(r.event_id for r in h.effects()) == sorted(e.event_id for e in [delivered, *lost])
    assert h.checkpoint == lost[-1].position
    assert h.processor.catch_up(grace_seconds=0) == 0
    assert len(h.effects()) == 4
    assert h.processor.lag() == 0


def test_catch_up_leaves_events_younger_than_the_grace_period(harness, log_events):
    """Young events are probably still on their way through the broker."""
    h = harness()
    [event] = log_events(1)

    assert h.processor.catch_up(grace_seconds=3600) == 0
    assert h.effects() == []
    assert h.processor.lag() == 1
    assert h.checkpoint < event.position


def test_catch_up_upcasts_old_events_in_the_log(engine, harness, unique, submitted):
    """A v1 report.submitted stored years ago is applied in its v2 shape."""
    h = harness()
    v2 = submitted().data
    v1 = {k: v for k, v in v2.items() if k not in ("region_code", "channel")}
    v1["region"] = "31.71"
    stream, event_id = unique("report"), uuid.uuid4()
    meta = {"source": "/lapor", "correlation_id": str(event_id), "causation_id": None}
    with engine.begin() as conn:
        recorded_at = conn.execute(
            sa.select(sa.func.now() - sa.text("interval '3 years'"))
        ).scalar()
        digest = event_hash(
            GENESIS_HASH, stream, 1, event_id, "report.submitted", 1, v1, meta, recorded_at
        )
        conn.execute(
            events.insert().values(
                event_id=event_id,
                stream=stream,
                version=1,
                type="report.submitted",
                schema_version=1,
                data=v1,
                meta=meta,
                recorded_at=recorded_at,
                prev_hash=GENESIS_HASH,
                hash=digest,
            )
        )

    assert h.processor.catch_up(grace_seconds=0) == 1

    [row] = h.effects()
    assert (row.event_id, row.region_code) == (event_id, "31.71")


def test_checkpoint_stops_before_the_first_unhandled_event(harness, log_events, store, unique):
    h = harness()
    first, missing, third = log_events(3)
    # an event the consumer does not subscribe to never holds the checkpoint back
    store.append(unique("agency"), NO_STREAM, [agency_registered()])

    assert h.processor.process_message(to_wire(first)) == "applied"
    assert h.processor.process_message(to_wire(third)) == "applied"

    assert first.position <= h.checkpoint < missing.position
    assert h.checkpoint == missing.position - 1
    assert h.processor.gap_seen  # tells the service to catch up now

    assert h.processor.process_message(to_wire(missing)) == "applied"

    with h.engine.connect() as conn:
        head = conn.execute(sa.select(sa.func.max(events.c.position))).scalar()
    assert h.checkpoint == head


def agency_registered() -> NewEvent:
    code = f"dinas-{uuid.uuid4().hex[:8]}"
    return NewEvent(
        "agency.registered",
        {
            "code": code,
            "name": "Dinas",
            "kind": "unit",
            "region_code": "32",
            "parent_code": None,
            "unit_type": "dpu",
        },
    )


def test_checkpoint_never_moves_back(harness, log_events):
    h = harness()
    first, second = log_events(2)
    assert h.processor.process_message(to_wire(second)) == "applied"
    assert h.processor.process_message(to_wire(first)) == "applied"
    assert h.checkpoint == second.position
    assert h.processor.process_message(to_wire(first)) == "duplicate"
    assert h.checkpoint == second.position


# -- parking ---------------------------------------------------------------------------


def test_poison_event_is_parked_and_the_rest_keep_flowing(engine, harness, log_events):
    poisoned: set[str] = set()

    def handler(event, tx):
        if event.data["tracking_id"] in poisoned:
            raise ValueError("kategori tidak dikenal")
        record_effect(event, tx, h.consumer)

    h = harness(handler, max_attempts=3)
    poison, healthy = log_events(2)
    poisoned.add(poison.data["tracking_id"])
    body = to_wire(poison)

    assert h.processor.process_message(body) == "retry"
    assert h.attempts(poison) == 1
    assert h.processor.catch_up(grace_seconds=0) == 2  # retries the poison, applies the other
    assert h.attempts(poison) == 2
    assert [r.event_id for r in h.effects()] == [healthy.event_id]
    assert h.checkpoint == poison.position - 1  # held back while it may still succeed

    assert h.processor.process_message(body) == "parked"

    [parked] = h.parked()
    assert (parked.event_id, parked.position, parked.type) == (
        poison.event_id,
        poison.position,
        "report.submitted",
    )
    assert parked.attempts == 3
    assert "ValueError: kategori tidak dikenal" in parked.reason
    assert h.attempts(poison) is None
    assert [r.outcome for r in h.inbox(poison)] == ["parked"]
    assert h.checkpoint == healthy.position  # a parked event no longer holds the rest back
    assert h.processor.process_message(body) == "duplicate"  # redelivery changes nothing
    assert h.processor.catch_up(grace_seconds=0) == 0

    poisoned.clear()  # the handler is fixed
    with engine.begin() as conn:
        replay_parked(conn, parked.id)
    assert h.parked() == []
    assert h.checkpoint < poison.position

    assert h.processor.catch_up(grace_seconds=0) == 1

    assert sorted(r.event_id for r in h.effects()) == sorted([poison.event_id, healthy.event_id])
    assert [r.outcome for r in h.inbox(poison)] == ["applied"]
    assert h.checkpoint == healthy.position
    with engine.begin() as conn, pytest.raises(LookupError):
        replay_parked(conn, parked.id)  # already replayed


def test_a_handler_that_recovers_is_not_parked(harness, log_events):
    failures = [RuntimeError("database of the agency is down")]

    def flaky(event, tx):
        if failures:
            raise failures.pop()
        h.record(event, tx)

    h = harness(flaky)
    [event] = log_events(1)
    assert h.processor.process_message(to_wire(event)) == "retry"
    assert h.processor.catch_up(grace_seconds=0) == 1
    assert len(h.effects(event)) == 1
    assert h.parked() == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\x00\x01 not json", "malformed"),
        (b'{"hello": "world"}', "CloudEvents"),
        (
            json.dumps(
                {
                    "specversion": "1.0",
                    "id": str(uuid.uuid4()),
                    "source": "/x",
                    "type": "report.teleported",
                }
            ).encode(),
            "report.teleported",
        ),
    ],
    ids=["not-json", "not-cloudevents", "unknown-type"],
)
def test_a_malformed_message_is_parked_with_its_reason(engine, harness, body, reason):
    h = harness()

    assert h.processor.process_message(body) == "parked"

    [parked] = h.parked()
    assert reason in parked.reason
    assert parked.event_id is None
    # PostgreSQL text cannot hold NUL: it is kept as U+FFFD
    assert parked.body == body.decode("utf-8", "replace").replace("\x00", "\ufffd")
    assert h.effects() == []
    with engine.begin() as conn, pytest.raises(LookupError):
        replay_parked(conn, parked.id)


def test_a_handler_error_whose_message_holds_nul_is_still_parked(harness, log_events):
    def handler(event, tx):
        raise ValueError("bad byte \x00 in the agency's reply")

    h = harness(handler, max_attempts=1)
    [event] = log_events(1)
    assert h.processor.process_message(to_wire(event)) == "parked"
    [parked] = h.parked()
    assert "bad byte" in parked.reason


def test_a_message_with_invalid_data_is_parked(harness, log_events):
    h = harness()
    [event] = log_events(1)
    body = json.loads(to_wire(event))
    body["data"]["category"] = "tidak_ada"

    assert h.processor.process_message(json.dumps(body).encode()) == "parked"
    [parked] = h.parked()
    assert "category" in parked.reason
    assert h.effects() == []


def test_an_event_of_a_type_not_subscribed_is_parked(harness, store, unique, routed):
    h = harness()  # subscribes to report.submitted only
    stream = unique("report")
    store.append(stream, NO_STREAM, [routed("T9", "dinas-pu")])
    [event] = store.read_stream(stream)

    assert h.processor.process_message(to_wire(event)) == "parked"

    [parked] = h.parked()
    assert "not subscribed" in parked.reason
    assert h.effects() == []


# -- stream order ------------------------------------------------------------------------


@pytest.fixture
def one_stream(store, unique, submitted, routed):
    """one_stream() -> a report's stream: submitted, then routed (call it after
    making the harness, whose checkpoint starts at the head of the log)."""

    def append() -> list[RecordedEvent]:
        stream = unique("report")
        first = submitted()
        store.append(stream, NO_STREAM, [first, routed(first.data["tracking_id"], "pemkot-3273")])
        return store.read_stream(stream)

    return append


def test_a_later_event_of_a_stream_waits_for_the_earlier_one(harness, one_stream):
    applied: list[str] = []

    def handler(event, tx):
        applied.append(event.type)

    h = harness(handler, types=("report.submitted", "report.routed"))
    h.processor.order_wait_seconds = 0.05
    submitted_event, routed_event = one_stream()

    assert h.processor.process_message(to_wire(routed_event)) == "deferred"
    assert h.inbox(routed_event) == [] and applied == []
    assert h.processor.gap_seen

    assert h.processor.process_message(to_wire(submitted_event)) == "applied"
    assert h.processor.catch_up(grace_seconds=0) == 1
    assert applied == ["report.submitted", "report.routed"]


def test_concurrent_workers_apply_a_stream_in_order(harness, one_stream):
    """The earlier event's transaction is still open when the later one arrives:
    the later one waits for its commit instead of overtaking it."""
    applied: list[str] = []
    release = eventlet.event.Event()

    def handler(event, tx):
        if event.type == "report.submitted":
            release.wait()  # hold the transaction open
        applied.append(event.type)

    h = harness(handler, types=("report.submitted", "report.routed"))
    submitted_event, routed_event = one_stream()
    first = eventlet.spawn(h.processor.process_message, to_wire(submitted_event))
    second = eventlet.spawn(h.processor.process_message, to_wire(routed_event))
    eventlet.sleep(0.2)
    assert applied == []  # the later event has not overtaken the earlier one
    release.send()

    assert (first.wait(), second.wait()) == ("applied", "applied")
    assert applied == ["report.submitted", "report.routed"]


def test_only_subscribed_predecessors_are_awaited(harness, one_stream):
    h = harness(types=("report.routed",))
    applied = []
    h.processor.handler = lambda event, tx: applied.append(event.type)
    assert h.processor.process_message(to_wire(one_stream()[1])) == "applied"
    assert applied == ["report.routed"]
