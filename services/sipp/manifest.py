"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription

SCHEMA = "sipp"
MIGRATIONS = Path(__file__).parent / "migrations"
CATALOGUE = Subscription("sipp", "catalogue", ("agency.registered",))
SUBSCRIPTIONS = [CATALOGUE]
