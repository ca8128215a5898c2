"""The event log on PostgreSQL: streams with optimistic concurrency, idempotent
appends, one global order that readers can follow without skipping, and a hash
chain per stream.

Ordering guard: every append takes one transaction-scoped advisory lock before
it draws positions, so transactions that append commit in position order. A
`bigserial` alone hands out positions before commit; a reader could then see
position 12 while 11 is still in flight, move past 11 and never see it.

>>> store = EventStore(engine)
>>> result = store.append("report-ABC", NO_STREAM, [NewEvent("report.submitted", data)])
>>> [e.type for e in store.read_stream("report-ABC")]
['report.submitted']
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor.contracts import contract_for

NO_STREAM = 0  # expected version of a stream that must not exist yet
ANY_VERSION = None  # no concurrency check
APPEND_LOCK = 7_470_001  # advisory lock key that serialises appends
NOTIFY_CHANNEL = "lapor_events"
GENESIS_HASH = "0" * 64

metadata = sa.MetaData(schema="lapor")

events = sa.Table(
    "events",
    metadata,
    sa.Column("position", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("stream", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("data", pg.JSONB, nullable=False),
    sa.Column("meta", pg.JSONB, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("prev_hash", sa.Text, nullable=False),
    sa.Column("hash", sa.Text, nullable=False),
    sa.UniqueConstraint("stream", "version"),
)

streams = sa.Table(
    "streams",
    metadata,
    sa.Column("stream", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("head_hash", sa.Text, nullable=False),
    # the agency the stream's latest event concerns; see `append`
    sa.Column("agency", sa.Text),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("stream", sa.Text, nullable=False),
    sa.Column("first_version", sa.Integer, nullable=False),
    sa.Column("last_version", sa.Integer, nullable=False),
    sa.Column("first_position", sa.BigInteger, nullable=False),
    sa.Column("last_position", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


class ConcurrencyError(Exception):
    """The stream is not at the version the caller expected; nothing was written."""

    def __init__(self, stream: str, expected: int, actual: int):
        super().__init__(f"stream {stream!r} is at version {actual}, expected {expected}")
        self.stream, self.expected, self.actual = stream, expected, actual


@dataclass(frozen=True)
class NewEvent:
    """An event to append. `data` is validated against its contract's current version."""

    type: str
    data: dict[str, Any]
    correlation_id: str | None = None
    causation_id: str | None = None
    source: str = "/lapor"
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class RecordedEvent:
    event_id: uuid.UUID
    stream: str
    version: int
    position: int
    type: str
    schema_version: int
    data: dict[str, Any]
    recorded_at: datetime
    source: str
    correlation_id: str | None
    causation_id: str | None
    prev_hash: str
    hash: str
    agency: str | None = None  # the agency the event concerns, if any (see `append`)

    @property
    def routing_key(self) -> str:
        """`<type>.<agency code>` for an event that concerns an agency, else `<type>`."""
        return f"{self.type}.{self.agency}" if self.agency else self.type


@dataclass(frozen=True)
class AppendResult:
    stream: str
    first_version: int
    last_version: int
    first_position: int
    last_position: int
    duplicate: bool  # True: the idempotency key was seen before; this is the first result


@dataclass(frozen=True)
class Verification:
    stream: str
    intact: bool
    events: int
    problems: list[str]
    # the first event of the chain found edited, inserted or out of place, if any
    first_bad_version: int | None = None
    first_bad_event_id: uuid.UUID | None = None


