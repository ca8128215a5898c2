"""A whole running system for end-to-end tests: every service as a real process,
on a database, vhost, ports and mail catcher of this test run."""

from __future__ import annotations

import json
import mailbox
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
import sqlalchemy as sa

from deploy.local.stack import SERVICES, Stack
from lapor.db import create_engine
from lapor.testing import isolation, kannel
from tests.e2e.web_support import browser, page  # noqa: F401 - the browser tests' fixtures, once

ROOT = Path(__file__).resolve().parents[2]
MAX_REPLICAS = 3  # ports are kept free for this many replicas of each service


def free_port_offset() -> int:
    """A port offset at which every service (and its replicas) finds its port
    free, so that several test runs on one machine do not meet."""
    for _ in range(50):
        offset = random.randrange(10, 50) * 1000
        stack = Stack(ROOT, port_offset=offset)
        ports = [stack.port(name, replica) for name in SERVICES
                 for replica in range(1, MAX_REPLICAS + 1)]  # fmt: skip
        if all(_port_free(port) for port in ports):
            return offset
    raise RuntimeError("no free range of ports for a test stack")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    """A small HTTP client for the gateway."""

    def __init__(self, base: str):
        self.base = base
        self.pins: dict[str, str] = {}  # tracking id -> the PIN of submit's answer

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def submit(self, body: dict, headers=None) -> tuple[int, dict]:
        status, answer = self.call("POST", "/api/v1/reports", body, headers)
        if status in (200, 201) and answer.get("pin"):
            self.pins[answer["tracking_id"]] = answer["pin"]
        return status, answer

    def add_message(self, tracking_id: str, body: dict, headers=None) -> tuple[int, dict]:
        """A follow-up as the reporter: with the PIN submit's answer gave."""
        pin = {"X-Report-Pin": self.pins[tracking_id]} if tracking_id in self.pins else {}
        path = f"/api/v1/reports/{tracking_id}/messages"
        return self.call("POST", path, body, {**pin, **(headers or {})})

    def report(self, tracking_id: str, pin: str | None = None) -> tuple[int, dict]:
        query = f"?pin={pin}" if pin else ""
        return self.call("GET", f"/api/v1/reports/{tracking_id}{query}")

    def wait_routed(self, tracking_id: str, timeout: float = 30.0, pin: str | None = None) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.report(tracking_id, pin)
            if status == 200 and body["status"] not in ("submitted", None):
                return body
            time.sleep(0.05)
        raise AssertionError(f"{tracking_id} not routed within {timeout} s")


def report_body(**overrides) -> dict:
    body = {
        "title": "KTP-el belum jadi",
        "description": "Sudah tiga bulan KTP-el saya belum dicetak di kantor Disdukcapil.",
        "category": "kependudukan",
        "region_code": "32.73",
        "report_type": "pengaduan",
        "reporter": {"name": "Siti Rahma", "email": f"siti.{uuid.uuid4().hex[:8]}@example.id"},
    }
    body.update(overrides)
    return body


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def run_command(system, *command: str) -> str:
    """What `command` prints, run as an operator runs it: from the repository,
    with the stack's settings. A command that fails fails the test, saying why."""
    done = subprocess.run(
        command, cwd=ROOT, env=dict(os.environ, **system.env), capture_output=True, text=True
    )
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}: {done.stderr}"
    return done.stdout


def run_module(system, module: str, *args: str) -> str:
    """What `python -m module args` prints (see `run_command`)."""
    return run_command(system, sys.executable, "-m", module, *args)


def new_token(system, agency: str, role: str | None = None, name: str = "Uji E2E") -> str:
    """The API token of a new account of `agency`, made with the admins command."""
    args = ["create", "--agency", agency, "--name", name] + (["--role", role] if role else [])
    out = run_module(system, "services.sipp.admins", *args)
    return re.search(r"token \(shown once, keep it secret\): (\S+)", out).group(1)


_PARSED: dict[tuple[Path, str], EmailMessage] = {}


def mails_to(stack, address: str) -> list[EmailMessage]:
    """The mails the stack's SMTP catcher holds for `address`, in no order.
    Each file of the Maildir is parsed once (its name never changes): the
    suite's waits poll this while the box grows to thousands of mails."""
    maildir = stack.run_dir / "mail"
    box = mailbox.Maildir(maildir, create=False)
    for key in box.iterkeys():
        if (maildir, key) not in _PARSED:
            _PARSED[maildir, key] = message_from_bytes(box.get_bytes(key), policy=policy.default)
    return [
        m for (where, _), m in _PARSED.items() if where == maildir and address in str(m["To"] or "")
    ]


@pytest.fixture(scope="session")
def system():
    """Start the stack once for all end-to-end tests; stop and clean up after."""
    db_name = isolation.unique_name("lapor_e2e")
    vhost = isolation.unique_name("lapor-e2e")
    url = isolation.create_database(db_name)
    amqp = isolation.create_vhost(vhost)
    smtp_port = free_port()
    run_dir = ROOT / "test-output" / f"stack-{db_name}"
    stack = Stack(
        run_dir,
        env={
            "DATABASE_URL": url,
            "AMQP_URI": amqp,
            "SMTP_PORT": str(smtp_port),
            "SIPP_SEED_PROVINCES": "32",
            "EVENT_GRACE_SECONDS": "1.0",
            "LOG_LEVEL": "INFO",
            "LAPOR_PIN_SECRET": secrets.token_hex(16),
            # the whole suite submits from 127.0.0.1; test_channel_limits tightens these
            "GATEWAY_IP_PER_MINUTE": "100000",
            "GATEWAY_IP_BURST": "10000",
            "LAPOR_NOTIFY_SECRET": secrets.token_hex(16),
            "LAPOR_WEB_SECRET": secrets.token_hex(16),
            "SEND_TIMEOUT_SECONDS": "3",
        },
        port_offset=free_port_offset(),
    )
    stack.env["PUBLIC_URL"] = stack.url()  # links in messages and Kannel's dlr-url
    # the real Kannel (bearerbox, smsbox, fakesmsc) when installed: notify sends SMS through it
    stack.kannel = kannel.Kannel(run_dir / "kannel") if kannel.installed() else None
    engine = create_engine(url, pool_size=2)
    try:
        if stack.kannel:
            stack.env.update(stack.kannel.start().client_env())
        stack.prepare()
        stack.start_mail_catcher(smtp_port)
        stack.up()
        agencies = _scalar(
            engine, "SELECT count(*) FROM lapor.streams WHERE stream LIKE 'agency-%'"
        )
        wait_until(
            lambda: _scalar(engine, "SELECT count(*) FROM routing.agencies") == agencies,
            120,
            "routing to know every agency",
        )
        stack.engine = engine
        stack.api = Api(stack.url())
        yield stack
    finally:
        stack.stop_all()
        if stack.kannel:
            stack.kannel.stop()
        engine.dispose()
        isolation.drop_database(db_name)
        isolation.delete_vhost(vhost)


def _scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def standard_projected(system, standard_id: str, version: int, status: str = "published") -> None:
    """Wait until SIPP's read model holds the standard at `version` with `status`."""
    wait_until(
        lambda: _scalar(
            system.engine,
            "SELECT 1 FROM sipp.standards WHERE standard_id = :s AND version = :v AND status = :st",
            s=standard_id,
            v=version,
            st=status,
        ),
        30,
        f"{standard_id} v{version} {status} in the read model",
    )
