"""Applying events exactly once: inbox, checkpoint, catch-up and parking.

For each event a subscriber's effect, its inbox record (consumer, event id)
and its checkpoint commit in one transaction; the transport acknowledges the
message only after that commit. A redelivered event finds its inbox record
and does nothing. Events the broker never delivered (it lost them, the
consumer was down, its queue did not exist yet) are found in the log by
`catch_up`. A handler that keeps failing parks its event with the reason and
the number of attempts; the rest keep flowing, and `replay` brings it back.

Each stream's events are applied in stream order: a later event waits for the
earlier ones this consumer subscribes to. Events of different streams apply
concurrently.

The checkpoint is the highest position P such that every subscribed event at
or below P is in the inbox; it only ever moves forward.

>>> processor = EventProcessor(subscription, engine, handler)
>>> processor.process_message(body)
'applied'
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor.contracts import InvalidEvent, contract_for
from lapor.db import PreparedStatement
from lapor.envelope import from_wire, upcast_recorded
from lapor.eventstore import RecordedEvent, _recorded, events, metadata
from lapor.metrics import CONSUMER_EVENTS

log = logging.getLogger(__name__)

Handler = Callable[[RecordedEvent, sa.Connection], None]

inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("consumer", sa.Text, primary_key=True),
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("outcome", sa.Text, nullable=False),  # applied | parked
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
)

checkpoints = sa.Table(
    "checkpoints",
    metadata,
    sa.Column("consumer", sa.Text, primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("consumer", sa.Text, primary_key=True),
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text, nullable=False),
)

parked = sa.Table(
    "parked",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("consumer", sa.Text, nullable=False),
    sa.Column("event_id", sa.Uuid, nullable=True),  # null: the message was not a usable event
    sa.Column("position", sa.BigInteger, nullable=True),
    sa.Column("type", sa.Text, nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=True),
    sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
)


# The hot path's statements, written once (they run in every consumer transaction).
_CLAIM = sa.text("""
    INSERT INTO lapor.inbox (consumer, event_id, position, outcome, handled_at)
    VALUES (:consumer, CAST(:event_id AS uuid), :position, :outcome, now())
    ON CONFLICT DO NOTHING
    RETURNING event_id""")
_PREDECESSORS_PENDING = PreparedStatement(
    "lapor_predecessors_pending",
    "text, text, integer, text[]",
    # the stream's earlier events first (a few rows, by the (stream, version)
    # key): the generic plan of a prepared statement otherwise also scans the
    # type index, which grows with the whole log
    """WITH earlier AS MATERIALIZED (
           SELECT event_id, type FROM lapor.events WHERE stream = $2 AND version < $3)
       SELECT count(*) FROM earlier e
       WHERE e.type = ANY($4)
         AND NOT EXISTS (SELECT 1 FROM lapor.inbox i
                         WHERE i.consumer = $1 AND i.event_id = e.event_id)""",
)
# Prepared once per connection: planning this statement costs more than running it.
_ADVANCE_SQL = """
    UPDATE lapor.checkpoints c
    SET updated_at = now(), position = GREATEST(c.position, COALESCE(
        (SELECT e.position - 1 FROM lapor.events e
         WHERE e.position > c.position AND e.type = ANY($2)
           AND NOT EXISTS (SELECT 1 FROM lapor.inbox i
                           WHERE i.consumer = $1 AND i.event_id = e.event_id)
         ORDER BY e.position LIMIT 1),
        (SELECT max(position) FROM lapor.events),
        0))
    WHERE c.consumer = $1 {unless_busy}
    RETURNING c.position"""
_ADVANCE = PreparedStatement(
    "lapor_advance_checkpoint", "text, text[]", _ADVANCE_SQL.format(unless_busy="")
)
_ADVANCE_UNLESS_BUSY = PreparedStatement(
    "lapor_advance_checkpoint_unless_busy",
    "text, text[]",
    _ADVANCE_SQL.format(
        unless_busy="""
      AND c.consumer IN (SELECT consumer FROM lapor.checkpoints
                         WHERE consumer = $1 FOR UPDATE SKIP LOCKED)"""
    ),
)


@dataclass(frozen=True)
class Subscription:
    """What one consumer of one service receives: its queue and its event types."""

    service: str
    name: str
    event_types: tuple[str, ...]

    @property
    def consumer(self) -> str:
        return f"{self.service}.{self.name}"

    @property
    def queue_name(self) -> str:
        return f"lapor.{self.service}.{self.name}"

    @property
    def binding_keys(self) -> list[str]:
        return [contract_for(t).binding_key for t in self.event_types]


class EventProcessor:
    def __init__(
        self,
        subscription: Subscription,
        engine: sa.Engine,
        handler: Handler,
        max_attempts: int = 5,
        grace_seconds: float = 2.0,
        order_wait_seconds: float = 2.0,
    ):
        self.subscription = subscription
        self.consumer = subscription.consumer
        self.engine = engine
        self.handler = handler
        self.max_attempts = max_attempts
        self.grace_seconds = grace_seconds
        self.order_wait_seconds = order_wait_seconds
        self.gap_seen = False

    # -- live path ---------------------------------------------------------

    def process_message(self, body: bytes) -> str:
        """Apply one message from the broker. Returns the outcome; never raises
        for a bad event, only for an unreachable database."""
        try:
            event = from_wire(body)
        except InvalidEvent as exc:
            return self._park_message(body, str(exc))
        if event.type not in self.subscription.event_types:
            return self._park_message(body, f"{event.type} is not subscribed by {self.consumer}")
        return self.process(event)

    def process(self, event: RecordedEvent) -> str:
        if not self._predecessors_handled(event):
            self.gap_seen = True  # catch-up applies it after its predecessor
            return self._count("deferred")
        try:
            with self.engine.begin() as tx:
                if not self._claim(tx, event, "applied"):
                    return self._count("duplicate")
                # before the effect: a handler that appends holds the log's
                # ordering lock from its append to the commit; keep that short
                checkpoint = self._advance_checkpoint(tx, wait=False)
                self.handler(event, tx)
        except (sa.exc.OperationalError, sa.exc.InterfaceError):
            raise  # the database is unreachable: not the event's fault
        except Exception as exc:
            return self._failed(event, exc)
        if 0 <= checkpoint < event.position:
            self.gap_seen = True  # an earlier event is missing or still in flight
        return self._count("applied")

    # -- catch-up from the log -----------------------------------------------

    def ensure_checkpoint(self) -> None:
        with self.engine.begin() as tx:
            tx.execute(
                pg.insert(checkpoints)
                .values(consumer=self.consumer, position=0, updated_at=datetime.now(UTC))
                .on_conflict_do_nothing()
            )

    def catch_up(self, batch: int = 500, grace_seconds: float | None = None) -> int:
        """Apply subscribed events of the log that are not in the inbox and are
        older than the grace period (younger ones are probably in flight)."""
        self.gap_seen = False
        grace = self.grace_seconds if grace_seconds is None else grace_seconds
        done = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(self._missing_query(batch, grace)).all()
            for row in rows:
                try:
                    event = upcast_recorded(_recorded(row))
                except InvalidEvent as exc:
                    self._park_event(_recorded(row), str(exc), 1)
                    continue
                self.process(event)
                done += 1
            if len(rows) < batch:
                break
        with self.engine.begin() as tx:
            self._advance_checkpoint(tx)
        return done

    def checkpoint(self) -> int:
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    sa.select(checkpoints.c.position).where(checkpoints.c.consumer == self.consumer)
                ).scalar()
                or 0
            )

    def lag(self) -> int:
        """Subscribed events in the log after the checkpoint that are not yet handled."""
        with self.engine.connect() as conn:
            query = self._missing_query(None, 0).with_only_columns(sa.func.count())
            return conn.execute(query.order_by(None)).scalar()

    # -- internals -------------------------------------------------------------

    def _missing_query(self, limit: int | None, grace: float) -> sa.Select:
        cp = sa.select(checkpoints.c.position).where(checkpoints.c.consumer == self.consumer)
        handled = sa.select(inbox.c.event_id).where(
            inbox.c.consumer == self.consumer, inbox.c.event_id == events.c.event_id
        )
        query = (
            sa.select(events)
            .where(events.c.position > sa.func.coalesce(cp.scalar_subquery(), 0))
            .where(events.c.type.in_(self.subscription.event_types))
            .where(~handled.exists())
            .where(
                events.c.recorded_at
                < sa.func.now() - sa.func.make_interval(0, 0, 0, 0, 0, 0, grace)
            )
            .order_by(events.c.position)
        )
        return query.limit(limit) if limit else query

    def _predecessors_handled(self, event: RecordedEvent) -> bool:
        """Stream order: every earlier event of the event's stream that this
        consumer subscribes to is in its inbox. Concurrent workers may receive
        a stream's events together; the later one waits a moment for the
        earlier one to commit, and is otherwise left to catch-up."""
        if event.version == 1:
            return True
        types = list(self.subscription.event_types)
        deadline = time.monotonic() + self.order_wait_seconds
        while True:
            with self.engine.connect() as conn:
                pending = _PREDECESSORS_PENDING.execute(
                    conn, self.consumer, event.stream, event.version, types
                ).scalar()
            if not pending:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)  # a green sleep under eventlet

    def _claim(self, tx: sa.Connection, event: RecordedEvent, outcome: str) -> bool:
        """Record the event in the inbox; False when it is there already."""
        claimed = tx.execute(
            _CLAIM,
            {
                "consumer": self.consumer,
                "event_id": str(event.event_id),
                "position": event.position,
                "outcome": outcome,
            },
        ).first()
        return claimed is not None

    def _advance_checkpoint(self, tx: sa.Connection, wait: bool = True) -> int:
        """Move the checkpoint to just before the first subscribed event that is
        not handled yet, as this transaction sees the log and the inbox.

        The value is derived from the inbox, so skipping an update is always
        safe: with `wait=False` a transaction whose sibling holds the row moves
        on (returning -1) instead of queueing every worker on one row lock;
        the next transaction or catch-up pass advances it."""
        statement = _ADVANCE if wait else _ADVANCE_UNLESS_BUSY
        position = statement.execute(
            tx, self.consumer, list(self.subscription.event_types)
        ).scalar()
        return -1 if position is None else position

    def _failed(self, event: RecordedEvent, exc: Exception) -> str:
        reason = _pg_text(f"{type(exc).__name__}: {exc}")
        log.warning(
            "handler failed",
            extra={"consumer": self.consumer, "event_id": str(event.event_id), "error": reason},
        )
        with self.engine.begin() as tx:
            count = tx.execute(
                pg.insert(attempts)
                .values(
                    consumer=self.consumer, event_id=event.event_id, attempts=1, last_error=reason
                )
                .on_conflict_do_update(
                    index_elements=[attempts.c.consumer, attempts.c.event_id],
                    set_={"attempts": attempts.c.attempts + 1, "last_error": reason},
                )
                .returning(attempts.c.attempts)
            ).scalar()
        if count < self.max_attempts:
            # left out of the inbox: catch-up retries it after the grace period
            return self._count("retry")
        return self._park_event(event, reason + "\n" + traceback.format_exc(limit=5), count)

    def _park_event(self, event: RecordedEvent, reason: str, tries: int) -> str:
        with self.engine.begin() as tx:
            if self._claim(tx, event, "parked"):
                tx.execute(
                    parked.insert().values(
                        consumer=self.consumer,
                        event_id=event.event_id,
                        position=event.position,
                        type=event.type,
                        reason=_pg_text(reason),
                        attempts=tries,
                        parked_at=datetime.now(UTC),
                    )
                )
                tx.execute(
                    attempts.delete().where(
                        attempts.c.consumer == self.consumer, attempts.c.event_id == event.event_id
                    )
                )
                self._advance_checkpoint(tx)
        log.error(
            "event parked",
            extra={"consumer": self.consumer, "event_id": str(event.event_id), "type": event.type},
        )
        return self._count("parked")

    def _park_message(self, body: bytes, reason: str) -> str:
        with self.engine.begin() as tx:
            tx.execute(
                parked.insert().values(
                    consumer=self.consumer,
                    reason=_pg_text(reason),
                    attempts=1,
                    parked_at=datetime.now(UTC),
                    body=_pg_text(body.decode("utf-8", "replace")[:65536]),
                )
            )
        log.error("message parked", extra={"consumer": self.consumer, "reason": reason[:200]})
        return self._count("parked")

    def _count(self, outcome: str) -> str:
        CONSUMER_EVENTS.labels(consumer=self.consumer, outcome=outcome).inc()
        return outcome


def _pg_text(text: str) -> str:
    # PostgreSQL text cannot hold NUL; a poison message must still be parkable
    return text.replace("\x00", "\ufffd")


def list_parked(conn: sa.Connection, consumer: str | None = None) -> list[sa.Row]:
    query = sa.select(parked).where(parked.c.replayed_at.is_(None)).order_by(parked.c.id)
    if consumer:
        query = query.where(parked.c.consumer == consumer)
    return conn.execute(query).all()


def replay_parked(conn: sa.Connection, parked_id: int) -> str:
    """Release a parked event so that its consumer applies it again from the log.

    The inbox record goes and the checkpoint moves back before the event; the
    consumer's catch-up finds it on its next pass.
    """
    row = conn.execute(sa.select(parked).where(parked.c.id == parked_id)).first()
    if row is None or row.replayed_at is not None:
        raise LookupError(f"no parked event {parked_id} waiting for replay")
    if row.event_id is None:
        raise LookupError(
            f"parked message {parked_id} is not an event of the log; nothing to replay"
        )
    conn.execute(
        inbox.delete().where(inbox.c.consumer == row.consumer, inbox.c.event_id == row.event_id)
    )
    conn.execute(
        checkpoints.update()
        .where(checkpoints.c.consumer == row.consumer)
        .values(position=sa.func.least(checkpoints.c.position, row.position - 1))
    )
    conn.execute(
        parked.update().where(parked.c.id == parked_id).values(replayed_at=datetime.now(UTC))
    )
    return f"{row.consumer} will apply event {row.event_id} again"
