"""Readers never skip an event of the global order, even when transactions
commit out of order (guarantee 3)."""

from __future__ import annotations

import random

import eventlet
import sqlalchemy as sa

from lapor.eventstore import ANY_VERSION, APPEND_LOCK, NO_STREAM, append, head_position, read_all


class Follower:
    """A reader that follows the log from a checkpoint, as the relay and catch-up do."""

    def __init__(self, engine: sa.Engine, after: int):
        self.engine = engine
        self.checkpoint = after
        self.seen: list[int] = []

    def poll(self) -> None:
        while True:
            with self.engine.connect() as conn:
                batch = read_all(conn, self.checkpoint, limit=100)
            if not batch:
                return
            self.seen.extend(e.position for e in batch)
            self.checkpoint = batch[-1].position


def head(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return head_position(conn)


def waiting_for_append_lock(engine: sa.Engine) -> int:
    """Sessions of this database waiting for the append lock (a bigint advisory key
    shows up as classid = high 32 bits, objid = low 32 bits, objsubid = 1)."""
    with engine.connect() as conn:
        return conn.execute(
            sa.text("""SELECT count(*) FROM pg_locks
                       WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
                         AND classid = :hi AND objid = :lo
                         AND database = (SELECT oid FROM pg_database
                                         WHERE datname = current_database())"""),
            {"hi": APPEND_LOCK >> 32, "lo": APPEND_LOCK & 0xFFFFFFFF},
        ).scalar()


def test_reader_sees_an_event_whose_transaction_commits_late(engine, store, unique, submitted):
    """T1 draws a position and stays open; T2 appends after it. A reader that
    moves its checkpoint past T2's event while T1 is open would never see T1's.
    """
    follower = Follower(engine, head(engine))

    t1_conn = engine.connect()
    t1 = t1_conn.begin()
    try:
        first = append(t1_conn, unique("report"), NO_STREAM, [submitted()])

        second = eventlet.spawn(store.append, unique("report"), NO_STREAM, [submitted()])
        for _ in range(1000):  # bounded: T2 either finishes or queues behind T1
            if second.dead or waiting_for_append_lock(engine):
                break
            eventlet.sleep(0.005)
        else:
            raise AssertionError("T2 neither finished nor waited for the append lock")

        follower.poll()  # while T1 is open
        t1.commit()
    finally:
        t1_conn.close()  # rolls T1 back if the test failed before its commit
    second_result = second.wait()
    follower.poll()

    committed = [first.first_position, second_result.first_position]
    assert sorted(follower.seen) == sorted(committed)
    assert len(follower.seen) == len(set(follower.seen))
    assert follower.seen == sorted(follower.seen)  # seen in commit order = position order


def test_a_rolled_back_append_leaves_no_event_and_does_not_block_readers(
    engine, store, unique, submitted
):
    follower = Follower(engine, head(engine))
    conn = engine.connect()
    tx = conn.begin()
    append(conn, unique("report"), NO_STREAM, [submitted()])
    tx.rollback()
    conn.close()
    later = store.append(unique("report"), NO_STREAM, [submitted()])

    follower.poll()

    assert follower.seen == [later.first_position]


def test_concurrent_appenders_are_followed_without_a_miss(engine, store, unique, submitted):
    follower = Follower(engine, head(engine))
    writers_done = eventlet.event.Event()

    def write(appends: int) -> list[int]:
        stream = unique("report")
        for n in range(appends):
            batch = [submitted() for _ in range(random.randint(1, 3))]
            store.append(stream, NO_STREAM if n == 0 else ANY_VERSION, batch)
            eventlet.sleep(0)
        return [e.position for e in store.read_stream(stream)]

    def follow() -> None:
        while not writers_done.ready():
            follower.poll()
            eventlet.sleep(0)
        follower.poll()

    reader = eventlet.spawn(follow)
    writers = [eventlet.spawn(write, 6) for _ in range(10)]
    written = sorted(p for w in writers for p in w.wait())
    writers_done.send(True)
    reader.wait()

    assert follower.seen == written  # every position, once, in order
