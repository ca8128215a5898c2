"""`lapor-subscribe`: an agency's own events, for systems that do not run nameko.

    export LAPOR_AMQP_URL='amqp://agency-pemkot-3273-dpupr:PASSWORD@broker:5672/%2F'
    lapor-subscribe pemkot-3273-dpupr                         # print each event, one JSON line
    lapor-subscribe pemkot-3273-dpupr --forward https://sys.example/lapor   # POST each one

It consumes the agency's queue `lapor.agency.<code>` (made by `lapor
agency-amqp-user CODE`) with manual acknowledgements: a message is acked only
after the agency's handler returned. A handler that raises leaves the message
unacknowledged; after `retry_delay` it goes back to the queue and comes again,
so nothing is lost while the agency's system is down. Delivery is at least
once: each event's `id` is unique, use it to drop duplicates.

As a library:

    from lapor.subscriber import Subscriber

    def handle(event: dict) -> None:        # a CloudEvent, as a dict
        save(event["id"], event["type"], event["data"])

    Subscriber(url, "lapor.agency.pemkot-3273-dpupr", handle).run()
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import urllib.request
from collections.abc import Callable

import pika

log = logging.getLogger("lapor.subscriber")
Handler = Callable[[dict], None]
CONTENT_TYPE = "application/cloudevents+json"


def agency_queue(code: str) -> str:
    return f"lapor.agency.{code}"


class Subscriber:
    """Consume one queue; ack each message after `handler(event)` returned."""

    def __init__(
        self,
        url: str,
        queue: str,
        handler: Handler,
        prefetch: int = 10,
        retry_delay: float = 5.0,
        idle_seconds: float = 1.0,
    ):
        self.url = url
        self.queue = queue
        self.handler = handler
        self.prefetch = prefetch
        self.retry_delay = retry_delay
        self.idle_seconds = idle_seconds
        self.handled = 0
        self._stopping = False

    def stop(self) -> None:
        """End `run` after the message in hand (from the handler or another thread)."""
        self._stopping = True

    def run(self) -> int:
        """Consume until `stop()`; returns the number of events handled."""
        connection = pika.BlockingConnection(pika.URLParameters(self.url))
        try:
            channel = connection.channel()
            channel.basic_qos(prefetch_count=self.prefetch)
            for method, _properties, body in channel.consume(
                self.queue, auto_ack=False, inactivity_timeout=self.idle_seconds
            ):
                if method is not None:
                    self._handle(connection, channel, method, body)
                if self._stopping:
                    break
        finally:
            if connection.is_open:
                connection.close()  # unacked messages go back to the queue
        return self.handled

    def _handle(self, connection, channel, method, body: bytes) -> None:
        try:
            event = json.loads(body)
        except ValueError:
            # can never succeed; Lapor publishes only CloudEvents JSON
            log.error("dropping a message that is not JSON (delivery %s)", method.delivery_tag)
            channel.basic_reject(method.delivery_tag, requeue=False)
            return
        try:
            self.handler(event)
        except Exception:
            log.exception("handler failed for event %s; it will come again", event.get("id"))
            connection.sleep(self.retry_delay)  # keeps the heartbeat going
            channel.basic_nack(method.delivery_tag, requeue=True)
            return
        channel.basic_ack(method.delivery_tag)
        self.handled += 1


def print_event(event: dict) -> None:
    print(json.dumps(event, ensure_ascii=False), flush=True)


def forward_to(url: str, timeout: float = 10.0) -> Handler:
    """A handler that POSTs each CloudEvent to `url`; anything but 2xx is a failure."""

    def forward(event: dict) -> None:
        request = urllib.request.Request(
            url,
            data=json.dumps(event).encode(),
            method="POST",
            headers={"content-type": CONTENT_TYPE},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"{url} answered {response.status}")

    return forward


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lapor-subscribe",
        description=__doc__.splitlines()[0],
        epilog="The AMQP URL (with the agency's credentials) comes from LAPOR_AMQP_URL.",
    )
    parser.add_argument("agency", nargs="?", help="the agency code: consumes lapor.agency.<code>")
    parser.add_argument("--queue", help="the queue, if not lapor.agency.<agency>")
    parser.add_argument("--forward", metavar="URL", help="POST each event here instead of printing")
    parser.add_argument("--prefetch", type=int, default=10)
    parser.add_argument("--retry-delay", type=float, default=5.0)
    args = parser.parse_args(argv)
    url = os.environ.get("LAPOR_AMQP_URL")
    queue = args.queue or (agency_queue(args.agency) if args.agency else None)
    if not url or not queue:
        parser.error("set LAPOR_AMQP_URL and give the agency code (or --queue)")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    handler = forward_to(args.forward) if args.forward else print_event
    subscriber = Subscriber(url, queue, handler, args.prefetch, args.retry_delay)
    try:
        subscriber.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
