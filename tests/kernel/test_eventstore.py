"""The event log on PostgreSQL: streams, optimistic concurrency, idempotent
appends (guarantee 2) and the hash chain (guarantee 8)."""

from __future__ import annotations

import uuid

import eventlet
import pytest
import sqlalchemy as sa

from lapor.contracts import InvalidEvent, contract_for
from lapor.eventstore import (
    ANY_VERSION,
    GENESIS_HASH,
    NO_STREAM,
    ConcurrencyError,
    NewEvent,
    event_hash,
    events,
    head_position,
    idempotency_keys,
    read_streams,
    streams,
)


def count_rows(engine, stream: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(events).where(events.c.stream == stream)
        ).scalar()


def stream_head(engine, stream: str):
    with engine.connect() as conn:
        return conn.execute(sa.select(streams).where(streams.c.stream == stream)).first()


def total_events(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(events)).scalar()


# -- append and read ---------------------------------------------------------


def test_append_then_read_stream(store, unique, submitted, routed):
    stream = unique("report")
    first, second = submitted(), routed("T1", "dinas-pu")

    result = store.append(stream, NO_STREAM, [first, second])

    assert (result.first_version, result.last_version) == (1, 2)
    assert result.last_position > result.first_position
    assert not result.duplicate
    read = store.read_stream(stream)
    assert [e.event_id for e in read] == [first.event_id, second.event_id]
    assert [e.version for e in read] == [1, 2]
    assert [e.position for e in read] == [result.first_position, result.last_position]
    assert [e.type for e in read] == ["report.submitted", "report.routed"]
    assert read[0].data == first.data
    assert read[0].schema_version == contract_for("report.submitted").version
    assert read[0].correlation_id == str(first.event_id)  # a chain starts with its own id
    assert read[1].routing_key == "report.routed.dinas-pu"
    assert read[0].prev_hash == GENESIS_HASH
    assert read[1].prev_hash == read[0].hash

    more = store.append(stream, 2, [routed("T1", "dinas-pu")])
    assert (more.first_version, more.last_version) == (3, 3)
    assert more.first_position > result.last_position
    assert stream_head(store.engine, stream).version == 3


def test_read_streams_reads_several_streams_in_their_own_order(store, unique, submitted, routed):
    one, two, empty = unique("report"), unique("report"), unique("report")
    store.append(one, NO_STREAM, [submitted()])
    store.append(two, NO_STREAM, [submitted(), routed("T2", "dinas-pu")])
    store.append(one, 1, [routed("T1", "dinas-pu")])
    with store.engine.connect() as conn:
        found = read_streams(conn, [one, two, empty])
    assert set(found) == {one, two}  # a stream without events is left out
    assert [e.version for e in found[one]] == [1, 2]
    assert [e.type for e in found[two]] == ["report.submitted", "report.routed"]
    assert found[one] == store.read_stream(one)


def test_later_events_of_a_stream_carry_the_agency_it_was_routed_to(
    store, unique, submitted, routed
):
    tracking_id = unique("T")
    stream = f"report-{tracking_id}"
    message = NewEvent(
        "report.message_added",
        {
            "tracking_id": tracking_id,
            "kind": "information",
            "message": "Foto tambahan",
            "channel": "web",
            "attachments": [],
        },
    )
    store.append(stream, NO_STREAM, [submitted(tracking_id)])
    store.append(stream, 1, [routed(tracking_id, "dinas-pu"), message])
    store.append(stream, 3, [routed(tracking_id, "dinas-kominfo")])
    store.append(stream, 4, [NewEvent(message.type, message.data)])

    read = store.read_stream(stream)
    assert [e.routing_key for e in read] == [
        "report.submitted",
        "report.routed.dinas-pu",
        "report.message_added.dinas-pu",
        "report.routed.dinas-kominfo",
        "report.message_added.dinas-kominfo",
    ]
    assert store.verify_stream(stream).intact


def test_read_stream_of_unknown_stream_is_empty(store, unique):
    assert store.read_stream(unique("report")) == []


def test_read_all_follows_the_global_order_and_filters_types(store, unique, submitted, routed):
    with store.engine.connect() as conn:
        start = head_position(conn)
    a, b = unique("report"), unique("report")
    store.append(a, NO_STREAM, [submitted()])
    store.append(b, NO_STREAM, [submitted()])
    store.append(a, 1, [routed("T1", "dinas-pu")])

    after = store.read_all(start)
    assert [(e.stream, e.version) for e in after] == [(a, 1), (b, 1), (a, 2)]
    assert [e.position for e in after] == sorted(e.position for e in after)
    assert [e.stream for e in store.read_all(start, types=["report.routed"])] == [a]
    assert len(store.read_all(start, limit=2)) == 2


