"""The relay as a nameko service, so it has health and metrics like the rest.

nameko run --config lapor/nameko/relay.yaml lapor.nameko.relay_service
"""

from __future__ import annotations

import logging

from nameko.extensions import DependencyProvider

from lapor import config as lapor_config
from lapor.nameko.database import engine_for
from lapor.nameko.http import LaporService
from lapor.relay import Relay

log = logging.getLogger(__name__)


class RelayRunner(DependencyProvider):
    def setup(self) -> None:
        config = self.container.config
        self.relay = Relay(
            engine_for(config),
            config.get("AMQP_URI", lapor_config.amqp_uri()),
            batch=int(config.get("RELAY_BATCH", 500)),
        )
        self._running = False

    def start(self) -> None:
        self._running = True
        self.container.spawn_managed_thread(self._run, identifier="relay")

    def _run(self) -> None:
        self.relay.run(lambda: not self._running)

    def stop(self) -> None:
        self._running = False

    kill = stop


class RelayService(LaporService):
    name = "relay"
    runner = RelayRunner()
