"""Only the reporter adds to a report, whatever the channel: with the
report's PIN, or from the phone or email address intake keeps for them
(real database and event log). Anyone else is refused, and told why."""

from __future__ import annotations

import base64
import uuid
from email.message import EmailMessage

import pytest

from lapor import eventstore
from lapor.channels import FollowUp, Registry, Submission
from lapor.contracts.inbound import inbound_stream, message_digest
from lapor.contracts.report import report_stream
from services.intake import handlers

PIN_SECRET = b"p" * 32
BODY = {
    "title": "Jalan berlubang",
    "description": "Jalan di depan sekolah berlubang besar sejak bulan lalu, berbahaya.",
    "category": "infrastruktur",
    "region_code": "32.73",
    "report_type": "pengaduan",
}


def context(engine) -> handlers.Context:
    return handlers.Context(engine, PIN_SECRET)


def submit(engine, reporter: dict | None = None, confidential: bool = False):
    fields = dict(BODY, confidential=confidential)
    if reporter:
        fields["reporter"] = reporter
    return handlers.submit(context(engine), Submission(fields), "web")


def added(engine, tracking_id: str) -> list[dict]:
    with engine.connect() as conn:
        history = eventstore.read_stream(conn, report_stream(tracking_id))
    return [e.data for e in history if e.type == "report.message_added"]


def sms(sender: str, text: str) -> dict:
    query = {"from": [sender], "to": ["1708"], "text": [text], "id": [uuid.uuid4().hex]}
    return {"method": "GET", "path": "/channels/sms", "query": query}


def mail(sender: str, subject: str, text: str) -> tuple[dict, str]:
    message = EmailMessage()
    message.set_content(text)
    message["From"] = sender
    message["To"] = "lapor@lapor.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id = f"<{uuid.uuid4().hex}@example.id>"
    wire = {"method": "IMAP", "path": "/imap", "body": base64.b64encode(bytes(message)).decode()}
    return wire, message_id


def test_every_report_gets_a_pin_and_a_replay_the_same_one(engine):
    public, secret = submit(engine), submit(engine, confidential=True)
    for accepted in (public, secret):
        assert accepted.pin == handlers.report_pin(PIN_SECRET, accepted.tracking_id)
        assert len(accepted.pin) == 8
    key = uuid.uuid4().hex
    first = handlers.submit(context(engine), Submission(dict(BODY), key), "web")
    again = handlers.submit(context(engine), Submission(dict(BODY), key), "web")
    assert again.duplicate and (again.tracking_id, again.pin) == (first.tracking_id, first.pin)
    with engine.connect() as conn:
        [event] = eventstore.read_stream(conn, report_stream(first.tracking_id))
    assert first.pin not in str(event.data)


def test_a_stranger_without_the_pin_cannot_confirm_a_public_report(engine):
    report = submit(engine)
    for pin in (None, "", "00000000" if report.pin != "00000000" else "11111111"):
        message = FollowUp(report.tracking_id, "Sudah selesai.", kind="confirmation", pin=pin)
        with pytest.raises(handlers.Rejected) as refused:
            handlers.follow_up(context(engine), message, "web", "web")
        assert refused.value.status == 403
        assert refused.value.errors == {"pin": [handlers.NOT_THE_REPORTER]}
    assert added(engine, report.tracking_id) == []

    mine = FollowUp(report.tracking_id, "Sudah selesai.", kind="confirmation", pin=report.pin)
    answer = handlers.follow_up(context(engine), mine, "web", "web")
    assert answer.pin is None and not answer.duplicate
    assert [m["kind"] for m in added(engine, report.tracking_id)] == ["confirmation"]


def test_a_sender_named_by_a_plugin_is_compared_with_the_reporter(engine):
    address = f"ani.{uuid.uuid4().hex[:8]}@example.id"
    report = submit(engine, {"email": address})
    other = FollowUp(report.tracking_id, "Saya juga.", sender="orang@example.id")
    with pytest.raises(handlers.Rejected):
        handlers.follow_up(context(engine), other, "chat", "plugin")
    own = FollowUp(report.tracking_id, "Masih rusak.", sender=address.upper())
    handlers.follow_up(context(engine), own, "chat", "plugin")
    assert len(added(engine, report.tracking_id)) == 1


def test_an_anonymous_reporter_may_still_add_from_their_own_address(engine):
    address = f"anon.{uuid.uuid4().hex[:8]}@example.id"
    fields = dict(BODY, anonymous=True, reporter={"email": address})
    report = handlers.submit(context(engine), Submission(fields), "web")
    own = FollowUp(report.tracking_id, "Masih rusak.", sender=address)
    handlers.follow_up(context(engine), own, "email", "email")
    assert len(added(engine, report.tracking_id)) == 1


def test_an_sms_follow_up_is_taken_only_from_the_reporters_phone(engine):
    report = submit(engine, {"phone": "0812-3456-7001"})
    stranger = handlers.receive(
        context(engine), Registry({}), "sms", sms("6281234567002", f"{report.tracking_id} selesai")
    )
    assert stranger.status == 200  # Kannel sends the text back as the reply SMS
    assert "hanya pelapor" in stranger.body
    assert added(engine, report.tracking_id) == []

    own = handlers.receive(
        context(engine), Registry({}), "sms", sms("6281234567001", f"{report.tracking_id} masih")
    )
    assert f"Tambahan untuk laporan {report.tracking_id}" in own.body
    [message] = added(engine, report.tracking_id)
    assert message["message"] == "masih" and message["channel"] == "sms"


def test_an_email_follow_up_from_another_address_is_refused_and_answered(engine):
    address = f"siti.{uuid.uuid4().hex[:8]}@example.id"
    report = submit(engine, {"email": address})
    subject = f"Re: [{report.tracking_id}] Laporan diterima"

    wire, message_id = mail("Orang Lain <orang.lain@example.id>", subject, "Sudah selesai.")
    reply = handlers.receive(context(engine), Registry({}), "email", wire)
    assert reply.status == 403
    assert added(engine, report.tracking_id) == []
    with engine.connect() as conn:
        [refusal] = eventstore.read_stream(conn, inbound_stream(message_digest(message_id)))
    assert refusal.type == "inbound.rejected" and set(refusal.data["errors"]) == {"pin"}

    wire, _ = mail(f"Siti <{address.upper()}>", subject, "Masih rusak, belum diperbaiki.")
    assert handlers.receive(context(engine), Registry({}), "email", wire).status == 200
    [message] = added(engine, report.tracking_id)
    assert message["channel"] == "email"