def event_hash(
    prev_hash: str,
    stream: str,
    version: int,
    event_id: uuid.UUID,
    type_: str,
    schema_version: int,
    data: Any,
    meta: dict,
    recorded_at: datetime,
) -> str:
    """SHA-256 over the predecessor's hash and a canonical form of the event."""
    canonical = json.dumps(
        [
            prev_hash,
            stream,
            version,
            str(event_id),
            type_,
            schema_version,
            data,
            meta,
            recorded_at.astimezone(UTC).isoformat(),
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _recorded(row: sa.Row) -> RecordedEvent:
    meta = row.meta
    return RecordedEvent(
        event_id=row.event_id,
        stream=row.stream,
        version=row.version,
        position=row.position,
        type=row.type,
        schema_version=row.schema_version,
        data=row.data,
        recorded_at=row.recorded_at,
        source=meta.get("source", "/lapor"),
        correlation_id=meta.get("correlation_id"),
        causation_id=meta.get("causation_id"),
        prev_hash=row.prev_hash,
        hash=row.hash,
        agency=meta.get("agency"),
    )


def append(
    conn: sa.Connection,
    stream: str,
    expected_version: int | None,
    new_events: Sequence[NewEvent],
    idempotency_key: str | None = None,
) -> AppendResult:
    """Append to `stream` inside the caller's transaction on `conn`.

    The events become visible, and the lock that orders appends is released,
    when the caller commits. With an `idempotency_key` seen before, nothing is
    written and the first append's result comes back with `duplicate=True`.

    Each event records the agency it concerns (in its `meta`): the value of
    its contract's `agency_field`, or else the agency of the stream's latest
    event. So once a report is routed, every later event of its stream (a
    reporter's message, a closure) reaches the owning agency's routing key.
    """
    if not new_events:
        raise ValueError("nothing to append")
    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(APPEND_LOCK)))
    if idempotency_key is not None:
        seen = conn.execute(
            sa.select(idempotency_keys).where(idempotency_keys.c.key == idempotency_key)
        ).first()
        if seen is not None:
            return AppendResult(
                seen.stream,
                seen.first_version,
                seen.last_version,
                seen.first_position,
                seen.last_position,
                duplicate=True,
            )
    head = conn.execute(
        sa.select(streams.c.version, streams.c.head_hash, streams.c.agency).where(
            streams.c.stream == stream
        )
    ).first()
    version, prev_hash = (head.version, head.head_hash) if head else (NO_STREAM, GENESIS_HASH)
    agency = head.agency if head else None
    if expected_version is not ANY_VERSION and version != expected_version:
        raise ConcurrencyError(stream, expected_version, version)

    rows = []
    now = datetime.now(UTC)
    for event in new_events:
        contract = contract_for(event.type)
        data = contract.validate(event.data)
        version += 1
        meta = {
            "source": event.source,
            "correlation_id": event.correlation_id or str(event.event_id),
            "causation_id": event.causation_id,
        }
        if contract.agency_field is not None:
            agency = data[contract.agency_field]
        if agency is not None:
            meta["agency"] = agency
        digest = event_hash(
            prev_hash,
            stream,
            version,
            event.event_id,
            event.type,
            contract.version,
            data,
            meta,
            now,
        )
        rows.append(
            dict(
                event_id=event.event_id,
                stream=stream,
                version=version,
                type=event.type,
                schema_version=contract.version,
                data=data,
                meta=meta,
                recorded_at=now,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        prev_hash = digest
    positions = conn.execute(events.insert().returning(events.c.position), rows).scalars().all()
    positions = sorted(positions)
    head_values = {"version": version, "head_hash": prev_hash, "agency": agency}
    upsert = pg.insert(streams).values(stream=stream, **head_values)
    conn.execute(upsert.on_conflict_do_update(index_elements=[streams.c.stream], set_=head_values))
    result = AppendResult(
        stream, version - len(rows) + 1, version, positions[0], positions[-1], duplicate=False
    )
    if idempotency_key is not None:
        conn.execute(
            idempotency_keys.insert().values(
                key=idempotency_key,
                stream=stream,
                first_version=result.first_version,
                last_version=result.last_version,
                first_position=result.first_position,
                last_position=result.last_position,
                created_at=now,
            )
        )
    conn.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, str(result.last_position))))
    return result


def read_stream(conn: sa.Connection, stream: str) -> list[RecordedEvent]:
    return read_streams(conn, [stream]).get(stream, [])


