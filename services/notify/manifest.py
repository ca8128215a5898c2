"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription

SCHEMA = "notify"
MIGRATIONS = Path(__file__).parent / "migrations"
REPORTER = Subscription("notify", "reporter", ("report.submitted",))
SUBSCRIPTIONS = [REPORTER]
