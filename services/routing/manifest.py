"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription
from lapor.contracts.case import CASE_EVENTS

SCHEMA = "routing"
MIGRATIONS = Path(__file__).parent / "migrations"
AGENCIES = Subscription("routing", "agencies", ("agency.registered",))
ASSIGN = Subscription("routing", "assign", ("report.submitted",))
# the SIPP catalogue's service standards, for reports that name a service
STANDARDS = Subscription(
    "routing", "standards", ("standard.published", "standard.revised", "standard.withdrawn")
)
# the cases the SLA timer watches (routing.cases), and the reporter's answers
CASES = Subscription("routing", "cases", (*CASE_EVENTS, "report.message_added"))
# report events that concern an agency -> its webhook (report.submitted never names one)
WEBHOOKS = Subscription("routing", "webhooks", ("report.message_added", *CASE_EVENTS))
SUBSCRIPTIONS = [AGENCIES, ASSIGN, CASES, WEBHOOKS, STANDARDS]
COMMANDS = {
    "sla-check": "services.routing.commands:sla_check",
    "holidays": "services.routing.commands:holidays_command",
    "agency-amqp-user": "services.routing.subscriptions:agency_amqp_user_command",
    "webhook-replay": "services.routing.subscriptions:webhook_replay_command",
}
