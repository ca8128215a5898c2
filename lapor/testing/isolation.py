"""A database and a RabbitMQ vhost of its own for each test run."""

from __future__ import annotations

import os
import subprocess
import uuid
from urllib.parse import quote

import sqlalchemy as sa

from lapor.db import create_engine
from lapor.migrate import upgrade_all

PG_ADMIN_URL = os.environ.get(
    "PG_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
AMQP_HOST = os.environ.get("AMQP_HOST", "guest:guest@127.0.0.1:5672")


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def create_database(name: str) -> str:
    """Create database `name`, migrate it, and return its URL."""
    admin = create_engine(PG_ADMIN_URL, pool_size=1, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    upgrade_all(url)
    return url


def drop_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, pool_size=1, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def create_vhost(name: str) -> str:
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True, capture_output=True)
    subprocess.run(
        ["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
    )
    return f"amqp://{AMQP_HOST}/{quote(name, safe='')}"


def delete_vhost(name: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], capture_output=True)
