"""Reporters and officers hear about their reports: SMS through the real Kannel
(fakesmsc receives the MT, bearerbox calls the DLR URL back), email through the
real SMTP server (the stack's Maildir catcher)."""

from __future__ import annotations

import random
import sys
import uuid
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from lapor.testing import kannel
from tests.e2e.conftest import _scalar, mails_to, report_body, wait_until

SUBJECT = {
    ("report_received", "id"): "telah diterima",
    ("report_received", "en"): "received",
    ("report_assigned", "id"): "diteruskan ke instansi berwenang",
    ("report_assigned", "en"): "passed to the responsible agency",
}
SMS = {
    ("report_received", "id"): "LAPOR: Laporan Anda diterima",
    ("report_received", "en"): "LAPOR: Your report was received",
    ("report_assigned", "id"): "diteruskan untuk diverifikasi ke",
    ("report_assigned", "en"): "was passed for verification to",
}
needs_kannel = pytest.mark.skipif(not kannel.installed(), reason="apt-get install kannel-extras")


def phone() -> str:
    return "0812" + "".join(random.choice("0123456789") for _ in range(8))


def e164(local: str) -> str:
    return "62" + local[1:]


def notifications(stack, tracking_id: str) -> list[dict]:
    with stack.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT * FROM notify.notifications WHERE tracking_id = %(t)s ORDER BY id",
            {"t": tracking_id},
        ).all()
    return [dict(r._mapping) for r in rows]


