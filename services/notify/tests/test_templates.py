import pytest

from services.notify.adapters.email import render
from services.notify.domain import RULES, gsm7_fold, is_gsm7, sms_parts

URL = "https://lapor.example.go.id/api/v1/reports/LAP-0123456789"
LONG_AGENCY = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bandung Barat"
SECRET = "Jalan Merdeka 12 rusak parah"


def _values(**overrides):
    values = {
        "tracking_id": "LAP-0123456789",
        "tracking_url": URL,
        "confidential": False,
        "agency_name": LONG_AGENCY,
        "needed": "Foto KTP-el dan alamat lengkap",
        "response": "Sudah diperbaiki.",
        "reason": "kategori kependudukan di Kota Bandung",
        "unsubscribe_url": "https://lapor.example.go.id/api/v1/notify/unsubscribe/x?s=y",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("template", sorted({r.template for r in RULES}))
def test_every_template_renders_subject_text_html_and_a_single_gsm7_sms(template, language):
    rendered = render(template, language, **_values())
    assert "LAP-0123456789" in rendered.subject
    assert "LAP-0123456789" in rendered.text and "LAP-0123456789" in rendered.html
    sms = gsm7_fold(rendered.sms)
    assert is_gsm7(sms), sms
    assert sms_parts(sms) == 1, (len(sms), sms)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_languages_differ(language):
    other = {"id": "en", "en": "id"}[language]
    assert (
        render("report_received", language, **_values()).text
        != render("report_received", other, **_values()).text
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_confidential_reports_keep_their_content_out_of_sms(language):
    for template in ("report_assigned", "report_responded"):
        sms = render(template, language, **_values(confidential=True, response=SECRET)).sms
        assert LONG_AGENCY not in sms and SECRET not in sms
        assert "LAP-0123456789" in sms
    sms = render("report_responded", language, **_values(response=SECRET)).sms
    assert SECRET in sms  # a short answer to an open report is in the SMS itself


def test_a_long_answer_is_a_link_in_the_sms_and_whole_in_the_email():
    answer = "Kami telah meninjau lokasi dan menjadwalkan perbaikan. " * 5
    rendered = render("report_responded", "id", **_values(response=answer))
    assert answer.strip() not in rendered.sms and URL in rendered.sms
    assert answer.strip() in rendered.text


def test_reporter_emails_carry_the_unsubscribe_link_and_html_escapes_content():
    rendered = render("report_deferred", "en", **_values(needed="<b>a photo</b> & more"))
    assert "unsubscribe" in rendered.text.lower()
    assert "&lt;b&gt;a photo&lt;/b&gt; &amp; more" in rendered.html
    assert "<b>a photo</b>" not in rendered.html
    assert "https://lapor.example.go.id/api/v1/notify/unsubscribe/" in rendered.html


def test_a_text_outside_gsm7_needs_ucs2_parts():
    assert sms_parts("a" * 160) == 1 and sms_parts("a" * 161) == 2
    assert sms_parts("€" * 80) == 1  # extension characters count twice: 160 septets
    assert not is_gsm7("Ünïcode") and sms_parts("ï" * 71) == 2
