"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription

SCHEMA = "tracking"
MIGRATIONS = Path(__file__).parent / "migrations"
PROJECTION = Subscription(
    "tracking", "reports", ("report.submitted", "report.routed", "report.message_added")
)
SUBSCRIPTIONS = [PROJECTION]
