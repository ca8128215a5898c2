"""Rebuild tracking's projections from the log, and compare them with the live ones.

    lapor rebuild [--keep-old]      build into a fresh schema, then swap it in
    lapor compare-projections       build into a scratch schema, print every difference

What a projection holds is what its consumer applied: the events in
`lapor.inbox` with outcome `applied` (a parked event is not in the live
tables, so it is not in the rebuilt ones either; replay it afterwards). The
rebuild reads the log with `lapor.eventstore.read_all` and applies, in log
order, each consumer's applied events with the very code the live consumer
runs (its module's `apply_many`, which the live consumer calls with one
event), a batch at a time, into a schema of its own (`schema_translate_map`).

Rebuild and swap, while the live schema keeps serving:
1. in one REPEATABLE READ snapshot: create the tables (`LIKE tracking.<t>
   INCLUDING ALL`, so keys and indexes are the migrated ones), apply every
   event the snapshot's inbox holds as applied;
2. catch up the same way, in fresh snapshots, until few events are left;
3. in one transaction: lock `lapor.inbox` in SHARE mode (every consumer's
   transaction claims its inbox row first, so none is in flight and none can
   start), apply what the consumers committed since, copy the tables that are
   not projections (alembic's version), rename `tracking` away and the new
   schema to `tracking`. Consumers waiting on the lock then write, by name,
   into the new tables: no event is lost or applied twice.
The old schema is dropped afterwards (kept with --keep-old).

Comparing builds the scratch schema and reads the live tables in one
snapshot, so both hold exactly the same events; the transaction is rolled
back, leaving nothing behind.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from lapor.consumer import Subscription
from lapor.db import create_engine
from lapor.envelope import upcast_recorded
from lapor.eventstore import read_all
from services.tracking import manifest
from services.tracking.adapters import kpi_facts, projection

LIVE = "tracking"
BATCH = 5000
SMALL_DELTA = 200  # events left for the locked swap after the catch-up passes


# consumer -> what its live handler runs, for many events at once (tx, events)
APPLIERS: dict[str, Callable[[sa.Connection, list], None]] = {
    manifest.PROJECTION.consumer: projection.apply_many,
    manifest.KPIS.consumer: kpi_facts.apply_many,
}
METADATA = (projection.metadata, kpi_facts.metadata)


@dataclass(frozen=True)
class Projection:
    subscription: Subscription
    apply_many: Callable[[sa.Connection, list], None]

    def apply(self, event, tx: sa.Connection) -> None:
        """What the live consumer runs: one event."""
        self.apply_many(tx, [event])


@dataclass
class Progress:
    """What a consumer's rebuild applied: every applied event up to `upto`,
    and those above it by id."""

    upto: int = 0
    above: dict[uuid.UUID, int] = field(default_factory=dict)


def projections() -> list[Projection]:
    found = []
    for subscription in manifest.SUBSCRIPTIONS:
        if subscription.consumer not in APPLIERS:
            raise LookupError(
                f"{subscription.consumer}: no apply function; add it to rebuild.APPLIERS"
            )
        found.append(Projection(subscription, APPLIERS[subscription.consumer]))
    return found


def projection_tables() -> list[str]:
    return sorted(t.name for m in METADATA for t in m.tables.values())


# -- building ------------------------------------------------------------------


def _live_tables(conn: sa.Connection) -> list[str]:
    return list(
        conn.execute(
            sa.text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = :s AND table_type = 'BASE TABLE' ORDER BY table_name"
            ),
            {"s": LIVE},
        ).scalars()
    )


def _check_supported(conn: sa.Connection) -> None:
    """Objects a LIKE copy would not carry over; refuse rather than lose them."""
    other = conn.execute(
        sa.text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relkind IN ('v', 'm', 'f')"
        ),
        {"s": LIVE},
    ).scalars()
    serial = conn.execute(
        sa.text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = :s AND column_default LIKE 'nextval(%'"
        ),
        {"s": LIVE},
    ).scalars()
    found = [*other, *serial]
    if found:
        raise RuntimeError(f"cannot rebuild schema {LIVE}: views or serial columns {found}")


def create_tables(conn: sa.Connection, schema: str) -> list[str]:
    """Every table of the live schema, empty, in `schema`; tables of the
    projection modules the live schema lacks (not migrated yet) from their
    metadata. Returns the live tables that are not projections (copied at swap)."""
    _check_supported(conn)
    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    live = _live_tables(conn)
    for name in live:
        conn.execute(
            sa.text(f'CREATE TABLE "{schema}"."{name}" (LIKE {LIVE}."{name}" INCLUDING ALL)')
        )
    translated = conn.execution_options(schema_translate_map={LIVE: schema})
    for metadata in METADATA:
        missing = [t for t in metadata.tables.values() if t.name not in live]
        metadata.create_all(translated, tables=missing)
    conn.execution_options(schema_translate_map=None)
    return [name for name in live if name not in projection_tables()]


def catch_up(
    conn: sa.Connection, schema: str, todo: list[Projection], progress: dict[str, Progress]
) -> int:
    """Apply, into `schema`, the events each consumer's inbox holds as applied
    and this rebuild has not applied yet; all reads in `conn`'s snapshot."""
    conn.execution_options(schema_translate_map={LIVE: schema})
    done = 0
    try:
        for item in todo:
            done += _catch_up_one(
                conn, item, progress.setdefault(item.subscription.consumer, Progress())
            )
    finally:
        conn.execution_options(schema_translate_map=None)
    return done


