"""NotifyService: tells reporters and officers what happened, by SMS and email."""

from __future__ import annotations

import os

import eventlet
from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from lapor.nameko.database import engine_for
from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.notify import domain, handlers, manifest
from services.notify.adapters.email import SmtpSender
from services.notify.adapters.kannel import KannelSender


def _key() -> bytes:
    """Signs DLR and unsubscribe links and keys opt-out digests. No default:
    a known key would let anyone forge delivery reports or unsubscribe others."""
    secret = os.environ.get("LAPOR_NOTIFY_SECRET", "")
    if len(secret) < 16:
        raise RuntimeError("LAPOR_NOTIFY_SECRET must be set to at least 16 random characters")
    return secret.encode()


class Settings(DependencyProvider):
    """Senders, limits and keys, built once per process from the config."""

    def setup(self) -> None:
        c = self.container.config
        timeout = float(c.get("SEND_TIMEOUT_SECONDS", 10))
        sms = None
        if c.get("KANNEL_SENDSMS_URL"):
            sms = KannelSender(
                c["KANNEL_SENDSMS_URL"],
                c.get("KANNEL_USERNAME") or "",
                c.get("KANNEL_PASSWORD") or "",
                str(c.get("SMS_SENDER", "1708")),
                timeout,
            )
        self.template = dict(
            engine=engine_for(c),
            email=SmtpSender(
                c.get("SMTP_HOST", "127.0.0.1"),
                int(c.get("SMTP_PORT", 1025)),
                c.get("MAIL_FROM", "Lapor <noreply@lapor.local>"),
                timeout,
            ),
            sms=sms,
            key=_key(),
            public_url=str(c.get("PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/"),
            reply_to=c.get("REPLY_TO", "laporan+{tracking_id}@lapor.local"),
            policy=domain.Policy(
                max_attempts=int(c.get("SEND_MAX_ATTEMPTS", 5)),
                base_delay=float(c.get("SEND_RETRY_BASE_SECONDS", 2.0)),
                max_delay=float(c.get("SEND_RETRY_MAX_SECONDS", 300.0)),
            ),
            throttles={
                "sms": handlers.Throttle(float(c.get("SMS_PER_SECOND", 20))),
                "email": handlers.Throttle(float(c.get("EMAIL_PER_SECOND", 50))),
            },
            # longer than any attempt can take, so a live sender's row is never taken
            lease_seconds=2 * timeout + 5,
        )
        self.concurrency = int(c.get("SEND_CONCURRENCY", 8))

    def get_dependency(self, worker_ctx):
        return self


class NotifyService(LaporService):
    name = "notify"
    intake = RpcProxy("intake")
    config = Config()
    settings = Settings()

    def _deps(self) -> handlers.Deps:
        return handlers.Deps(contact_of=self.intake.reporter_contact, **self.settings.template)

    @handle_events(manifest.REPORTER)
    def record_notices(self, event, tx):
        handlers.record_notices(event, tx)

    @handle_events(manifest.OPT_OUTS)
    def project_opt_out(self, event, tx):
        handlers.project_opt_out(event, tx)

    @timer(interval=0.2)
    def send_due(self):
        def run_concurrently(worker):
            pool = eventlet.GreenPool(self.settings.concurrency)
            threads = [pool.spawn(worker) for _ in range(self.settings.concurrency)]
            return sum(t.wait() for t in threads)

        handlers.send_due(self._deps(), run_concurrently)

    @rpc
    def delivery_report(self, reference, signature, dlr_type):
        """Kannel's dlr-url call, passed on by the gateway. True when recorded."""
        return handlers.delivery_report(self.db, self.settings.template["key"], reference,
                                        signature, dlr_type)  # fmt: skip

    @rpc
    def unsubscribe(self, reference, signature):
        """The unsubscribe link of an email, passed on by the gateway."""
        return handlers.unsubscribe(self._deps(), reference, signature)

    @rpc
    def opt_out(self, channel, address, via):
        """For intake: an SMS `STOP`/`BERHENTI` to 1708 (channel "sms", the
        sender's number, via "sms_keyword"). Returns {"opted_out": True}."""
        if channel not in ("sms", "email") or not address:
            return {"opted_out": False}
        handlers.opt_out(self.db, self.settings.template["key"], channel, address, via)
        return {"opted_out": True}
