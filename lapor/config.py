"""Settings read from the environment, with defaults for a developer's machine."""

from __future__ import annotations

import os

DEFAULT_DATABASE_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/lapor"
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


def database_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)


def amqp_uri() -> str:
    return os.environ.get("AMQP_URI", DEFAULT_AMQP_URI)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))
