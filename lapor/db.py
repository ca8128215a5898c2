"""Database engines.

Every engine connects with psycopg2 and a UTC session time zone. There is no
pre-ping (a round trip per transaction): after a database restart the first
use of a dead connection fails, SQLAlchemy discards the pool, and the caller's
retry (redelivery, catch-up, the relay's loop) gets a fresh connection. Under eventlet,
`make_green()` must run first so that a query waiting on PostgreSQL yields to
other green threads instead of blocking the hub (see NOTES: psycopg2 blocks).
"""

from __future__ import annotations

import sqlalchemy as sa

from lapor import config


def make_green() -> None:
    """Let psycopg2 cooperate with eventlet's hub. Idempotent."""
    from psycogreen.eventlet import patch_psycopg

    patch_psycopg()


def create_engine(url: str | None = None, pool_size: int = 10, **kwargs) -> sa.Engine:
    """An engine on `url` (default: DATABASE_URL) with sessions in UTC.

    >>> engine = create_engine("postgresql+psycopg2://postgres@127.0.0.1/test")
    """
    return sa.create_engine(
        url or config.database_url(),
        pool_size=pool_size,
        max_overflow=pool_size // 2,
        connect_args={"options": "-c timezone=UTC"},
        **kwargs,
    )


class PreparedStatement:
    """A statement PostgreSQL plans once per connection (`PREPARE`), for hot
    paths whose planning costs more than their execution. A prepared
    statement belongs to the session and survives a rolled-back transaction.

    >>> ADD = PreparedStatement("lapor_add", "int, int", "SELECT $1 + $2")
    >>> ADD.execute(conn, 1, 2).scalar()
    3
    """

    def __init__(self, name: str, parameter_types: str, sql: str):
        self.name = name
        self.prepare = f"PREPARE {name} ({parameter_types}) AS {sql}"
        arity = len(parameter_types.split(","))
        self.run = f"EXECUTE {name} ({', '.join(['%s'] * arity)})"

    def execute(self, conn: sa.Connection, *parameters) -> sa.CursorResult:
        prepared = conn.connection.info.setdefault("lapor_prepared", set())
        if self.name not in prepared:
            conn.exec_driver_sql(self.prepare)
            prepared.add(self.name)
        return conn.exec_driver_sql(self.run, parameters)
