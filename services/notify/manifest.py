"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription
from services.notify.domain import EVENT_TYPES

SCHEMA = "notify"
MIGRATIONS = Path(__file__).parent / "migrations"
# The queue's name stays `reporter` (queues are never re-declared with other
# arguments); it carries every event type the rules table reacts to
# (`domain.RULES`), for reporters and officers alike, and the privacy changes
# that decide what an SMS may say. `lapor declare` adds the binding of a type
# added here.
REPORTER = Subscription("notify", "reporter", (*EVENT_TYPES, "report.privacy_changed"))
OPT_OUTS = Subscription("notify", "optouts", ("contact.opted_out",))
SUBSCRIPTIONS = [REPORTER, OPT_OUTS]
