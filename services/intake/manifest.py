"""What the kernel needs to know of this service: its schema and migrations."""

from pathlib import Path

SCHEMA = "intake"
MIGRATIONS = Path(__file__).parent / "migrations"
SUBSCRIPTIONS: list = []
# commands added to the `lapor` CLI: name -> "module:function(argv) -> exit code"
COMMANDS = {"open311-key": "services.intake.commands:open311_key"}
