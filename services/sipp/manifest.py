"""What the kernel needs to know of this service: its schema, migrations, subscriptions."""

from pathlib import Path

from lapor.consumer import Subscription
from lapor.contracts.standard import STANDARD_EVENTS

SCHEMA = "sipp"
MIGRATIONS = Path(__file__).parent / "migrations"
CATALOGUE = Subscription("sipp", "catalogue", ("agency.registered", "agency.profile_set"))
STANDARDS = Subscription("sipp", "standards", STANDARD_EVENTS)
SUBSCRIPTIONS = [CATALOGUE, STANDARDS]
