"""All web pages of the gateway, put together: each area is a mixin of its own
module; GatewayService lists WebPages among its bases."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from nameko.extensions import DependencyProvider
from nameko.web.handlers import http
from werkzeug.security import safe_join
from werkzeug.wrappers import Request, Response

from services.gateway.web.attachments import AttachmentPages
from services.gateway.web.citizen import CitizenPages
from services.gateway.web.csrf import web_secret
from services.gateway.web.officer import OfficerPages
from services.gateway.web.sipp import SippPages
from services.gateway.web.stats import StatsPages

STATIC = Path(__file__).resolve().parent / "static"


class WebSecret(DependencyProvider):
    """Checked when the gateway starts: without LAPOR_WEB_SECRET it does not."""

    def setup(self) -> None:
        self.secret = web_secret()

    def get_dependency(self, worker_ctx) -> bytes:
        return self.secret


class StaticFiles:
    web_secret = WebSecret()

    @http("GET", "/static/<path:name>")
    def static_file(self, request: Request, name: str):
        """Files of web/static only (the style sheet, the small script)."""
        found = safe_join(str(STATIC), name)
        if found is None or not Path(found).is_file():
            return Response("Not found", status=404, mimetype="text/plain")
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return Response(
            Path(found).read_bytes(),
            mimetype=kind,
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )


class WebPages(CitizenPages, AttachmentPages, OfficerPages, StatsPages, SippPages, StaticFiles):
    pass
