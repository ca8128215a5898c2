"""NotifyService: tells reporters what happened to their report."""

from __future__ import annotations

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from nameko.timer import timer

from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.notify import handlers, manifest
from services.notify.adapters.email import SmtpSender


class NotifyService(LaporService):
    name = "notify"
    intake = RpcProxy("intake")
    config = Config()

    @handle_events(manifest.REPORTER)
    def record_notices(self, event, tx):
        handlers.record_notices(event, tx)

    @timer(interval=0.5)
    def send_pending(self):
        config = self.config
        email = SmtpSender(
            config.get("SMTP_HOST", "127.0.0.1"),
            int(config.get("SMTP_PORT", 1025)),
            config.get("MAIL_FROM", "Lapor <noreply@lapor.local>"),
        )
        handlers.send_pending(
            self.db,
            self.intake.reporter_contact,
            email,
            config.get("PUBLIC_URL", "http://127.0.0.1:8000") + "/api/v1/reports",
        )