def read_streams(conn: sa.Connection, streams: Iterable[str]) -> dict[str, list[RecordedEvent]]:
    """The events of each stream, in stream order, in one query."""
    rows = conn.execute(
        sa.select(events)
        .where(events.c.stream.in_(list(streams)))
        .order_by(events.c.stream, events.c.version)
    )
    found: dict[str, list[RecordedEvent]] = {}
    for row in rows:
        found.setdefault(row.stream, []).append(_recorded(row))
    return found


def read_all(
    conn: sa.Connection, after: int, limit: int = 500, types: Iterable[str] | None = None
) -> list[RecordedEvent]:
    """Committed events after position `after`, in global order."""
    query = sa.select(events).where(events.c.position > after)
    if types is not None:
        query = query.where(events.c.type.in_(list(types)))
    rows = conn.execute(query.order_by(events.c.position).limit(limit))
    return [_recorded(r) for r in rows]


def head_position(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.coalesce(sa.func.max(events.c.position), 0))).scalar()


def verify_stream(conn: sa.Connection, stream: str) -> Verification:
    """Recompute the stream's hash chain and compare it with its recorded head.

    Detects an edited event (its hash no longer matches), an inserted or
    deleted one (a broken link or a version gap), and a truncated tail (the
    chain no longer ends at the head recorded in `streams`).
    """
    problems: list[str] = []
    rows = conn.execute(
        sa.select(events).where(events.c.stream == stream).order_by(events.c.version)
    ).all()
    prev = GENESIS_HASH
    first_bad = None
    for expected_version, row in enumerate(rows, start=1):
        known = len(problems)
        if row.version != expected_version:
            problems.append(f"version {expected_version} missing (found {row.version})")
        if row.prev_hash != prev:
            problems.append(f"version {row.version}: does not follow its predecessor")
        digest = event_hash(
            row.prev_hash,
            row.stream,
            row.version,
            row.event_id,
            row.type,
            row.schema_version,
            row.data,
            row.meta,
            row.recorded_at,
        )
        if digest != row.hash:
            problems.append(f"version {row.version}: content does not match its hash")
        if first_bad is None and len(problems) > known:
            first_bad = row
        prev = row.hash
    head = conn.execute(sa.select(streams).where(streams.c.stream == stream)).first()
    if head is None:
        if rows:
            problems.append("stream has events but no recorded head")
    elif head.version != len(rows):
        problems.append(f"chain ends at version {len(rows)}, recorded head is {head.version}")
    elif head.head_hash != prev:
        problems.append(f"the last event's hash differs from the recorded head at {head.version}")
    return Verification(
        stream,
        not problems and bool(rows),
        len(rows),
        problems,
        first_bad.version if first_bad is not None else None,
        first_bad.event_id if first_bad is not None else None,
    )


class EventStore:
    """The log behind an engine; each call runs in its own transaction.

    Use the module functions with a connection to append inside a larger
    transaction (a consumer's effect, inbox record and checkpoint).
    """

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def append(
        self,
        stream: str,
        expected_version: int | None,
        new_events: Sequence[NewEvent],
        idempotency_key: str | None = None,
    ) -> AppendResult:
        with self.engine.begin() as conn:
            return append(conn, stream, expected_version, new_events, idempotency_key)

    def read_stream(self, stream: str) -> list[RecordedEvent]:
        with self.engine.connect() as conn:
            return read_stream(conn, stream)

    def read_all(
        self, after: int, limit: int = 500, types: Iterable[str] | None = None
    ) -> list[RecordedEvent]:
        with self.engine.connect() as conn:
            return read_all(conn, after, limit, types)

    def verify_stream(self, stream: str) -> Verification:
        with self.engine.connect() as conn:
            return verify_stream(conn, stream)


class TransactionLog:
    """Appends inside an open transaction (a consumer's effect, inbox and checkpoint)."""

    def __init__(self, tx: sa.Connection):
        self.tx = tx

    def append(
        self,
        stream: str,
        expected_version: int | None,
        new_events: Sequence[NewEvent],
        idempotency_key: str | None = None,
    ) -> AppendResult:
        return append(self.tx, stream, expected_version, new_events, idempotency_key)
