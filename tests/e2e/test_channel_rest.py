"""REST: multipart reports with attachments, and follow-ups on a report."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import sqlalchemy as sa

from tests.e2e.conftest import _scalar, report_body, wait_until

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def post_multipart(system, path: str, fields: dict, files: list[tuple[str, bytes]], headers=None):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for name, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
            f'filename="{name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = Request(
        system.url() + path,
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})},
    )
    try:
        with urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _submitted(system, tracking_id: str) -> dict:
    with system.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT data FROM lapor.events WHERE stream = :s AND version = 1"),
            {"s": f"report-{tracking_id}"},
        ).scalar_one()


def test_a_multipart_report_keeps_its_photo_outside_the_event(system):
    fields = {
        "title": "Jalan berlubang",
        "description": "Jalan di depan pasar Kota Bandung berlubang besar sejak bulan lalu.",
        "reporter.email": f"budi.{uuid.uuid4().hex[:8]}@example.id",
        "target_agency": "pemkot-3273-dinkes",  # the reporter's choice: not the rule's
    }
    status, accepted = post_multipart(system, "/api/v1/reports", fields, [("IMG_1.jpg", PNG)])
    assert status == 201, accepted
    tracking_id = accepted["tracking_id"]
    report = system.api.wait_routed(tracking_id)
    assert report["category"] == "infrastruktur" and report["region_code"] == "32.73"
    # the rule (Dinas PUPR) and the reporter (Dinas Kesehatan) disagree: the city verifies
    routed = next(e for e in report["timeline"] if e["type"] == "report.routed")
    assert report["owner"]["code"] == "pemkot-3273" and routed["confidence"] < 0.6
    for reason in (routed["reason"], routed["reason_id"]):
        assert "pemkot-3273-dpupr" in reason and "pemkot-3273-dinkes" in reason

    data = _submitted(system, tracking_id)
    [photo] = data["attachments"]
    digest = photo["sha256"]
    assert data["category_inferred"] and data["region_inferred"]
    assert data["target_agency"] == "pemkot-3273-dinkes"
    stored = bytes(
        _scalar(system.engine, "SELECT content FROM intake.attachments WHERE sha256 = :h", h=digest)
    )
    # sniffed from the content (the name and declared type said JPEG); kept as
    # intake re-saved it without metadata, and named by that file's hash
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert photo == {"sha256": digest, "size": len(stored), "media_type": "image/png"}
    assert hashlib.sha256(stored).hexdigest() == digest


def test_attachments_out_of_bounds_are_refused_with_their_reason(system):
    fields = {"title": "Jalan berlubang", "description": "Jalan di Kota Bandung rusak parah."}
    status, answer = post_multipart(
        system, "/api/v1/reports", fields, [("a.jpg", b"MZ not a photo at all")]
    )
    assert status == 400 and "attachments" in answer["errors"]
    big = PNG + b"\x00" * (2 * 1024 * 1024)
    status, answer = post_multipart(system, "/api/v1/reports", fields, [("big.png", big)])
    assert status == 413 and "attachments" in answer["errors"]
    status, answer = post_multipart(system, "/api/v1/reports", {"title": "x"}, [])
    assert status == 400 and {"title", "description"} <= set(answer["errors"])


def test_a_follow_up_lands_on_the_report_once(system):
    status, accepted = system.api.submit(report_body())
    assert status == 201
    tracking_id = accepted["tracking_id"]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert re.fullmatch(r"\d{8}", accepted["pin"])  # every report's answer has its PIN
    body = {"message": "Hari ini saya datang lagi, masih belum jadi.", "kind": "information"}
    first = system.api.add_message(tracking_id, body, key)
    again = system.api.add_message(tracking_id, body, key)
    assert first[0] == 201 and again[0] == 200
    assert first[1]["tracking_id"] == again[1]["tracking_id"] == tracking_id
    assert "pin" not in first[1] and "pin" not in again[1]
    added = _scalar(
        system.engine,
        "SELECT count(*) FROM lapor.events WHERE stream = :s AND type = 'report.message_added'",
        s=f"report-{tracking_id}",
    )
    assert added == 1

    def shown():
        status, report = system.api.report(tracking_id)
        types = [e["type"] for e in report.get("timeline", [])] if status == 200 else []
        return report if "report.message_added" in types else None

    report = wait_until(shown, 30, "the follow-up in the timeline")
    entry = [e for e in report["timeline"] if e["type"] == "report.message_added"][0]
    assert entry == {**entry, "kind": "information", "channel": "web", "actor": "pelapor"}


def test_follow_ups_need_a_known_report_and_the_pin_of_a_confidential_one(system):
    status, answer = system.api.call(
        "POST", "/api/v1/reports/LAP-0000000000/messages", {"message": "halo"}
    )
    assert status == 404 and "tracking_id" in answer["errors"]
    status, accepted = system.api.submit(report_body(confidential=True))
    path = f"/api/v1/reports/{accepted['tracking_id']}/messages"
    status, answer = system.api.call("POST", path, {"message": "tambahan"})
    assert status == 403 and "pin" in answer["errors"]
    status, _ = system.api.call("POST", path, {"message": "tambahan", "pin": accepted["pin"]})
    assert status == 201
    status, answer = system.api.call("POST", path, {"message": "", "kind": "gossip"})
    assert status == 400 and {"message", "kind"} <= set(answer["errors"])


def test_a_target_agency_is_a_code_and_an_unknown_one_never_blocks_routing(system):
    status, answer = system.api.submit(report_body(target_agency="Dinas PU Kota Bandung"))
    assert status == 400 and list(answer["errors"]) == ["target_agency"]

    status, accepted = system.api.submit(report_body(target_agency="pemkot-3273-tidak-ada"))
    assert status == 201, accepted
    report = system.api.wait_routed(accepted["tracking_id"])
    assert report["owner"]["code"] == "pemkot-3273-disdukcapil"  # the rule, as without it
    routed = next(e for e in report["timeline"] if e["type"] == "report.routed")
    assert routed["reason"].endswith("pemkot-3273-tidak-ada, which is not in the catalogue")
