"""What the kernel needs to know of this service: its schema, migrations,
subscriptions and commands."""

from pathlib import Path

from lapor.consumer import Subscription
from lapor.contracts.case import CASE_EVENTS

SCHEMA = "tracking"
MIGRATIONS = Path(__file__).parent / "migrations"
PROJECTION = Subscription(
    "tracking",
    "reports",
    ("report.submitted", "report.message_added", *CASE_EVENTS, "agency.registered"),
)
# the facts the KPIs are computed from (services/tracking/adapters/kpi_facts.py)
KPIS = Subscription("tracking", "kpis", (*CASE_EVENTS, "agency.registered", "agency.profile_set"))
SUBSCRIPTIONS = [PROJECTION, KPIS]
COMMANDS = {
    "verify-report": "services.tracking.commands:verify_report",
    "rebuild": "services.tracking.rebuild:rebuild_command",
    "compare-projections": "services.tracking.rebuild:compare_command",
}
