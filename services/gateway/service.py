"""GatewayService: the one public HTTP surface. Each area's routes live in a
module of their own (a mixin class); this class only puts them together."""

from __future__ import annotations

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.nameko.http import LaporService
from services.gateway.agency_api import AgencyApi
from services.gateway.catalogue_api import CatalogueApi
from services.gateway.channels_api import ChannelsApi
from services.gateway.kpi_api import KpiApi
from services.gateway.notify_api import NotifyApi
from services.gateway.open311_api import Open311Api
from services.gateway.reports_api import ReportsApi
from services.gateway.sipp_api import SippApi
from services.gateway.tracking_api import TrackingApi
from services.gateway.web.pages import WebPages


class GatewayService(
    ReportsApi,
    TrackingApi,
    AgencyApi,
    KpiApi,
    CatalogueApi,
    ChannelsApi,
    Open311Api,
    SippApi,
    NotifyApi,
    WebPages,
    LaporService,
):
    name = "gateway"

    @http("GET", "/api/v1/ping")
    def ping(self, request: Request):
        """A no-op round trip, for the benchmark's baseline."""
        return Response("pong", mimetype="text/plain")
