"""Committed events -> RabbitMQ, with publisher confirms, resumable.

The relay reads the log after its checkpoint in global order, publishes each
event persistently to `lapor.events` with several publishes in flight, waits
for the broker's confirms, and only then moves its checkpoint. A crash between
publish and checkpoint republishes (consumers' inboxes make that harmless); a
crash before publish loses nothing because the log is the source.

Only one relay publishes at a time: it holds a session advisory lock, and a
second replica waits as a standby.

>>> relay = Relay(engine, "amqp://guest:guest@127.0.0.1:5672/")
>>> relay.publish_pending()
12
"""

from __future__ import annotations

import logging
import select
import time
from collections.abc import Callable
from datetime import UTC, datetime

import amqp
import kombu
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor import broker
from lapor.consumer import checkpoints
from lapor.envelope import CONTENT_TYPE, to_wire
from lapor.eventstore import NOTIFY_CHANNEL, head_position, read_all
from lapor.metrics import RELAY_LAG, RELAY_PUBLISHED

log = logging.getLogger(__name__)

RELAY_CHECKPOINT = "relay"
RELAY_LOCK = 7_470_002


class PublishFailed(Exception):
    """The broker refused (nacked) or did not confirm a publish."""


class Relay:
    def __init__(
        self, engine: sa.Engine, amqp_uri: str, batch: int = 500, confirm_timeout: float = 30.0
    ):
        self.engine = engine
        self.amqp_uri = amqp_uri
        self.batch = batch
        self.confirm_timeout = confirm_timeout
        self._connection: kombu.Connection | None = None
        self._channel: amqp.Channel | None = None
        self._acked = 0
        self._nacked = False

    def publish_pending(self) -> int:
        """Publish one batch of unpublished events; returns how many."""
        with self.engine.connect() as conn:
            after = self.checkpoint(conn)
            pending = read_all(conn, after, self.batch)
        if not pending:
            RELAY_LAG.set(0)
            return 0
        self._publish_confirmed([(e.routing_key, to_wire(e), str(e.event_id)) for e in pending])
        with self.engine.begin() as tx:
            tx.execute(
                checkpoints.update()
                .where(checkpoints.c.consumer == RELAY_CHECKPOINT)
                .values(
                    position=sa.func.greatest(checkpoints.c.position, pending[-1].position),
                    updated_at=datetime.now(UTC),
                )
            )
            RELAY_LAG.set(max(head_position(tx) - pending[-1].position, 0))
        RELAY_PUBLISHED.inc(len(pending))
        return len(pending)

    def checkpoint(self, conn: sa.Connection) -> int:
        conn.execute(
            pg.insert(checkpoints)
            .values(consumer=RELAY_CHECKPOINT, position=0, updated_at=datetime.now(UTC))
            .on_conflict_do_nothing()
        )
        conn.commit()
        return conn.execute(
            sa.select(checkpoints.c.position).where(checkpoints.c.consumer == RELAY_CHECKPOINT)
        ).scalar()

    def run(self, should_stop: Callable[[], bool], idle_wait: float = 1.0) -> None:
        """Publish until `should_stop()`, surviving restarts of the broker and the
        database: any failure closes both connections, waits and starts over
        from the checkpoint."""
        while not should_stop():
            try:
                self._lead_and_publish(should_stop, idle_wait)
            except Exception as exc:  # noqa: BLE001 - logged; the loop is the recovery
                log.warning(
                    "relay interrupted; resuming from its checkpoint",
                    extra={"error": f"{type(exc).__name__}: {exc}"},
                )
                self.close_broker()
                time.sleep(idle_wait)

    def _lead_and_publish(self, should_stop: Callable[[], bool], idle_wait: float) -> None:
        """Wait to become the leader (advisory lock on a dedicated session), then
        publish; wakes on NOTIFY from appends, or polls every `idle_wait`."""
        raw = self.engine.raw_connection()
        try:
            pgconn = raw.driver_connection
            pgconn.autocommit = True
            cursor = pgconn.cursor()
            while not should_stop():
                cursor.execute("SELECT pg_try_advisory_lock(%s)", (RELAY_LOCK,))
                if cursor.fetchone()[0]:
                    break
                time.sleep(idle_wait)  # standby: another relay leads
            else:
                return
            log.info("relay is leading")
            cursor.execute(f"LISTEN {NOTIFY_CHANNEL}")
            while not should_stop():
                published = self.publish_pending()
                if published < self.batch:
                    if select.select([pgconn], [], [], idle_wait)[0]:
                        pgconn.poll()
                        pgconn.notifies.clear()
        finally:
            self.close_broker()
            raw.invalidate()  # ends the session, releasing the advisory lock

    # -- broker ----------------------------------------------------------------

    def _channel_with_confirms(self) -> amqp.Channel:
        if self._channel is None:
            self._connection = kombu.Connection(self.amqp_uri, heartbeat=0)
            self._connection.ensure_connection(max_retries=3)
            broker.EVENTS_EXCHANGE(self._connection.default_channel).declare()
            channel = self._connection.connection.channel()
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
            self._channel = channel
            self._published = 0
            self._acked = 0
        return self._channel

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._acked = max(self._acked, delivery_tag)  # acks may skip tags when multiple

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked = True

    def _publish_confirmed(self, messages: list[tuple[str, bytes, str]]) -> None:
        """Publish all messages without waiting between them, then wait until the
        broker has confirmed every one (delivery tags are consecutive)."""
        channel = self._channel_with_confirms()
        self._nacked = False
        for routing_key, body, message_id in messages:
            channel.basic_publish(
                amqp.Message(
                    body, content_type=CONTENT_TYPE, delivery_mode=2, message_id=message_id
                ),
                exchange=broker.EVENTS_EXCHANGE.name,
                routing_key=routing_key,
            )
            self._published += 1
        last = self._published
        connection = self._connection.connection
        while self._acked < last and not self._nacked:
            try:
                connection.drain_events(timeout=self.confirm_timeout)
            except TimeoutError as exc:
                raise PublishFailed("no confirm from the broker") from exc
        if self._nacked:
            raise PublishFailed("the broker refused a publish")

    def close_broker(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
        self._connection = self._channel = None
