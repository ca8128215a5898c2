"""IntakeService: every channel's submissions become one `report.submitted`."""

from __future__ import annotations

import os

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc

from lapor.nameko.http import LaporService
from services.intake import handlers
from services.intake.adapters import store
from services.intake.domain import pin_matches


def _pin_secret() -> bytes:
    """The key PINs of confidential reports are derived with. There is no
    default: a known key would let anyone compute any report's PIN."""
    secret = os.environ.get("LAPOR_PIN_SECRET", "")
    if len(secret) < 16:
        raise RuntimeError("LAPOR_PIN_SECRET must be set to at least 16 random characters")
    return secret.encode()


class PinSecret(DependencyProvider):
    """Read when the service starts: without a key intake does not start."""

    def setup(self) -> None:
        self.secret = _pin_secret()

    def get_dependency(self, worker_ctx) -> bytes:
        return self.secret


class IntakeService(LaporService):
    name = "intake"
    pin_secret = PinSecret()

    @rpc
    def submit_report(self, payload, channel="web", idempotency_key=None):
        """Returns {"tracking_id", "duplicate", "pin"?} or {"errors": {field: [messages]}}."""
        try:
            accepted = handlers.submit_report(
                self.db, payload, channel, idempotency_key, self.pin_secret
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
        return pin_matches(self.pin_secret, tracking_id, str(pin or ""))
