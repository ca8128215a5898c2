"""The gateway keeps no state: no schema, no subscriptions."""

SCHEMA = None
MIGRATIONS = None
SUBSCRIPTIONS: list = []
