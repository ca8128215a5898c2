"""Health and metrics on every service's own port (`WEB_SERVER_ADDRESS`).

`/health/live`: the process answers. `/health/ready`: its database and broker
are reachable. `/metrics`: Prometheus text format, whatever Accept says.
"""

from __future__ import annotations

import json

import kombu
import sqlalchemy as sa
from nameko.web.handlers import http
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

from lapor import config as lapor_config
from lapor.nameko.database import Database
from lapor.nameko.metrics import WorkerMetrics


def json_response(payload, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(payload, default=str),
        status=status,
        mimetype="application/json",
        headers=headers,
    )


class LaporService:
    """Base of every service class: health and metrics entrypoints."""

    db = Database()
    worker_metrics = WorkerMetrics()

    @http("GET", "/health/live")
    def health_live(self, request):
        return json_response({"status": "ok"})

    @http("GET", "/health/ready")
    def health_ready(self, request):
        checks = {"database": _check_database(self.db), "broker": _check_broker()}
        ready = all(v == "ok" for v in checks.values())
        return json_response(
            {"status": "ok" if ready else "unavailable", "checks": checks},
            status=200 if ready else 503,
        )

    @http("GET", "/metrics")
    def metrics(self, request):
        return Response(generate_latest(), status=200, content_type=CONTENT_TYPE_LATEST)


def _check_database(engine: sa.Engine) -> str:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"error: {type(exc).__name__}"


def _check_broker() -> str:
    try:
        with kombu.Connection(lapor_config.amqp_uri(), connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
