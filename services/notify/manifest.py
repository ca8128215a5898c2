"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription

SCHEMA = "notify"
MIGRATIONS = Path(__file__).parent / "migrations"
# The queue's name stays `reporter` (queues are never re-declared with other
# arguments); it carries every event the rules table (domain.RULES) reacts to
# that has a contract today. Add the routing issue's events here as they come.
REPORTER = Subscription("notify", "reporter", ("report.submitted", "report.routed"))
OPT_OUTS = Subscription("notify", "optouts", ("contact.opted_out",))
SUBSCRIPTIONS = [REPORTER, OPT_OUTS]
