"""The catalogue of agencies (SIPP) over REST."""

from __future__ import annotations

from nameko.web.handlers import http
from werkzeug.wrappers import Request

from lapor.nameko.http import json_response
from services.gateway.common import error, observed, service_proxy


class CatalogueApi:
    sipp = service_proxy("sipp")

    @http("GET", "/api/v1/agencies")
    @observed("/api/v1/agencies")
    def list_agencies(self, request: Request):
        try:
            limit = int(request.args.get("limit", 100))
            offset = int(request.args.get("offset", 0))
        except ValueError:
            return error(400, "limit", "limit and offset must be whole numbers.")
        if not 0 <= limit <= 1000 or offset < 0:
            return error(400, "limit", "limit must be 0 to 1000 and offset 0 or more.")
        agencies = self.sipp.list_agencies(
            request.args.get("region_code"), request.args.get("kind"), limit, offset
        )
        return json_response({"agencies": agencies, "limit": limit, "offset": offset})
