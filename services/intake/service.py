"""IntakeService: every channel's submissions become one `report.submitted`."""

from __future__ import annotations

import base64
import os

from nameko.extensions import DependencyProvider
from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from lapor.channels import Registry
from lapor.nameko.http import LaporService
from services.intake import attachments, handlers, privacy
from services.intake.adapters import mailbox, store
from services.intake.domain import pin_matches
from services.intake.normalise import (
    DEFAULT_MAX_COUNT,
    DEFAULT_MAX_TOTAL_BYTES,
    AttachmentLimits,
)


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


class Channels(DependencyProvider):
    """The installed channels (entry points `lapor.channels`), each given the
    service's configuration; a plugin installed later is found on first use."""

    def setup(self) -> None:
        self.registry = Registry(self.container.config)

    def get_dependency(self, worker_ctx) -> Registry:
        return self.registry


def _limits(config: dict) -> AttachmentLimits:
    return AttachmentLimits(
        max_total_bytes=int(config.get("ATTACHMENTS_MAX_BYTES") or DEFAULT_MAX_TOTAL_BYTES),
        max_count=int(config.get("ATTACHMENTS_MAX_COUNT") or DEFAULT_MAX_COUNT),
    )


class IntakeService(LaporService):
    name = "intake"
    pin_secret = PinSecret()
    channels = Channels()
    notify = RpcProxy("notify")  # an SMS STOP: notify records the opt-out

    def _context(self) -> handlers.Context:
        config = self.channels.config
        return handlers.Context(
            self.db,
            self.pin_secret,
            _limits(config),
            sender_per_hour=int(config.get("SENDER_MAX_PER_HOUR") or 30),
            opt_out=self.notify.opt_out,
        )

    @rpc
    def submit_report(self, payload, channel="web", idempotency_key=None):
        """Returns {"tracking_id", "duplicate", "pin"?} or {"errors": {field: [messages]}}."""
        try:
            accepted = handlers.submit_report(
                self.db, payload, channel, idempotency_key, self.pin_secret,
                _limits(self.channels.config),
            )  # fmt: skip
        except handlers.Rejected as rejected:
            return {"errors": rejected.errors}
        return accepted.as_dict()

    @rpc
    def receive(self, channel, inbound):
        """A raw inbound message (`lapor.channels.Inbound.to_wire()`) for the
        named channel; returns the reply (`Reply.to_wire()`)."""
        return handlers.receive(self._context(), self.channels, channel, inbound).to_wire()

    @timer(interval=float(os.environ.get("IMAP_POLL_SECONDS", "5")))
    def poll_mailbox(self):
        """The email channel: new mail in the IMAP mailbox (when IMAP_HOST is set)."""
        context = self._context()

        def handle(raw: bytes) -> int:
            wire = {"method": "IMAP", "path": "/imap", "body": base64.b64encode(raw).decode()}
            return handlers.receive(context, self.channels, "email", wire).status

        mailbox.poll(self.channels.config, handle)

    @rpc
    def reporter_contact(self, reporter_ref):
        """For notify only: the contact details behind a reporter reference."""
        with self.db.connect() as conn:
            return store.reporter_contact(conn, reporter_ref)

    @rpc
    def reporter_contact_for_agency(self, tracking_id):
        """For the agency API: the reporter's contact, None when the report is anonymous."""
        with self.db.connect() as conn:
            return privacy.reporter_contact_for_agency(conn, tracking_id)

    @rpc
    def keep_attachments(self, files_base64):
        """Files an agency sends with its answer, checked as a reporter's are
        (type by content, count, total size) and kept by their SHA-256:
        {"attachments": [refs]} or {"error": {"status": 400|413, "errors"}}."""
        return handlers.keep_attachments(self.db, files_base64, _limits(self.channels.config))

    @rpc
    def report_attachments(self, tracking_id):
        """The files a report's events name: [{"sha256", "size", "media_type",
        "from": "reporter"|"agency", "event", "time"}], or None for no such
        report. The caller decides who may see which (services/intake/attachments.py)."""
        with self.db.connect() as conn:
            return attachments.report_attachments(conn, tracking_id)

    @rpc
    def report_attachment(self, tracking_id, sha256):
        """One file of a report, as listed by `report_attachments` plus its
        "content" in base64; None when that report does not name the file."""
        with self.db.connect() as conn:
            return attachments.report_attachment(conn, tracking_id, sha256)

    @rpc
    def check_pin(self, tracking_id, pin):
        return pin_matches(self.pin_secret, tracking_id, str(pin or ""))
