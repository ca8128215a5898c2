"""One report from HTTP to the reporter's inbox, through every service."""

from __future__ import annotations

import email
import email.policy
import re
import uuid

from tests.e2e.conftest import _scalar, mails_to, report_body, wait_until


def test_a_report_is_routed_tracked_and_the_reporter_emailed(system):
    body = report_body()
    status, accepted = system.api.submit(body)
    assert status == 201, accepted
    tracking_id = accepted["tracking_id"]
    assert re.fullmatch(r"\d{8}", accepted["pin"])  # every report has its PIN

    report = system.api.wait_routed(tracking_id)
    assert report["agency"] == {
        "code": "pemkot-3273-disdukcapil",
        "name": "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung",
    }
    assert [e["type"] for e in report["timeline"]] == ["report.submitted", "report.routed"]
    assert "Siti" not in str(report)  # the reporter's identity is not in the public view

    # told twice: received, then assigned to the agency
    address = body["reporter"]["email"]
    wait_until(lambda: len(mails_to(system, address)) >= 2, 30, "both emails")
    mails = mails_to(system, address)
    assert len(mails) == 2
    subjects = sorted(m["Subject"] for m in mails)
    assert subjects == [
        f"Laporan {tracking_id} diteruskan ke instansi berwenang",
        f"Laporan {tracking_id} telah diterima",
    ]
    for mail in mails:
        text = email.message_from_bytes(bytes(mail), policy=email.policy.default)
        assert tracking_id in text.get_body(preferencelist=("plain",)).get_content()


def test_bad_input_gets_field_level_messages(system):
    status, answer = system.api.submit(report_body(category="gossip", region_code="99.99.99"))
    assert status == 400
    assert set(answer["errors"]) >= {"category"}
    status, answer = system.api.submit(report_body(region_code="32.99", title="ok"))
    assert status == 400
    assert "title" in answer["errors"]
    status, answer = system.api.call("POST", "/api/v1/reports", body=["not", "an", "object"])
    assert status == 400 and "_body" in answer["errors"]
    status, answer = system.api.submit(report_body(reporter={"phone": "12"}))
    assert status == 400 and "phone" in answer["errors"]["reporter"]


def test_unknown_region_is_refused(system):
    status, answer = system.api.submit(report_body(region_code="32.99"))
    assert status == 400
    assert "region_code" in answer["errors"]


def test_the_same_submission_twice_makes_one_report(system):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = report_body(confidential=True)
    first_status, first = system.api.submit(body, key)
    second_status, second = system.api.submit(body, key)
    assert (first_status, second_status) == (201, 200)
    assert second["tracking_id"] == first["tracking_id"] and second["duplicate"] is True
    assert second["pin"] == first["pin"]
    submitted = _scalar(
        system.engine,
        "SELECT count(*) FROM lapor.events WHERE type = 'report.submitted' "
        "AND data->'reporter_ref' IS NOT NULL AND stream IN "
        "(SELECT stream FROM lapor.idempotency_keys WHERE key = :key)",
        key="web:" + key["Idempotency-Key"],
    )
    assert submitted == 1


def test_a_confidential_report_needs_its_pin(system):
    status, accepted = system.api.submit(report_body(confidential=True))
    assert status == 201 and len(accepted["pin"]) == 8
    tracking_id, pin = accepted["tracking_id"], accepted["pin"]
    system.api.wait_routed(tracking_id, pin=pin)
    assert system.api.report(tracking_id)[0] == 403
    wrong = str((int(pin) + 1) % 10**8).zfill(8)
    assert system.api.report(tracking_id, wrong)[0] == 403
    assert system.api.report(tracking_id, pin)[0] == 200


def test_unknown_tracking_id_is_404(system):
    status, answer = system.api.report("LAP-0000000000")
    assert status == 404 and "tracking_id" in answer["errors"]


def test_every_service_reports_health_and_metrics(system):
    from urllib.request import urlopen

    for name in ("gateway", "intake", "routing", "tracking", "sipp", "notify", "relay"):
        with urlopen(system.url(name) + "/health/ready", timeout=5) as answer:
            assert answer.status == 200
        with urlopen(system.url(name) + "/metrics", timeout=5) as answer:
            text = answer.read().decode()
        assert "lapor_" in text
        assert "LAP-" not in text  # no report ids in labels


def test_a_service_that_is_down_means_503_not_a_hang(system):
    system.kill("sipp")
    try:
        status, answer = system.api.call("GET", "/api/v1/agencies?region_code=32.73")
        assert status == 503 and "_service" in answer["errors"]
    finally:
        system.start("sipp")
        system.wait_ready("sipp")
    status, answer = system.api.call("GET", "/api/v1/agencies?region_code=32.73")
    assert status == 200
    assert {a["code"] for a in answer["agencies"]} >= {"pemkot-3273", "pemkot-3273-rsud"}


def test_bad_paging_and_oversized_bodies_are_refused(system):
    assert system.api.call("GET", "/api/v1/agencies?limit=-5")[0] == 400
    assert system.api.call("GET", "/api/v1/agencies?limit=many")[0] == 400
    status, answer = system.api.submit(report_body(description="x" * 1_100_000))
    assert status == 413 and "_body" in answer["errors"]
