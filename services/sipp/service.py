"""SippService: the catalogue of agencies (service standards come with the SIPP issue)."""

from __future__ import annotations

from nameko.rpc import rpc

from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.sipp import handlers, manifest
from services.sipp.adapters import read_model


class SippService(LaporService):
    name = "sipp"

    @handle_events(manifest.CATALOGUE)
    def project_agency(self, event, tx):
        handlers.project_agency(event, tx)

    @rpc
    def list_agencies(self, region_code=None, kind=None, limit=100, offset=0):
        with self.db.connect() as conn:
            return read_model.find_agencies(
                conn, region_code, kind, min(int(limit), 1000), int(offset)
            )

    @rpc
    def get_agency(self, code):
        with self.db.connect() as conn:
            return read_model.get_agency(conn, code)
