"""Email through a real IMAP server (pymap, on loopback): intake polls the
mailbox, each mail becomes one report, robots are ignored, a reply lands on
its report, a refused mail is explained to its sender and filed for operators."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
import uuid
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from imapclient import IMAPClient

from tests.e2e.conftest import free_port, mails_to, report_body, wait_until

PYMAP = shutil.which("pymap") or str(Path(sys.executable).parent / "pymap")
USER, PASSWORD = "lapor", "kotak-surat-uji"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
IMAP_ENV = ("IMAP_HOST", "IMAP_PORT", "IMAP_SSL", "IMAP_USER", "IMAP_PASSWORD", "IMAP_POLL_SECONDS")


def _restart_intake(system) -> None:
    system.kill("intake")
    system.start("intake")
    system.wait_ready("intake")


@pytest.fixture(scope="module")
def mailbox(system):
    """pymap on a free port, and intake restarted to poll it; both undone after."""
    port = free_port()
    server = subprocess.Popen(
        [PYMAP, "--no-tls", "--host", "127.0.0.1", "--port", str(port), "--no-service", "admin",
         "dict", "--demo-user", USER, "--demo-password", PASSWORD],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = wait_until(lambda: _connect(port), 30, "the IMAP server")
        system.env.update(
            IMAP_HOST="127.0.0.1", IMAP_PORT=str(port), IMAP_SSL="false", IMAP_USER=USER,
            IMAP_PASSWORD=PASSWORD, IMAP_POLL_SECONDS="0.3",
        )  # fmt: skip
        _restart_intake(system)
        yield client
    finally:
        for key in IMAP_ENV:
            system.env.pop(key, None)
        _restart_intake(system)
        server.terminate()
        server.wait(10)


def _connect(port: int) -> IMAPClient | None:
    try:
        client = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=5)
        client.login(USER, PASSWORD)
        return client
    except OSError:
        return None


def deliver(client: IMAPClient, message: EmailMessage) -> None:
    client.append("INBOX", bytes(message))


def new_mail(subject: str, text: str, message_id: str | None = None, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("sender", f"Budi <budi.{uuid.uuid4().hex[:6]}@example.id>")
    message["To"] = "lapor@lapor.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@example.id>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def events_for(system, message_id: str) -> list[dict]:
    with system.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT e.type, e.stream, e.data FROM lapor.events e JOIN lapor.idempotency_keys k "
                "ON e.stream = k.stream AND e.version BETWEEN k.first_version AND k.last_version "
                "WHERE k.key = :key"
            ),
            {"key": f"email:{message_id}"},
        ).all()
    return [dict(r._mapping) for r in rows]


def test_a_mail_becomes_one_routed_report_and_a_reply_lands_on_it(system, mailbox):
    message_id = f"<{uuid.uuid4().hex}@example.id>"
    sender = f"Budi <Budi.{uuid.uuid4().hex[:6]}@Example.id>"
    mail = new_mail(
        "KTP-el belum jadi",
        "Sudah tiga bulan KTP-el saya belum dicetak di Disdukcapil Kota Bandung.",
        message_id,
        sender=sender,
    )
    mail.add_attachment(PNG, maintype="image", subtype="png", filename="bukti.png")
    deliver(mailbox, mail)
    [submitted] = wait_until(lambda: events_for(system, message_id), 30, "the emailed report")
    tracking_id = submitted["data"]["tracking_id"]
    assert submitted["data"]["channel"] == "email"
    assert submitted["data"]["attachments"][0]["media_type"] == "image/png"
    report = system.api.wait_routed(tracking_id)
    # an inferred category is not sure enough to send it to the unit: the city's
    # coordinator verifies it first (routing's confidence rule, docs/routing.md)
    assert report["agency"]["code"] == "pemkot-3273"

    deliver(mailbox, mail)  # the same Message-ID again, e.g. copied back by a client
    reply_id = f"<{uuid.uuid4().hex}@example.id>"
    deliver(
        mailbox,
        new_mail(
            f"Re: [{tracking_id}] Laporan diterima",
            "Hari ini saya datang lagi, masih belum jadi.\n\nOn Mon Lapor wrote:\n> diterima",
            reply_id,
            sender=sender.lower(),  # the reporter's own address, in any case
        ),
    )
    [added] = wait_until(lambda: events_for(system, reply_id), 30, "the reply")
    assert added["type"] == "report.message_added" and added["stream"] == f"report-{tracking_id}"
    assert added["data"]["message"] == "Hari ini saya datang lagi, masih belum jadi."
    assert len(events_for(system, message_id)) == 1


def test_a_reply_from_another_address_is_refused_answered_and_filed(system, mailbox):
    """Only the reporter adds to a report: a mail quoting someone else's
    tracking id is refused, its sender told why, the mail filed as refused."""
    status, accepted = system.api.submit(report_body())
    assert status == 201
    tracking_id = accepted["tracking_id"]
    stranger = f"orang.{uuid.uuid4().hex[:8]}@example.id"
    message_id = f"<{uuid.uuid4().hex}@example.id>"
    deliver(mailbox, new_mail(f"Re: [{tracking_id}] Laporan diterima", "Sudah selesai.",
                              message_id, sender=f"Orang <{stranger}>"))  # fmt: skip
    [answer] = wait_until(lambda: mails_to(system, stranger), 60, "the explanation email")
    assert "PIN" in answer.get_body(preferencelist=("plain",)).get_content()
    wait_until(lambda: _in_folder(mailbox, "Lapor-Ditolak", message_id), 30, "the refused folder")
    event = _rejected_event(system, message_id)
    assert event.type == "inbound.rejected" and set(event.data["errors"]) == {"pin"}
    assert events_for(system, message_id) == []  # nothing added to the report


def test_auto_replies_make_no_report(system, mailbox):
    robot_id = f"<{uuid.uuid4().hex}@example.id>"
    deliver(
        mailbox,
        new_mail("Out of office", "Saya cuti sampai Senin di Kota Bandung.", robot_id,
                 Auto_Submitted="auto-replied"),
    )  # fmt: skip
    marker_id = f"<{uuid.uuid4().hex}@example.id>"
    deliver(mailbox, new_mail("Sampah menumpuk", "Sampah menumpuk di Kota Bandung.", marker_id))
    wait_until(lambda: events_for(system, marker_id), 30, "the mail after the auto-reply")
    # mail is handled in the order it arrived: the auto-reply was seen before the marker
    assert events_for(system, robot_id) == []


def _in_folder(client: IMAPClient, folder: str, message_id: str) -> bool:
    if not client.folder_exists(folder):
        return False
    client.select_folder(folder, readonly=True)
    return bool(client.search(["HEADER", "Message-ID", message_id]))


def test_a_mail_naming_no_place_is_explained_to_its_sender_and_filed_as_refused(system, mailbox):
    sender = f"rina.{uuid.uuid4().hex[:8]}@example.id"
    message_id = f"<{uuid.uuid4().hex}@example.id>"
    mail = new_mail("Lampu jalan mati",
                    "Lampu jalan di depan rumah saya mati sudah dua minggu, gelap sekali.",
                    message_id, sender=f"Rina <{sender}>")  # fmt: skip
    deliver(mailbox, mail)

    [answer] = wait_until(lambda: mails_to(system, sender), 60, "the explanation email")
    assert "belum dapat kami terima" in str(answer["Subject"])
    text = answer.get_body(preferencelist=("plain",)).get_content()
    assert "tempat kejadian (kota/kabupaten)" in text
    assert f"{system.url()}/lapor" in text
    assert str(answer["Reply-To"]) == "laporan@lapor.local"  # the mailbox, no tracking id

    wait_until(lambda: _in_folder(mailbox, "Lapor-Ditolak", message_id), 30, "the refused folder")
    assert not _in_folder(mailbox, "INBOX", message_id)
    event = _rejected_event(system, message_id)
    assert event.type == "inbound.rejected" and set(event.data["errors"]) == {"region_code"}
    assert sender not in str(event.data) and event.data["reporter_ref"]
    assert events_for(system, message_id) == []  # no report


def _rejected_event(system, message_id: str):
    """The one `inbound.rejected` recorded for the mail `message_id`."""
    with system.engine.connect() as conn:
        [event] = conn.execute(
            sa.text("SELECT e.type, e.data FROM lapor.events e JOIN lapor.idempotency_keys k "
                    "ON e.stream = k.stream WHERE k.key = :key"),
            {"key": f"inbound.rejected:email:{message_id}"},
        ).all()  # fmt: skip
    return event
