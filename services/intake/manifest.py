"""What the kernel needs to know of this service: its schema and migrations."""

from pathlib import Path

SCHEMA = "intake"
MIGRATIONS = Path(__file__).parent / "migrations"
SUBSCRIPTIONS: list = []
