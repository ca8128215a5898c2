"""RoutingService: assigns every submitted report to the agency with authority
to act, carries its case through the tiers and escalates it when late."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

from nameko.dependency_providers import Config
from nameko.rpc import rpc
from nameko.timer import timer
from prometheus_client import Counter

from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.routing import handlers, manifest
from services.routing.adapters import cases
from services.routing.adapters.agencies import AgencyDirectory, load_rules
from services.routing.adapters.standards import StandardCatalogue
from services.routing.webhooks_service import WebhookEntrypoints

log = logging.getLogger(__name__)
SLA_BREACHES = Counter(
    "lapor_routing_sla_breaches_total",
    "Cases escalated because a stage's deadline passed, by the stage breached.",
    ["stage"],
)
SLA_WARNINGS = Counter(
    "lapor_routing_sla_warnings_total",
    "Owners warned that a stage's deadline is near, by stage.",
    ["stage"],
)


def record_outcome(outcome: handlers.Outcome) -> None:
    for _, stage in outcome.escalated:
        SLA_BREACHES.labels(stage=stage).inc()
    for _, stage in outcome.warned:
        SLA_WARNINGS.labels(stage=stage).inc()


class RoutingService(WebhookEntrypoints, LaporService):
    name = "routing"
    rules = load_rules()
    config = Config()

    def _settings(self) -> handlers.Settings:
        return handlers.Settings.from_config(self.config)

    @handle_events(manifest.AGENCIES)
    def record_agency(self, event, tx):
        handlers.record_agency(event, AgencyDirectory(tx))

    @handle_events(manifest.STANDARDS)
    def record_standard(self, event, tx):
        handlers.record_standard(event, StandardCatalogue(tx))

    @handle_events(manifest.ASSIGN)
    def assign_report(self, event, tx):
        handlers.assign_report(event, cases.ports(tx), self.rules, self._settings())

    @handle_events(manifest.CASES)
    def follow_case(self, event, tx):
        handlers.on_case_event(event, cases.ports(tx))

    @rpc
    def act(self, tracking_id, action, params, actor):
        with cases.begin(self.db) as ports:
            return handlers.act(ports, tracking_id, action, params, actor, datetime.now(UTC))

    @rpc
    def allowed_actions(self, tracking_id, actor):
        """The actions `actor` may take on the case now: what an officer's page offers."""
        with cases.begin(self.db) as ports:
            return handlers.allowed_actions(ports, tracking_id, actor, datetime.now(UTC))

    @rpc
    def case(self, tracking_id):
        with cases.begin(self.db) as ports:
            return handlers.case_view(ports, tracking_id)

    @rpc
    def visible_agencies(self, agency_code):
        with self.db.connect() as tx:
            return handlers.visible_agencies(AgencyDirectory(tx), agency_code)

    @timer(interval=float(os.environ.get("ROUTING_SLA_CHECK_SECONDS", "60")))
    def check_deadlines(self):
        outcome = handlers.check_deadlines(
            lambda: cases.begin(self.db), datetime.now(UTC), self._settings()
        )
        record_outcome(outcome)
        if outcome.escalated or outcome.warned or outcome.closed:
            log.info(
                "deadlines checked: %d escalated, %d warned, %d closed",
                len(outcome.escalated), len(outcome.warned), len(outcome.closed),
            )  # fmt: skip
