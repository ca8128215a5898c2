"""What the webhook tests share: reports in the real log, and a real HTTP
receiver that verifies Standard Webhooks signatures like an agency would."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from lapor import eventstore
from lapor.eventstore import ANY_VERSION, NO_STREAM, NewEvent
from services.routing.adapters.agencies import AgencyDirectory

SYSTEM = {"role": "system", "agency_code": None, "account": None}


def unique_code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def add_agency(engine, code: str) -> None:
    with engine.begin() as tx:
        AgencyDirectory(tx).add(code, f"Dinas {code}", "unit", "32.73")


def case(tracking_id: str, agency: str, status: str = "unverified", **extra) -> dict:
    return {
        "tracking_id": tracking_id,
        "agency_code": agency,
        "status": status,
        "owner": agency,
        "owner_name": f"Dinas {agency}",
        "stage": "verification",
        "due_at": "2026-03-05T16:59:59+00:00",
        "actor": SYSTEM,
        **extra,
    }


def submit_and_route(engine, agency: str) -> str:
    """A report submitted and routed to `agency`; its stream."""
    tracking_id = "LAP-" + uuid.uuid4().hex[:10].upper()
    submitted = {
        "tracking_id": tracking_id, "title": "Lampu jalan mati",
        "description": "Sudah seminggu gelap.", "category": "infrastruktur",
        "region_code": "32.73", "report_type": "pengaduan", "incident_date": None,
        "channel": "web", "reporter_ref": "ref-1", "anonymous": False, "confidential": False,
    }  # fmt: skip
    routed = case(tracking_id, agency, agency_name=f"Dinas {agency}", reason="rule", confidence=1)
    stream = f"report-{tracking_id}"
    with engine.begin() as tx:
        eventstore.append(tx, stream, NO_STREAM, [NewEvent("report.submitted", submitted)])
        eventstore.append(tx, stream, 1, [NewEvent("report.routed", routed)])
    return stream


def add_message(engine, stream: str, text: str) -> None:
    data = {
        "tracking_id": stream.removeprefix("report-"),
        "kind": "information",
        "message": text,
        "channel": "web",
        "attachments": [],
    }
    with engine.begin() as tx:
        eventstore.append(tx, stream, ANY_VERSION, [NewEvent("report.message_added", data)])


def add_case_event(engine, stream: str, event_type: str, agency: str, **extra) -> None:
    data = case(stream.removeprefix("report-"), agency, **extra)
    with engine.begin() as tx:
        eventstore.append(tx, stream, ANY_VERSION, [NewEvent(event_type, data)])


@dataclass
class Received:
    headers: dict[str, str]
    body: str
    event: dict


@dataclass
class Receiver:
    """An agency's endpoint on 127.0.0.1: accepts only correctly signed
    requests (401 otherwise); `stop()` makes it refuse connections."""

    secrets: list[str]
    port: int = 0
    received: list[Received] = field(default_factory=list)
    rejected: int = 0
    _server: HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/lapor/events"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["content-length"])).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                for secret in receiver.secrets:
                    try:
                        event = Webhook(secret).verify(body, headers)
                    except WebhookVerificationError:
                        continue
                    receiver.received.append(Received(headers, body, event))
                    self.send_response(204)
                    self.end_headers()
                    return
                receiver.rejected += 1
                self.send_response(401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = HTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def event_ids(self) -> list[str]:
        return [r.event["id"] for r in self.received]

    def per_stream(self) -> dict[str, list[int]]:
        streams: dict[str, list[int]] = {}
        for r in self.received:
            streams.setdefault(r.event["stream"], []).append(r.event["streamversion"])
        return streams


def events_of(engine, stream: str) -> list:
    return eventstore.EventStore(engine).read_stream(stream)