def _catch_up_one(conn: sa.Connection, item: Projection, progress: Progress) -> int:
    consumer = item.subscription.consumer
    checkpoint = (
        conn.execute(
            sa.text("SELECT position FROM lapor.checkpoints WHERE consumer = :c"), {"c": consumer}
        ).scalar()
        or 0
    )
    after, done = progress.upto, 0
    while batch := read_all(conn, after, BATCH, item.subscription.event_types):
        applied = _applied(conn, consumer, [e.event_id for e in batch])
        todo = [e for e in batch if e.event_id in applied and e.event_id not in progress.above]
        if todo:
            item.apply_many(conn, [upcast_recorded(e) for e in todo])
        progress.above.update((e.event_id, e.position) for e in todo)
        done += len(todo)
        after = batch[-1].position
    progress.upto = max(progress.upto, checkpoint)
    progress.above = {i: p for i, p in progress.above.items() if p > progress.upto}
    return done


def _applied(conn: sa.Connection, consumer: str, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    return set(
        conn.execute(
            sa.text(
                "SELECT event_id FROM lapor.inbox WHERE consumer = :c AND outcome = 'applied' "
                "AND event_id = ANY(:ids)"
            ),
            {"c": consumer, "ids": ids},
        ).scalars()
    )


def _snapshot(engine: sa.Engine) -> sa.Connection:
    return engine.connect().execution_options(isolation_level="REPEATABLE READ")


# -- rebuild and swap ---------------------------------------------------------------


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex[:6]


def rebuild(
    engine: sa.Engine,
    keep_old: bool = False,
    say: Callable[[str], None] = print,
    on_phase: Callable[[str], None] | None = None,
) -> dict:
    """Rebuild every projection of tracking into a fresh schema and swap it in."""
    started, stamp = datetime.now(UTC), _stamp()
    new, old = f"{LIVE}_new_{stamp}", f"{LIVE}_old_{stamp}"
    todo, progress = projections(), {}
    clock = time.perf_counter()
    with _snapshot(engine) as conn, conn.begin():
        copied = create_tables(conn, new)
        applied = catch_up(conn, new, todo, progress)
    built_s = time.perf_counter() - clock
    say(f"built {new}: {applied} events in {built_s:.1f} s")
    for _ in range(10):
        with _snapshot(engine) as conn, conn.begin():
            delta = catch_up(conn, new, todo, progress)
        applied += delta
        if delta < SMALL_DELTA:
            break
    if on_phase:
        on_phase("built")
    with engine.begin() as tx:
        tx.execute(sa.text("SET LOCAL lock_timeout = '30s'"))
        tx.execute(sa.text("LOCK TABLE lapor.inbox IN SHARE MODE"))
        if on_phase:
            on_phase("locked")
        _refuse_replayed(tx, todo, started)
        applied += catch_up(tx, new, todo, progress)
        for name in copied:
            tx.execute(sa.text(f'INSERT INTO "{new}"."{name}" SELECT * FROM {LIVE}."{name}"'))
        tx.execute(sa.text(f'ALTER SCHEMA {LIVE} RENAME TO "{old}"'))
        tx.execute(sa.text(f'ALTER SCHEMA "{new}" RENAME TO {LIVE}'))
    if not keep_old:
        with engine.begin() as tx:
            tx.execute(sa.text(f'DROP SCHEMA "{old}" CASCADE'))
    seconds = time.perf_counter() - clock
    say(f"swapped: {LIVE} rebuilt from {applied} events in {seconds:.1f} s" + (
        f"; the previous one is {old}" if keep_old else ""))  # fmt: skip
    return {"events": applied, "seconds": seconds, "build_seconds": built_s, "old": old,
            "copied": copied}  # fmt: skip


def _refuse_replayed(tx: sa.Connection, todo: list[Projection], since: datetime) -> None:
    """A parked event replayed meanwhile leaves the inbox and comes back below
    a checkpoint this rebuild has passed: start again rather than miss it."""
    replayed = tx.execute(
        sa.text("SELECT count(*) FROM lapor.parked WHERE consumer = ANY(:c) AND replayed_at >= :t"),
        {"c": [p.subscription.consumer for p in todo], "t": since},
    ).scalar()
    if replayed:
        raise RuntimeError("a parked event was replayed during the rebuild; run it again")


# -- compare ------------------------------------------------------------------------


def differences(engine: sa.Engine) -> dict[str, dict[str, list]]:
    """Rows only in the live table and only in the rebuilt one, per table."""
    found: dict[str, dict[str, list]] = {}
    scratch = f"{LIVE}_compare_{_stamp()}"
    with _snapshot(engine) as conn:
        tx = conn.begin()
        try:
            create_tables(conn, scratch)
            catch_up(conn, scratch, projections(), {})
            for name in projection_tables():
                found[name] = {
                    "live_only": _except(conn, f'{LIVE}."{name}"', f'"{scratch}"."{name}"'),
                    "rebuilt_only": _except(conn, f'"{scratch}"."{name}"', f'{LIVE}."{name}"'),
                }
        finally:
            tx.rollback()  # the scratch schema goes with it
    return found


def _except(conn: sa.Connection, left: str, right: str) -> list:
    rows = conn.execute(
        sa.text(f"SELECT to_jsonb(a) FROM {left} a EXCEPT ALL SELECT to_jsonb(b) FROM {right} b")
    ).scalars()
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


# -- commands --------------------------------------------------------------------------


def rebuild_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lapor rebuild", description=rebuild.__doc__)
    parser.add_argument("--keep-old", action="store_true", help="keep the previous schema")
    args = parser.parse_args(argv)
    engine = create_engine(pool_size=1)
    try:
        rebuild(engine, keep_old=args.keep_old)
    finally:
        engine.dispose()
    return 0


def compare_command(argv: list[str]) -> int:
    argparse.ArgumentParser(
        prog="lapor compare-projections", description="Print every row that differs."
    ).parse_args(argv)
    engine = create_engine(pool_size=1)
    try:
        found = differences(engine)
    finally:
        engine.dispose()
    total = 0
    for table, sides in found.items():
        for side, rows in sides.items():
            for row in rows:
                print(f"{table}\t{side}\t{json.dumps(row, sort_keys=True, ensure_ascii=False)}")
            total += len(rows)
    print(f"{total} differing rows in {len(found)} tables")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(rebuild_command(sys.argv[1:]))
