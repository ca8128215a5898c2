"""Routing's webhook entrypoints, mixed into RoutingService.

Every report event that concerns an agency with a webhook becomes a delivery
in routing's log (in the transaction that records the event in the inbox);
a timer sends due deliveries, signed, with retries and in order per report.
"""

from __future__ import annotations

from datetime import UTC, datetime

from nameko.rpc import rpc
from nameko.timer import timer

from lapor import config
from lapor.nameko.events import handle_events
from services.routing import manifest, subscriptions
from services.routing.adapters.webhooks import WebhookStore, deliver_due

SEND_EVERY_SECONDS = config.env_float("WEBHOOK_SEND_SECONDS", 1.0)


class WebhookEntrypoints:
    """Needs the `db` engine of LaporService."""

    @handle_events(manifest.WEBHOOKS)
    def enqueue_webhooks(self, event, tx):
        WebhookStore(tx).enqueue(event, datetime.now(UTC))

    @timer(interval=SEND_EVERY_SECONDS)
    def send_webhooks(self):
        deliver_due(self.db)

    @rpc
    def set_webhook(self, agency_code, url):
        with self.db.begin() as tx:
            return subscriptions.set_webhook(tx, agency_code, url, datetime.now(UTC))

    @rpc
    def rotate_webhook_secret(self, agency_code):
        with self.db.begin() as tx:
            return subscriptions.rotate_webhook_secret(tx, agency_code, datetime.now(UTC))

    @rpc
    def webhook_deliveries(self, agency_code, limit=50):
        with self.db.connect() as conn:
            return subscriptions.webhook_deliveries(conn, agency_code, limit)
