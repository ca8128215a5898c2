"""RoutingService: assigns every submitted report to the agency with authority to act."""

from __future__ import annotations

from lapor.eventstore import TransactionLog
from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.routing import handlers, manifest
from services.routing.adapters.agencies import AgencyDirectory, load_rules


class RoutingService(LaporService):
    name = "routing"
    rules = load_rules()

    @handle_events(manifest.AGENCIES)
    def record_agency(self, event, tx):
        handlers.record_agency(event, AgencyDirectory(tx))

    @handle_events(manifest.ASSIGN)
    def assign_report(self, event, tx):
        handlers.assign_report(event, AgencyDirectory(tx), self.rules, TransactionLog(tx))
