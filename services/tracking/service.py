"""TrackingService: status and timeline of every report, projected from the log."""

from __future__ import annotations

from nameko.rpc import rpc

from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.tracking import handlers, manifest


class TrackingService(LaporService):
    name = "tracking"

    @handle_events(manifest.PROJECTION)
    def project(self, event, tx):
        handlers.project(event, tx)

    @rpc
    def get_report(self, tracking_id):
        with self.db.connect() as conn:
            return handlers.public_report(conn, tracking_id)
