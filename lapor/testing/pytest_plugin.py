"""pytest fixtures shared by every test package (loaded from the root conftest).

- `pg_url`: a fresh, migrated database for the session; dropped at the end.
- `engine`: an engine on it.
- `amqp_uri`: a RabbitMQ vhost of its own for the session; deleted at the end.
Tests sharing the session database use unique stream and consumer names.
"""

from __future__ import annotations

import os

import pytest

from lapor.db import create_engine
from lapor.testing import isolation


@pytest.fixture(scope="session")
def pg_url():
    name = isolation.unique_name("lapor_test")
    url = isolation.create_database(name)
    yield url
    if not os.environ.get("LAPOR_KEEP_TEST_DB"):
        isolation.drop_database(name)


@pytest.fixture(scope="session")
def engine(pg_url):
    engine = create_engine(pg_url, pool_size=20)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def amqp_uri():
    name = isolation.unique_name("lapor-test")
    uri = isolation.create_vhost(name)
    yield uri
    isolation.delete_vhost(name)
