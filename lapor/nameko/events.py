"""`handle_events`: a nameko entrypoint that applies events exactly once.

    class RoutingService(LaporService):
        name = "routing"

        @handle_events(ASSIGN)          # a lapor.consumer.Subscription
        def assign(self, event, tx):    # tx: the transaction of effect, inbox, checkpoint
            handlers.assign_report(event, ReportLog(tx), ...)

The worker runs inside the transaction that also records the inbox entry and
the checkpoint; the message is acknowledged after that transaction commits.
A background green thread catches up from the log (at start, on a gap, and
every `EVENT_CATCHUP_SECONDS`).
"""

from __future__ import annotations

import logging
from functools import partial

import eventlet
from eventlet.event import Event
from nameko.messaging import Consumer, QueueConsumer

from lapor import broker
from lapor.consumer import EventProcessor, Subscription
from lapor.metrics import CONSUMER_LAG
from lapor.nameko.database import engine_for

log = logging.getLogger(__name__)


class RawQueueConsumer(QueueConsumer):
    """Hands providers the raw body: decoding is ours, so a malformed message
    is parked with its reason instead of stopping the consumer."""

    def get_consumers(self, consumer_cls, channel):
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_message = partial(self._on_raw_message, provider)
        return consumers

    def _on_raw_message(self, provider, message):
        self.handle_message(provider, message.body, message)


class EventHandlerEntrypoint(Consumer):
    queue_consumer = RawQueueConsumer()

    def __init__(self, subscription: Subscription, **kwargs):
        self.subscription = subscription
        super().__init__(queue=broker.queue_for(subscription), requeue_on_error=True, **kwargs)

    def setup(self) -> None:
        config = self.container.config
        self.catchup_seconds = float(config.get("EVENT_CATCHUP_SECONDS", 1.0))
        self.processor = EventProcessor(
            self.subscription,
            engine_for(config),
            self._apply_in_worker,
            max_attempts=int(config.get("EVENT_MAX_ATTEMPTS", 5)),
            grace_seconds=float(config.get("EVENT_GRACE_SECONDS", 2.0)),
        )
        self._running = False
        super().setup()

    def start(self) -> None:
        self.processor.ensure_checkpoint()
        self._running = True
        self.container.spawn_managed_thread(
            self._catch_up_forever, identifier=f"catch-up {self.subscription.consumer}"
        )

    def stop(self) -> None:
        self._running = False
        super().stop()

    def kill(self) -> None:
        self._running = False
        super().kill()

    def handle_message(self, body, message) -> None:
        try:
            self.processor.process_message(body)
        except Exception:
            log.exception("cannot apply event now; the broker will redeliver it")
            eventlet.sleep(1.0)
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _apply_in_worker(self, event, tx) -> None:
        """Run the service method as a nameko worker and wait for its outcome."""
        done = Event()

        def handle_result(worker_ctx, result=None, exc_info=None):
            done.send(exc_info)
            return result, exc_info

        self.container.spawn_worker(self, (event, tx), {}, handle_result=handle_result)
        exc_info = done.wait()
        if exc_info is not None:
            raise exc_info[1].with_traceback(exc_info[2])

    def _catch_up_forever(self) -> None:
        waited = self.catchup_seconds  # first pass at once
        while self._running:
            if waited >= self.catchup_seconds or self.processor.gap_seen:
                waited = 0.0
                try:
                    self.processor.catch_up()
                    CONSUMER_LAG.labels(consumer=self.subscription.consumer).set(
                        self.processor.lag()
                    )
                except Exception:
                    log.exception("catch-up failed; trying again")
            eventlet.sleep(0.1)
            waited += 0.1


handle_events = EventHandlerEntrypoint.decorator