def test_append_of_invalid_data_writes_nothing(store, unique, submitted):
    stream = unique("report")
    good, bad = submitted(), NewEvent("report.submitted", {"tracking_id": "T1"})
    with pytest.raises(InvalidEvent, match="title"):
        store.append(stream, NO_STREAM, [good, bad])
    assert count_rows(store.engine, stream) == 0
    assert stream_head(store.engine, stream) is None


# -- optimistic concurrency ----------------------------------------------------


def test_expected_version_conflict_raises_and_writes_nothing(store, unique, submitted):
    stream = unique("report")
    store.append(stream, NO_STREAM, [submitted()])
    head_before = stream_head(store.engine, stream)
    total_before = total_events(store.engine)

    with pytest.raises(ConcurrencyError) as error:
        store.append(stream, NO_STREAM, [submitted()], idempotency_key=unique("key"))
    assert (error.value.expected, error.value.actual) == (NO_STREAM, 1)
    with pytest.raises(ConcurrencyError):
        store.append(stream, 5, [submitted()])

    assert count_rows(store.engine, stream) == 1
    assert stream_head(store.engine, stream) == head_before
    assert total_events(store.engine) == total_before
    assert store.verify_stream(stream).intact


def test_any_version_skips_the_check(store, unique, submitted):
    stream = unique("report")
    store.append(stream, ANY_VERSION, [submitted()])
    result = store.append(stream, ANY_VERSION, [submitted()])
    assert result.last_version == 2


def test_two_writers_expecting_the_same_version_one_wins(store, unique, submitted):
    stream = unique("report")
    store.append(stream, NO_STREAM, [submitted()])

    def write():
        try:
            return store.append(stream, 1, [submitted()])
        except ConcurrencyError as exc:
            return exc

    outcomes = [t.wait() for t in [eventlet.spawn(write) for _ in range(5)]]

    assert sum(not isinstance(o, ConcurrencyError) for o in outcomes) == 1
    assert count_rows(store.engine, stream) == 2
    assert store.verify_stream(stream).intact


# -- idempotency -----------------------------------------------------------------


def test_same_idempotency_key_twice_appends_once(store, unique, submitted):
    key = f"kannel:{uuid.uuid4()}"
    # a channel that retries makes a fresh tracking id, hence another stream name
    first_stream, second_stream = unique("report"), unique("report")

    first = store.append(first_stream, NO_STREAM, [submitted()], idempotency_key=key)
    second = store.append(second_stream, NO_STREAM, [submitted()], idempotency_key=key)

    assert not first.duplicate
    assert second.duplicate
    assert (second.stream, second.first_version, second.last_version) == (first_stream, 1, 1)
    assert (second.first_position, second.last_position) == (
        first.first_position,
        first.last_position,
    )
    assert count_rows(store.engine, first_stream) == 1
    assert count_rows(store.engine, second_stream) == 0
    assert stream_head(store.engine, second_stream) is None


def test_concurrent_submissions_with_one_key_make_one_event(store, unique, submitted):
    key = f"email:<{uuid.uuid4()}@example.org>"
    names = [unique("report") for _ in range(8)]

    threads = [
        eventlet.spawn(store.append, name, NO_STREAM, [submitted()], idempotency_key=key)
        for name in names
    ]
    results = [t.wait() for t in threads]

    assert sum(not r.duplicate for r in results) == 1
    assert len({(r.stream, r.first_position) for r in results}) == 1
    assert sum(count_rows(store.engine, name) for name in names) == 1


def test_idempotency_key_is_recorded_with_the_append(engine, store, unique, submitted):
    key = unique("open311")
    result = store.append(unique("report"), NO_STREAM, [submitted(), submitted()], key)
    with engine.connect() as conn:
        row = conn.execute(sa.select(idempotency_keys).where(idempotency_keys.c.key == key)).first()
    assert (row.stream, row.first_version, row.last_version) == (result.stream, 1, 2)
    assert (row.first_position, row.last_position) == (
        result.first_position,
        result.last_position,
    )


# -- hash chain ---------------------------------------------------------------------


@pytest.fixture
def chain(store, unique, submitted):
    """A stream of three events."""
    stream = unique("report")
    store.append(stream, NO_STREAM, [submitted()])
    store.append(stream, 1, [submitted()])
    store.append(stream, 2, [submitted()])
    return stream


def test_intact_stream_verifies(store, chain):
    verification = store.verify_stream(chain)
    assert verification.intact
    assert verification.events == 3
    assert verification.problems == []
    assert stream_head(store.engine, chain).head_hash == store.read_stream(chain)[-1].hash


