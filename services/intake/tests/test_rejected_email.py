"""A mail intake refuses cannot be answered at once: its sender is kept as a
contact and `inbound.rejected` is appended (one per Message-ID), on the real
database; the mailbox files it in the rejected folder of a real IMAP server."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from imapclient import IMAPClient

from lapor import eventstore
from lapor.channels import Registry
from lapor.contracts.inbound import inbound_stream, message_digest
from services.intake import handlers
from services.intake.adapters import mailbox, store

PIN_SECRET = b"k" * 32
NO_PLACE = "Lampu jalan di depan rumah saya mati sudah dua minggu, gelap sekali."


def mail(text: str, sender: str, message_id: str, subject="Lampu jalan mati", **headers) -> bytes:
    message = EmailMessage()
    message.set_content(text)  # before the headers: it replaces every Content-* header
    message["From"] = sender
    message["To"] = "lapor@lapor.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return bytes(message)


def receive(engine, raw: bytes, per_hour: int = 30):
    ctx = handlers.Context(engine, PIN_SECRET, sender_per_hour=per_hour)
    wire = {"method": "IMAP", "path": "/imap", "body": base64.b64encode(raw).decode()}
    return handlers.receive(ctx, Registry({}), "email", wire)


def refusals(engine, message_id: str) -> list:
    with engine.connect() as conn:
        return eventstore.read_stream(conn, inbound_stream(message_digest(message_id)))


def contacts_with(engine, address: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).where(store.reporters.c.email == address)
        ).scalar_one()


def address() -> str:
    return f"budi.{uuid.uuid4().hex[:8]}@example.id"


def test_a_mail_naming_no_place_is_refused_and_its_sender_kept_for_the_answer(engine):
    sender, message_id = address(), f"<{uuid.uuid4().hex}@example.id>"
    reply = receive(engine, mail(NO_PLACE, f"Budi <{sender.upper()}>", message_id))
    assert reply.status == 400

    [event] = refusals(engine, message_id)
    assert event.type == "inbound.rejected"
    assert set(event.data["errors"]) == {"region_code"}
    assert event.data["channel"] == "email" and event.data["language"] == "id"
    written = json.dumps(event.data).lower()
    assert sender not in written and "budi" not in written and "lampu" not in written
    with engine.connect() as conn:
        contact = store.reporter_contact(conn, event.data["reporter_ref"])
    assert contact == {"name": "Budi", "email": sender, "phone": None, "language": "id"}


def test_the_same_mail_read_twice_makes_one_event_and_one_contact(engine):
    sender, message_id = address(), f"<{uuid.uuid4().hex}@example.id>"
    raw = mail(NO_PLACE, sender, message_id)
    assert receive(engine, raw).status == 400
    assert receive(engine, raw).status == 400
    assert len(refusals(engine, message_id)) == 1
    assert contacts_with(engine, sender) == 1


def test_a_text_too_short_is_refused_on_the_description(engine):
    message_id = f"<{uuid.uuid4().hex}@example.id>"
    receive(engine, mail("Rusak.", address(), message_id, subject=""))
    [event] = refusals(engine, message_id)
    assert "description" in event.data["errors"]


def test_a_sender_writing_in_english_is_answered_in_english(engine):
    message_id = f"<{uuid.uuid4().hex}@example.id>"
    receive(engine, mail(NO_PLACE, address(), message_id, Content_Language="en-GB"))
    [event] = refusals(engine, message_id)
    assert event.data["language"] == "en"
    with engine.connect() as conn:
        assert store.reporter_contact(conn, event.data["reporter_ref"])["language"] == "en"


def test_nobody_is_told_of_a_mail_without_a_sender_or_from_a_robot(engine):
    no_sender = f"<{uuid.uuid4().hex}@example.id>"
    assert receive(engine, mail(NO_PLACE, "undisclosed-recipients:;", no_sender)).status == 400
    robot = f"<{uuid.uuid4().hex}@example.id>"
    ignored = receive(engine, mail(NO_PLACE, "mailer-daemon@example.id", robot))
    assert ignored.body == "ignored"
    assert refusals(engine, no_sender) == [] and refusals(engine, robot) == []


def test_an_accepted_mail_records_no_refusal(engine):
    message_id = f"<{uuid.uuid4().hex}@example.id>"
    reply = receive(engine, mail(NO_PLACE + " Di Kota Bandung.", address(), message_id))
    assert reply.status == 200 and refusals(engine, message_id) == []


def test_a_sender_over_the_hourly_limit_is_not_written_to_again(engine):
    sender = address()
    first, second = (f"<{uuid.uuid4().hex}@example.id>" for _ in range(2))
    receive(engine, mail(NO_PLACE, sender, first), per_hour=1)
    receive(engine, mail(NO_PLACE, sender, second), per_hour=1)
    assert len(refusals(engine, first)) == 1 and refusals(engine, second) == []
    assert contacts_with(engine, sender) == 1


# -- the mailbox: a refused mail is filed for operators ----------------------------

PYMAP = shutil.which("pymap") or str(Path(sys.executable).parent / "pymap")
USER, PASSWORD = "lapor", "kotak-surat-uji"


@pytest.fixture(scope="module")
def imap_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [PYMAP, "--no-tls", "--host", "127.0.0.1", "--port", str(port), "--no-service", "admin",
         "dict", "--demo-user", USER, "--demo-password", PASSWORD],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(10)


def _client(port: int) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=5)
    client.login(USER, PASSWORD)
    return client


def _subjects(client: IMAPClient, folder: str) -> dict[str, bool]:
    """subject -> seen, of every message in `folder`."""
    client.select_folder(folder)
    found = client.fetch(client.search(["ALL"]), ["ENVELOPE", "FLAGS"])
    return {d[b"ENVELOPE"].subject.decode(): b"\\Seen" in d[b"FLAGS"] for d in found.values()}


def test_a_refused_mail_is_moved_to_the_rejected_folder_and_an_accepted_one_marked_seen(imap_port):
    folder = f"Ditolak-{uuid.uuid4().hex[:6]}"
    with _client(imap_port) as client:
        for subject in ("refuse me", "take me"):
            message = EmailMessage()
            message["From"], message["Subject"] = "budi@example.id", subject
            message.set_content(subject)
            client.append("INBOX", bytes(message))
    config = {
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": imap_port,
        "IMAP_SSL": "false",
        "IMAP_USER": USER,
        "IMAP_PASSWORD": PASSWORD,
        "IMAP_REJECTED_FOLDER": folder,
    }

    def handle(raw: bytes) -> int:
        return 400 if b"refuse me" in raw else 200

    assert mailbox.poll(config, handle) >= 2
    with _client(imap_port) as client:
        assert _subjects(client, folder) == {"refuse me": False}  # unread, for operators
        inbox = _subjects(client, "INBOX")
        assert inbox["take me"] is True and "refuse me" not in inbox


def test_without_move_a_mail_is_copied_flagged_deleted_and_expunged(imap_port):
    folder = f"Ditolak-{uuid.uuid4().hex[:6]}"
    with _client(imap_port) as client:
        message = EmailMessage()
        message["From"], message["Subject"] = "budi@example.id", "copy me"
        message.set_content("copy me")
        client.append("INBOX", bytes(message))
        client.create_folder(folder)
        client.select_folder("INBOX")
        [uid] = client.search(["SUBJECT", "copy me", "UNDELETED"])[-1:]
        mailbox.copy_and_delete(client, uid, folder)
        assert "copy me" in _subjects(client, folder)
        assert "copy me" not in _subjects(client, "INBOX")
