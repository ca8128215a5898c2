"""IntakeService: every channel's submissions become one `report.submitted`."""

from __future__ import annotations

import os

from nameko.rpc import rpc

from lapor.nameko.http import LaporService
from services.intake import handlers
from services.intake.adapters import store
from services.intake.domain import pin_matches

DEV_PIN_SECRET = "dev-only-pin-secret"


def _pin_secret() -> bytes:
    return os.environ.get("LAPOR_PIN_SECRET", DEV_PIN_SECRET).encode()


class IntakeService(LaporService):
    name = "intake"

    @rpc
    def submit_report(self, payload, channel="web", idempotency_key=None):
        """Returns {"tracking_id", "duplicate", "pin"?} or {"errors": {field: [messages]}}."""
        try:
            accepted = handlers.submit_report(
                self.db, payload, channel, idempotency_key, _pin_secret()
            )
        except handlers.Rejected as rejected:
            return {"errors": rejected.errors}
        return accepted.as_dict()

    @rpc
    def reporter_contact(self, reporter_ref):
        """For notify only: the contact details behind a reporter reference."""
        with self.db.connect() as conn:
            return store.reporter_contact(conn, reporter_ref)

    @rpc
    def check_pin(self, tracking_id, pin):
        return pin_matches(_pin_secret(), tracking_id, str(pin or ""))