def test_unknown_stream_is_not_intact(store, unique):
    assert not store.verify_stream(unique("report")).intact


def tamper(engine, sql: str, **params) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def test_edited_event_is_detected(store, chain):
    tamper(
        store.engine,
        """UPDATE lapor.events SET data = jsonb_set(data, '{description}', '"dihapus"')
           WHERE stream = :s AND version = 2""",
        s=chain,
    )
    verification = store.verify_stream(chain)
    assert not verification.intact
    assert any("version 2" in p and "hash" in p for p in verification.problems)


def test_edited_metadata_is_detected(store, chain):
    tamper(
        store.engine,
        """UPDATE lapor.events SET meta = jsonb_set(meta, '{source}', '"/forged"')
           WHERE stream = :s AND version = 1""",
        s=chain,
    )
    assert not store.verify_stream(chain).intact


def test_edited_and_rehashed_last_event_is_detected(store, chain):
    """A forger who recomputes the edited event's hash still breaks the recorded head."""
    last = store.read_stream(chain)[-1]
    data = {**last.data, "description": "dihapus"}
    meta = {"source": last.source, "correlation_id": last.correlation_id, "causation_id": None}
    digest = event_hash(
        last.prev_hash,
        chain,
        last.version,
        last.event_id,
        last.type,
        last.schema_version,
        data,
        meta,
        last.recorded_at,
    )
    with store.engine.begin() as conn:
        conn.execute(
            events.update().where(events.c.event_id == last.event_id).values(data=data, hash=digest)
        )

    verification = store.verify_stream(chain)

    assert not verification.intact
    assert len(verification.problems) == 1 and "recorded head" in verification.problems[0]


def test_inserted_event_is_detected(store, chain, submitted):
    """A forger shifts versions 2..3 up and inserts a well-hashed event at 2."""
    engine = store.engine
    shift = "UPDATE lapor.events SET version = {} WHERE stream = :s AND version {}"
    tamper(engine, shift.format("-version", ">= 2"), s=chain)  # unique (stream, version):
    tamper(engine, shift.format("1 - version", "< 0"), s=chain)  # shift in two steps
    first = store.read_stream(chain)[0]
    forged = submitted()
    meta = {"source": "/lapor", "correlation_id": str(forged.event_id), "causation_id": None}
    digest = event_hash(
        first.hash, chain, 2, forged.event_id, forged.type, 2, forged.data, meta, first.recorded_at
    )
    with engine.begin() as conn:
        conn.execute(
            events.insert().values(
                event_id=forged.event_id,
                stream=chain,
                version=2,
                type=forged.type,
                schema_version=2,
                data=forged.data,
                meta=meta,
                recorded_at=first.recorded_at,
                prev_hash=first.hash,
                hash=digest,
            )
        )

    verification = store.verify_stream(chain)

    assert not verification.intact
    assert verification.events == 4
    assert any("version 3" in p for p in verification.problems)


def test_inserted_event_with_a_bad_link_is_detected(store, unique, submitted):
    stream = unique("report")
    store.append(stream, NO_STREAM, [submitted()])
    forged = submitted()
    tamper(
        store.engine,
        """INSERT INTO lapor.events (event_id, stream, version, type, schema_version, data, meta,
                                     recorded_at, prev_hash, hash)
           SELECT :id, stream, 2, type, schema_version, data, meta, recorded_at, :prev, hash
           FROM lapor.events WHERE stream = :s AND version = 1""",
        id=forged.event_id,
        prev="f" * 64,
        s=stream,
    )
    verification = store.verify_stream(stream)
    assert not verification.intact
    assert any("does not follow" in p for p in verification.problems)


def test_deleted_event_in_the_middle_is_detected(store, chain):
    tamper(store.engine, "DELETE FROM lapor.events WHERE stream = :s AND version = 2", s=chain)
    verification = store.verify_stream(chain)
    assert not verification.intact
    assert any("version 2 missing" in p for p in verification.problems)


def test_deleted_last_event_is_detected(store, chain):
    tamper(store.engine, "DELETE FROM lapor.events WHERE stream = :s AND version = 3", s=chain)
    verification = store.verify_stream(chain)
    assert not verification.intact
    assert verification.events == 2
    assert any("recorded head is 3" in p for p in verification.problems)


def test_head_position_is_the_last_position(engine, store, unique, submitted):
    result = store.append(unique("report"), NO_STREAM, [submitted()])
    with engine.connect() as conn:
        assert head_position(conn) == result.last_position
