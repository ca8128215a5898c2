import pytest

from lapor.channels import FollowUp, Inbound
from lapor.contracts.case import ARCHIVE_REASONS, CLOSE_REASONS, STAGES
from services.intake.channels.sms import SmsChannel
from services.intake.normalise import infer_category, recognise_region
from services.notify.adapters.email import render
from services.notify.domain import (
    RULES,
    TEMPLATE_DEFAULTS,
    gsm7_fold,
    is_gsm7,
    sms_parts,
    template_values,
)
from services.notify.tests.events import LONG_AGENCY, sample

URL = "https://lapor.example.go.id/api/v1/reports/LAP-0123456789"
FORM_URL = "https://lapor.example.go.id/lapor"
SECRET = "Jalan Merdeka 12 rusak parah"
UNSUBSCRIBE = "https://lapor.example.go.id/api/v1/notify/unsubscribe/x?s=y"


def _values(**overrides):
    values = {
        **TEMPLATE_DEFAULTS,
        "tracking_id": "LAP-0123456789",
        "tracking_url": URL,
        "confidential": False,
        "agency_name": LONG_AGENCY,
        "needed": "Foto KTP-el dan alamat lengkap",
        "response": "Sudah diperbaiki.",
        "reason": "kategori kependudukan di Kota Bandung",
        "unsubscribe_url": UNSUBSCRIBE,
        "form_url": FORM_URL,
    }
    values.update(overrides)
    return values


def _from_event(event_type: str, language: str, template: str, confidential=False, **data):
    """Rendered as notify renders it: the event's values plus the per-send ones."""
    values = template_values(event_type, sample(event_type, **data))
    return render(template, language, **_values(confidential=confidential, **values))


# notices about a report (a refused message has none: see the tests at the end)
CASE_RULES = [r for r in RULES if r.event_type != "inbound.rejected"]
CASE_IDS = [f"{r.event_type}-{r.template}" for r in CASE_RULES]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("rule", CASE_RULES, ids=CASE_IDS)
def test_every_rule_renders_from_its_event_with_a_single_gsm7_sms(rule, language):
    for confidential in (False, True):
        rendered = _from_event(rule.event_type, language, rule.template, confidential)
        assert "LAP-0123456789" in rendered.subject
        assert "LAP-0123456789" in rendered.text and "LAP-0123456789" in rendered.html
        sms = gsm7_fold(rendered.sms)
        assert is_gsm7(sms), sms
        assert sms_parts(sms) == 1, (len(sms), sms)
        assert "None" not in rendered.text and "  " not in rendered.sms


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("template", sorted({r.template for r in CASE_RULES}))
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
    for template in ("report_assigned", "report_responded", "report_deferred", "report_escalated"):
        values = _values(confidential=True, response=SECRET, needed=SECRET)
        sms = render(template, language, **values).sms
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


