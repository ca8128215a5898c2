"""The reporter's contact reaches an agency only while the report is not
anonymous (real database and event log)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from lapor import eventstore
from lapor.contracts.report import report_stream
from lapor.eventstore import ANY_VERSION, NewEvent
from services.intake import handlers
from services.intake.privacy import identifiable_reporter, reporter_contact_for_agency

PIN_SECRET = b"0123456789abcdef-test"


def _submit(engine, **overrides) -> tuple[str, str]:
    email = f"siti.{uuid.uuid4().hex[:8]}@example.id"
    body = {
        "title": "KTP-el belum jadi",
        "description": "Sudah tiga bulan KTP-el saya belum dicetak di kantor Disdukcapil.",
        "category": "kependudukan",
        "region_code": "32.73",
        "report_type": "pengaduan",
        "reporter": {"name": "Siti Rahma", "email": email},
        **overrides,
    }
    return handlers.submit_report(engine, body, "web", None, PIN_SECRET).tracking_id, email


def _privacy_changed(engine, tracking_id, anonymous, role="reporter"):
    data = {
        "tracking_id": tracking_id,
        "agency_code": "pemkot-3273-disdukcapil",
        "status": "unverified",
        "owner": "pemkot-3273-disdukcapil",
        "owner_name": "Disdukcapil Kota Bandung",
        "stage": "verification",
        "due_at": datetime.now(UTC).isoformat(),
        "actor": {"role": role, "agency_code": None, "account": None},
        "anonymous": anonymous,
        "confidential": False,
    }
    with engine.begin() as tx:
        eventstore.append(
            tx, report_stream(tracking_id), ANY_VERSION, [NewEvent("report.privacy_changed", data)]
        )


def _contact(engine, tracking_id):
    with engine.connect() as conn:
        return reporter_contact_for_agency(conn, tracking_id)


def test_a_named_report_gives_the_agency_its_reporters_contact(engine):
    tracking_id, email = _submit(engine)
    contact = _contact(engine, tracking_id)
    assert contact["email"] == email and contact["name"] == "Siti Rahma"
    assert _contact(engine, f" {tracking_id.lower()} ")["email"] == email


def test_an_anonymous_report_gives_no_contact_until_the_reporter_lifts_anonymity(engine):
    tracking_id, email = _submit(engine, anonymous=True)
    assert _contact(engine, tracking_id) is None
    _privacy_changed(engine, tracking_id, anonymous=False)
    assert _contact(engine, tracking_id)["email"] == email
    _privacy_changed(engine, tracking_id, anonymous=True)
    assert _contact(engine, tracking_id) is None


def test_unknown_reports_and_reports_without_a_reporter_give_nothing(engine):
    assert _contact(engine, "LAP-0000000000") is None
    assert _contact(engine, None) is None
    tracking_id, _ = _submit(engine, reporter=None)
    assert _contact(engine, tracking_id) is None


def test_missing_privacy_counts_as_anonymous():
    assert identifiable_reporter([("report.submitted", {"reporter_ref": "r"})]) is None
    assert identifiable_reporter([]) is None
    named = [("report.submitted", {"reporter_ref": "r", "anonymous": False})]
    assert identifiable_reporter(named) == "r"
    assert identifiable_reporter([*named, ("report.routed", {"anonymous": True})]) == "r"
