"""TrackingService: status and timeline of every report, projected from the log."""

from __future__ import annotations

from datetime import datetime

from nameko.rpc import rpc

from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.tracking import handlers, manifest
from services.tracking.adapters import kpi_facts


class TrackingService(LaporService):
    name = "tracking"

    @handle_events(manifest.PROJECTION)
    def project(self, event, tx):
        handlers.project(event, tx)

    @rpc
    def get_report(self, tracking_id, reporter=False):
        with self.db.connect() as conn:
            return handlers.public_report(conn, tracking_id, reporter=reporter)

    @rpc
    def case_detail(self, tracking_id):
        with self.db.connect() as conn:
            return handlers.case_detail(conn, tracking_id)

    @rpc
    def inbox(self, agencies, filters=None, page=1, per_page=20):
        with self.db.connect() as conn:
            return handlers.inbox(conn, agencies, filters, page, per_page)

    @rpc
    def public_feed(self, filters=None, page=1, per_page=20):
        with self.db.connect() as conn:
            return handlers.public_feed(conn, filters, page, per_page)

    @rpc
    def status_as_of(self, tracking_id, at):
        with self.db.connect() as conn:
            return handlers.status_as_of(conn, tracking_id, at)

    @rpc
    def verify_report(self, tracking_id):
        with self.db.connect() as conn:
            return handlers.verify_report(conn, tracking_id)

    @handle_events(manifest.KPIS)
    def keep_kpi_facts(self, event, tx):
        kpi_facts.apply(tx, event)

    @rpc
    def kpis(self, group_by, period_from=None, period_to=None, as_of=None, **options):
        """KPIs per agency, region or category; times are ISO 8601 strings."""
        times = [_when(t) for t in (period_from, period_to, as_of)]
        with self.db.connect() as conn:
            return kpi_facts.kpi_table(conn, group_by, *times, **options)

    @rpc
    def region_kpis(self, region_code, period_from=None, period_to=None, as_of=None):
        times = [_when(t) for t in (period_from, period_to, as_of)]
        with self.db.connect() as conn:
            return kpi_facts.region_report(conn, region_code, *times)


def _when(value):
    return None if value is None else datetime.fromisoformat(value)
