"""One SQLAlchemy engine per service process, sized for its worker pool."""

from __future__ import annotations

import sqlalchemy as sa
from nameko.extensions import DependencyProvider

from lapor import config as lapor_config
from lapor.db import create_engine

_engines: dict[str, sa.Engine] = {}


def engine_for(container_config: dict) -> sa.Engine:
    url = container_config.get("DATABASE_URL") or lapor_config.database_url()
    if url not in _engines:
        # workers wait (green) for a free connection; a small pool keeps a whole
        # stack well inside PostgreSQL's max_connections
        _engines[url] = create_engine(url, pool_size=int(container_config.get("DB_POOL_SIZE", 5)))
    return _engines[url]


class Database(DependencyProvider):
    """Injects the service's `sqlalchemy.Engine`."""

    def setup(self) -> None:
        self.engine = engine_for(self.container.config)

    def get_dependency(self, worker_ctx) -> sa.Engine:
        return self.engine