WORDS = {
    "id": {"verification": "verifikasi", "follow_up": "tindak lanjut", "closure": "penutupan"},
    "en": {"verification": "verification", "follow_up": "follow-up", "closure": "closure"},
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_archive_and_close_reasons_are_said_in_words(language):
    seen = set()
    for reason in ARCHIVE_REASONS:
        rendered = _from_event("report.archived", language, "report_archived", reason=reason)
        assert reason not in rendered.text and reason not in rendered.sms
        words = rendered.text.split("\n\n")[1]
        seen.add(words)
        assert words.split(":", 1)[1].strip(" .") in rendered.sms
    assert len(seen) == len(ARCHIVE_REASONS)  # each reason has its own words
    texts = {
        _from_event("report.closed", language, "report_closed", reason=reason).text
        for reason in CLOSE_REASONS
    }
    assert len(texts) == len(CLOSE_REASONS) and not any(r in t for r in CLOSE_REASONS
                                                        for t in texts)  # fmt: skip


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_merged_report_does_not_reveal_the_report_it_was_merged_into(language):
    rendered = _from_event("report.merged", language, "report_merged")
    assert "LAP-9876543210" not in rendered.text + rendered.sms + rendered.html


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("stage", STAGES)
def test_officers_read_the_stage_and_the_due_time_of_a_warning(language, stage):
    rendered = _from_event("report.deadline_approaching", language, "deadline_approaching",
                           stage=stage)  # fmt: skip
    assert WORDS[language][stage] in rendered.text
    assert "2026-01-08 23:59 WIB" in rendered.subject and "2026-01-08 23:59 WIB" in rendered.sms


@pytest.mark.parametrize("language", ["id", "en"])
def test_each_hand_over_tells_the_new_owner_how_it_came(language):
    returned = _from_event("report.returned", language, "assignment_new").text
    assert "pemkab-3217-dinkes" in returned and "Urusan kependudukan, bukan kesehatan" in returned
    assert "pemkab-3217-disdukcapil" in returned  # the suggested agency
    escalated = _from_event("report.escalated", language, "assignment_new")
    assert {"id": "eskalasi", "en": "escalated"}[language] in escalated.subject
    assert "2026-01-05 23:59 WIB" in escalated.text and "pemkab-3217-dinkes" in escalated.text
    assigned = _from_event("report.assigned", language, "assignment_new").text
    assert "Mohon segera dicek" in assigned and "2026-01-08 23:59 WIB" in assigned
    breached = _from_event("report.escalated", language, "deadline_breached").text
    assert LONG_AGENCY in breached and "2026-01-05 23:59 WIB" in breached
    reopened = _from_event("report.reopened", language, "case_reopened").text
    assert {"id": "belum selesai", "en": "not solved"}[language] in reopened


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_escalated_reporter_hears_who_must_act_now(language):
    rendered = _from_event("report.escalated", language, "report_escalated")
    assert {"id": "dieskalasi", "en": "escalated"}[language] in rendered.subject
    assert LONG_AGENCY in rendered.text and LONG_AGENCY in rendered.sms


def _sms_to_1708(text: str):
    inbound = Inbound("GET", "/channels/sms", query={"from": ["6281234567890"], "text": [text]})
    return SmsChannel("sms").parse(inbound)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("template", ["report_responded", "report_deferred"])
def test_the_sms_reply_a_reporter_is_shown_is_one_intake_puts_on_the_report(template, language):
    """The reply forms the notices teach are the ones intake's SMS channel
    understands: a text starting with the tracking id is a follow-up."""
    rendered = render(template, language, **_values())
    example = rendered.text.split('"')[1]  # e.g. "LAP-0123456789 jalan belum diperbaiki"
    follow_up = _sms_to_1708(example)
    assert isinstance(follow_up, FollowUp) and follow_up.tracking_id == "LAP-0123456789"
    assert "SMS LAP-0123456789" in rendered.sms and "1708" in rendered.sms
    reply = rendered.sms.split("SMS ", 1)[1].split(" ke 1708")[0].split(" to 1708")[0]
    assert isinstance(_sms_to_1708(reply), FollowUp)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("template", ["report_responded", "report_deferred"])
def test_confidential_reporters_are_not_told_to_reply_by_email_or_sms(template, language):
    """intake refuses follow-ups without the PIN, which email and SMS cannot carry."""
    rendered = render(template, language, **_values(confidential=True))
    assert "PIN" in rendered.text and "PIN" in rendered.sms
    assert "1708" not in rendered.sms
    assert {"id": "Balas email ini", "en": "Reply to this email"}[language] not in rendered.text


# -- a refused email (inbound.rejected) ---------------------------------------------

FIELD_WORDS = {
    "id": {
        "region_code": "tempat kejadian (kota/kabupaten)",
        "description": "uraian masalah",
        "attachments": "hanya foto",
        "title": "judul laporan",
    },
    "en": {
        "region_code": "the place (city or regency)",
        "description": "describe the problem",
        "attachments": "only photos",
        "title": "a title",
    },
}


def _refusal(language: str, **errors):
    data = sample("inbound.rejected", errors=errors) if errors else sample("inbound.rejected")
    values = template_values("inbound.rejected", data)
    return render("inbound_rejected", language,
                  **_values(tracking_id="", tracking_url="", **values))  # fmt: skip


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("field", sorted(FIELD_WORDS["id"]))
def test_a_refused_mail_is_told_what_is_missing_in_words_and_how_to_send_again(field, language):
    rendered = _refusal(language, **{field: ["a message in English"]})
    assert FIELD_WORDS[language][field] in rendered.text
    assert "region_code" not in rendered.text  # words, not field names
    assert "a message in English" not in rendered.text
    assert FORM_URL in rendered.text and FORM_URL in rendered.html
    assert {"id": "balas email ini", "en": "reply to this email"}[language] in rendered.text
    assert UNSUBSCRIBE in rendered.text
    assert "None" not in rendered.text and "LAP-" not in rendered.text + rendered.html
    assert is_gsm7(rendered.sms) and sms_parts(rendered.sms) == 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_refusal_of_a_mail_names_each_problem_once(language):
    rendered = _refusal(language)  # the sample: region_code and attachments
    lines = [line for line in rendered.text.splitlines() if line.startswith("- ")]
    assert len(lines) == 2 + 2  # the two problems, then the two ways to send again
    assert FIELD_WORDS[language]["region_code"] in lines[1]  # sorted: attachments first
    unknown = _refusal(language, something_new=["?"]).text
    assert {"id": "data laporan lainnya", "en": "other details"}[language] in unknown


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_reply_to_the_refusal_quoting_it_names_no_place_and_no_category(language):
    """A sender who replies in full quotes our words: they must not decide the
    region or the category of the report the reply becomes."""
    text = _refusal(language).text
    for field in ("description", "title", "tracking_id", "pin", "reporter.email", "_body"):
        text += _refusal(language, **{field: ["x"]}).text
    assert recognise_region(text) is None
    assert infer_category(text) == "lainnya"


def test_a_new_assignment_gives_routings_reason_in_the_notices_language():
    data = {"reason": "civil registration is the Disdukcapil's",
            "reason_id": "administrasi kependudukan diurus Disdukcapil"}  # fmt: skip
    indonesian = _from_event("report.routed", "id", "assignment_new", **data)
    english = _from_event("report.routed", "en", "assignment_new", **data)
    assert "Alasan: administrasi kependudukan diurus Disdukcapil" in indonesian.text
    assert "Reason: civil registration is the Disdukcapil's" in english.text
    older = _from_event("report.routed", "id", "assignment_new", reason="by region")
    assert "Alasan: by region" in older.text  # an event from before reason_id
