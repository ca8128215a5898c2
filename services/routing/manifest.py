"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription

SCHEMA = "routing"
MIGRATIONS = Path(__file__).parent / "migrations"
AGENCIES = Subscription("routing", "agencies", ("agency.registered",))
ASSIGN = Subscription("routing", "assign", ("report.submitted",))
SUBSCRIPTIONS = [AGENCIES, ASSIGN]
