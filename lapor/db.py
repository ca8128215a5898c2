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
