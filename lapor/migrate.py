"""Alembic migrations: the kernel's schema `lapor` first, then each service's
own schema, each with its own version table.

>>> upgrade_all("postgresql+psycopg2://postgres@127.0.0.1/lapor")
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config

from lapor import config
from lapor.db import create_engine

KERNEL_MIGRATIONS = Path(__file__).parent / "migrations"


def service_manifests() -> dict:
    """Each installed service's manifest module (entry point group `lapor.services`)."""
    return {ep.name: ep.load() for ep in entry_points(group="lapor.services")}


def components() -> list[tuple[str, str, Path]]:
    found = [("kernel", "lapor", KERNEL_MIGRATIONS)]
    for name, manifest in sorted(service_manifests().items()):
        if getattr(manifest, "MIGRATIONS", None):
            found.append((name, manifest.SCHEMA, Path(manifest.MIGRATIONS)))
    return found


def upgrade_all(url: str | None = None) -> None:
    url = url or config.database_url()
    engine = create_engine(url, pool_size=1)
    try:
        for _name, schema, location in components():
            with engine.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                cfg = Config()
                cfg.set_main_option("script_location", str(location))
                cfg.attributes["connection"] = conn
                cfg.attributes["schema"] = schema
                command.upgrade(cfg, "head")
    finally:
        engine.dispose()


def run_env() -> None:
    """Body of every component's alembic env.py."""
    cfg = context.config
    context.configure(
        connection=cfg.attributes["connection"],
        version_table_schema=cfg.attributes["schema"],
        version_table="alembic_version",
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
