"""The broker's topology, declared in one place.

Events go to the topic exchange `lapor.events` with the event's routing key.
Each subscription has a durable quorum queue `lapor.<service>.<name>`; a
message that keeps coming back past the delivery limit is dead-lettered to
`lapor.dead-letters` (the log still has the event: catch-up applies it).
"""

from __future__ import annotations

import kombu

from lapor.consumer import Subscription

EVENTS_EXCHANGE = kombu.Exchange("lapor.events", type="topic", durable=True)
DEAD_LETTER_EXCHANGE = kombu.Exchange("lapor.dead", type="fanout", durable=True)
DEAD_LETTER_QUEUE = kombu.Queue(
    "lapor.dead-letters",
    exchange=DEAD_LETTER_EXCHANGE,
    durable=True,
    queue_arguments={"x-queue-type": "quorum"},
)
DELIVERY_LIMIT = 20


def queue_for(subscription: Subscription) -> kombu.Queue:
    """The one declaration of a subscription's queue (arguments must never differ)."""
    return kombu.Queue(
        subscription.queue_name,
        bindings=[kombu.binding(EVENTS_EXCHANGE, routing_key=k) for k in subscription.binding_keys],
        durable=True,
        queue_arguments={
            "x-queue-type": "quorum",
            "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE.name,
        },
    )


def declare(connection: kombu.Connection, subscriptions: list[Subscription]) -> None:
    """Declare the exchanges and every subscription's queue with its bindings."""
    channel = connection.channel()
    try:
        EVENTS_EXCHANGE(channel).declare()
        DEAD_LETTER_EXCHANGE(channel).declare()
        DEAD_LETTER_QUEUE(channel).declare()
        for subscription in subscriptions:
            queue_for(subscription)(channel).declare()
    finally:
        channel.close()
