from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from lapor.contracts import contract_for
from services.intake.domain import (
    TRACKING_ID,
    clean_text,
    e164,
    new_tracking_id,
    pin_matches,
    report_pin,
)
from services.intake.handlers import normalise
from services.intake.schemas import SubmissionSchema

VALID = {
    "title": "Jalan rusak parah",
    "description": "Jalan di depan pasar berlubang sejak bulan lalu.",
    "category": "infrastruktur",
    "region_code": "32.73",
    "report_type": "pengaduan",
}


def load(**overrides):
    return SubmissionSchema(lambda code: code in {"32", "32.73", "32.73.01"}).load(
        {**VALID, **overrides}
    )


@pytest.mark.parametrize("raw", ["0812-3456-7890", "6281234567890", "+62 812 3456 7890"])
def test_phone_numbers_become_one_e164_form(raw):
    assert e164(raw) == "+6281234567890"


def test_an_invalid_phone_number_is_refused():
    assert e164("12") is None
    with pytest.raises(ValidationError) as error:
        load(reporter={"phone": "12"})
    assert "phone" in error.value.messages["reporter"]


@given(st.text())
def test_clean_text_leaves_no_control_characters(text):
    cleaned = clean_text(text)
    assert "\x00" not in cleaned
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)


def test_markup_is_kept_as_text():
    assert load(title="<b>Jalan</b> rusak")["title"] == "<b>Jalan</b> rusak"


def test_each_bad_field_gets_its_message():
    with pytest.raises(ValidationError) as error:
        SubmissionSchema(lambda code: False).load(
            {
                "title": "x",
                "category": "gosip",
                "region_code": "Bandung",
                "report_type": "keluhan",
                "extra": 1,
            }
        )
    messages = error.value.messages
    assert {"title", "description", "category", "region_code", "report_type", "extra"} <= set(
        messages
    )


def test_category_region_and_type_may_be_left_to_intake():
    loaded = SubmissionSchema(lambda code: True).load(
        {"title": "Jalan rusak", "description": "Jalan di Kota Bandung berlubang."}
    )
    assert "category" not in loaded and "region_code" not in loaded
    assert loaded["report_type"] == "pengaduan"


def test_region_must_exist():
    with pytest.raises(ValidationError) as error:
        load(region_code="32.99")
    assert "region_code" in error.value.messages


def test_incident_date_cannot_be_in_the_future():
    assert load(incident_date="2026-01-05")["incident_date"] == date(2026, 1, 5)
    with pytest.raises(ValidationError):
        load(incident_date=(date.today() + timedelta(days=2)).isoformat())


def test_email_is_normalised():
    assert load(reporter={"email": "Siti@Example.ID"})["reporter"]["email"] == "siti@example.id"


def test_tracking_ids_are_quotable_and_distinct():
    ids = {new_tracking_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(TRACKING_ID.match(i) for i in ids)


def test_a_pin_is_derived_per_report_and_checked_in_constant_time():
    secret = b"s3cret"
    pin = report_pin(secret, "LAP-0123456789")
    assert len(pin) == 8 and pin.isdigit()
    assert pin == report_pin(secret, "LAP-0123456789")
    assert pin != report_pin(secret, "LAP-0123456788")
    assert pin != report_pin(b"other", "LAP-0123456789")
    assert pin_matches(secret, "LAP-0123456789", pin)
    assert not pin_matches(secret, "LAP-0123456789", "00000000" if pin != "00000000" else "1")


def test_nested_refusals_are_flattened_to_dotted_fields():
    from services.intake.domain import flat_errors

    nested = {"reporter": {"email": ["Not a valid email address."]}, "_rate": "Slow down.",
              "attachments": ["Attachment 1 is empty."], "tags": {0: ["Bad."]}}  # fmt: skip
    assert flat_errors(nested) == {
        "reporter.email": ["Not a valid email address."],
        "_rate": ["Slow down."],
        "attachments": ["Attachment 1 is empty."],
        "tags.0": ["Bad."],
    }


def test_the_target_agency_is_an_agency_code_or_nothing():
    assert load()["target_agency"] is None
    assert load(target_agency=None)["target_agency"] is None
    chosen = load(target_agency=" Pemkot-3273-Disdukcapil ")["target_agency"]
    assert chosen == "pemkot-3273-disdukcapil"
    for bad in ("", "Dinas Kependudukan Kota Bandung", "pemkot_3273", "x" * 101, 3273):
        with pytest.raises(ValidationError) as error:
            load(target_agency=bad)
        assert list(error.value.messages) == ["target_agency"], bad


def test_a_named_target_agency_reaches_the_event_and_none_leaves_no_trace():
    named = normalise({**VALID, "target_agency": "pemkot-3273-dinkes"})
    assert named["target_agency"] == "pemkot-3273-dinkes"
    assert "target_agency" not in normalise(VALID)
    event = {**named, "tracking_id": "LAP-7K3M9QXT2B", "channel": "web", "reporter_ref": None}
    del event["reporter"]
    assert contract_for("report.submitted").validate(event)["target_agency"] == (
        "pemkot-3273-dinkes"
    )