def submit(stack, **overrides) -> str:
    status, accepted = stack.api.submit(report_body(**overrides))
    assert status == 201, accepted
    return accepted["tracking_id"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_reporter_is_emailed_on_received_and_assigned_in_their_language(system, language):
    address = f"pelapor.{uuid.uuid4().hex[:8]}@example.id"
    tracking_id = submit(system, reporter={"email": address, "language": language})

    mails = wait_until(lambda: len(mails_to(system, address)) >= 2 and mails_to(system, address),
                       60, "two emails")  # fmt: skip
    by_subject = {m["Subject"]: m for m in mails}
    for template in ("report_received", "report_assigned"):
        [mail] = [m for s, m in by_subject.items() if SUBJECT[(template, language)] in s]
        assert tracking_id in mail["Subject"]
        assert mail.get_content_type() == "multipart/alternative"
        plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
        assert tracking_id in plain.get_content() and tracking_id in html.get_content()
        assert tracking_id in mail["Reply-To"]  # replies come back to the report via intake
        assert "/api/v1/notify/unsubscribe/" in mail["List-Unsubscribe"]
    assert len(mails) == 2
    rows = [r for r in notifications(system, tracking_id) if r["recipient"][:7] != "agency:"]
    assert {(r["template"], r["channel"], r["status"]) for r in rows} == {
        ("report_received", "email", "sent"),
        ("report_assigned", "email", "sent"),
        ("report_received", "sms", "skipped"),  # no phone number
        ("report_assigned", "sms", "skipped"),
    }


@needs_kannel
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_reporter_with_only_a_phone_gets_sms_through_kannel_and_dlrs_come_back(system, language):
    local = phone()
    tracking_id = submit(system, reporter={"phone": local, "language": language})
    number = e164(local)

    mts = wait_until(lambda: len(system.kannel.messages(number)) >= 2
                     and system.kannel.messages(number), 60, "two SMS at the operator")  # fmt: skip
    texts = [m.text for m in mts]
    for template in ("report_received", "report_assigned"):
        assert len([t for t in texts if SMS[(template, language)] in t]) == 1, texts
    assert all(tracking_id in t for t in texts)
    assert all(m.sender == "1708" and m.kind == "text" and len(m.text) <= 160 for m in mts)

    # bearerbox reports delivery to the dlr-url: recorded on the notification and as events
    wait_until(
        lambda: (
            {r["status"] for r in notifications(system, tracking_id) if r["channel"] == "sms"}
            == {"delivered"}
        ),
        60,
        "both SMS delivered",
    )
    reported = _scalar(
        system.engine,
        "SELECT count(DISTINCT data->>'notification_id') FROM lapor.events "
        "WHERE type = 'notification.delivery_reported' AND data->>'tracking_id' = :t "
        "AND data->>'status' = 'delivered'",
        t=tracking_id,
    )
    assert reported == 2
    personal = _scalar(
        system.engine,
        "SELECT count(*) FROM lapor.events WHERE type = 'notification.delivery_reported' "
        "AND data::text LIKE :n",
        n=f"%{number[2:]}%",
    )
    assert personal == 0  # no phone number in the log


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_agency_is_emailed_a_new_assignment(system, language):
    address = f"dukcapil.{uuid.uuid4().hex[:8]}@bandung.go.id"
    system.run(sys.executable, "-m", "services.notify.cli", "agency-contact",
               "pemkot-3273-disdukcapil", address, "--language", language)  # fmt: skip
    tracking_id = submit(system, reporter=None)
    [mail] = wait_until(lambda: mails_to(system, address), 60, "the officer's email")
    assert tracking_id in mail["Subject"]
    expected = {"id": "Disposisi baru", "en": "New assignment"}[language]
    assert expected in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "Reason" in text or "Alasan" in text
    assert "Siti" not in text and "Rahma" not in text  # nothing about the reporter
    assert mail["List-Unsubscribe"] is None


@needs_kannel
def test_stop_from_a_number_means_no_more_sms_to_it(system):
    local = phone()
    number = e164(local)
    first = submit(system, reporter={"phone": local})
    wait_until(lambda: len(system.kannel.messages(number)) >= 2, 60, "the first two SMS")

    # what intake does with an SMS "STOP" or "BERHENTI" to 1708 (docs/notify.md)
    with ClusterRpcProxy({"AMQP_URI": system.env["AMQP_URI"]}) as rpc:
        assert rpc.notify.opt_out("sms", "+" + number, "sms_keyword") == {"opted_out": True}
    assert (
        _scalar(
            system.engine,
            "SELECT count(*) FROM lapor.events WHERE type = 'contact.opted_out' "
            "AND data->>'channel' = 'sms' AND data::text NOT LIKE :n",
            n=f"%{number[2:]}%",
        )
        >= 1
    )

    second = submit(system, reporter={"phone": local})
    wait_until(
        lambda: (
            [r["last_error"] for r in notifications(system, second) if r["channel"] == "sms"]
            == ["opted out", "opted out"]
        ),
        60,
        "both SMS notices skipped",
    )
    assert [m for m in system.kannel.messages(number) if second in m.text] == []
    assert len([m for m in system.kannel.messages(number) if first in m.text]) == 2


def test_the_unsubscribe_link_stops_email_to_that_address(system):
    address = f"berhenti.{uuid.uuid4().hex[:8]}@example.id"
    submit(system, reporter={"email": address})
    mail = wait_until(lambda: mails_to(system, address), 60, "the first email")[0]
    link = mail["List-Unsubscribe"].strip("<>")

    forged = link[: link.index("?s=") + 3] + "0" * 32
    with pytest.raises(HTTPError) as refused:
        urlopen(Request(forged, method="POST", data=b""), timeout=10)
    assert refused.value.code == 404
    with urlopen(link, timeout=10) as page:  # a GET only asks
        assert "<form" in page.read().decode()
    with urlopen(Request(link, method="POST", data=b""), timeout=10) as page:
        assert page.status == 200

    later = submit(system, reporter={"email": address})
    wait_until(
        lambda: (
            [
                r["last_error"]
                for r in notifications(system, later)
                if r["channel"] == "email" and not r["recipient"].startswith("agency:")
            ]
            == ["opted out", "opted out"]
        ),
        60,
        "the later emails skipped",
    )
    assert not [m for m in mails_to(system, address) if later in m["Subject"]]


def test_a_dlr_with_a_bad_signature_is_refused(system):
    url = f"{system.url()}/api/v1/notify/sms/dlr/{uuid.uuid4()}?s={'0' * 32}&type=1"
    with pytest.raises(HTTPError) as refused:
        urlopen(url, timeout=10)
    assert refused.value.code == 404


def test_email_is_retried_while_the_smtp_server_is_down(system):
    system.kill("mail")  # the stack's SMTP catcher
    address = f"sabar.{uuid.uuid4().hex[:8]}@example.id"
    try:
        tracking_id = submit(system, reporter={"email": address})
        wait_until(
            lambda: any(
                r["channel"] == "email" and r["attempts"] >= 2 and r["status"] == "pending"
                and "SMTP" in (r["last_error"] or "")
                for r in notifications(system, tracking_id)
            ),
            60,
            "a failed attempt waiting for its retry",
        )  # fmt: skip
    finally:
        system.start_mail_catcher(int(system.env["SMTP_PORT"]))
    mails = wait_until(lambda: len(mails_to(system, address)) >= 2 and mails_to(system, address),
                       90, "the emails after the server came back")  # fmt: skip
    assert len(mails) == 2
