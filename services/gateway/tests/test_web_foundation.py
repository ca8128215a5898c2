"""The web foundation: language choice, rendering, CSRF tokens, field errors,
and the citizen form's pure helpers."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest
from nameko.exceptions import UnknownService
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.web import csrf, i18n
from services.gateway.web.citizen import (
    CitizenPages,
    region_choice,
    signed,
    submission_fields,
    unsigned,
)
from services.gateway.web.forms import field_errors, field_id, flatten, whole_number
from services.gateway.web.render import language, redirect, render, when

SECRET = "a-test-secret-of-enough-length"


@pytest.fixture(autouse=True)
def web_secret(monkeypatch):
    monkeypatch.setenv("LAPOR_WEB_SECRET", SECRET)


def request(path="/", query="", cookies=None, method="GET", data=None) -> Request:
    builder = EnvironBuilder(path=path, query_string=query, method=method, data=data)
    for name, value in (cookies or {}).items():
        builder.headers.add("Cookie", f"{name}={value}")
    return Request(builder.get_environ())


def set_cookies(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


# --- i18n -------------------------------------------------------------------


def test_both_languages_have_the_same_keys():
    assert set(i18n.MESSAGES["id"]) == set(i18n.MESSAGES["en"])
    assert all(
        i18n.MESSAGES[lang][k].strip() for lang in i18n.LANGUAGES for k in i18n.MESSAGES[lang]
    )


def test_placeholders_match_between_languages():
    names = re.compile(r"{(\w+)}")
    for key, text in i18n.MESSAGES["id"].items():
        assert set(names.findall(text)) == set(names.findall(i18n.MESSAGES["en"][key])), key


def test_every_category_has_a_name_in_both_languages():
    assert i18n.translate("id", "common.category.perumahan") == "Tempat tinggal"
    assert i18n.translate("en", "common.category.perumahan") == "Housing"


def test_an_unknown_key_shows_itself():
    assert i18n.translate("en", "common.no-such-key") == "common.no-such-key"


def test_language_from_query_then_cookie_then_indonesian():
    assert language(request()) == "id"
    assert language(request(query="lang=en")) == "en"
    assert language(request(cookies={"lang": "en"})) == "en"
    assert language(request(query="lang=fr", cookies={"lang": "xx"})) == "id"


# --- render -----------------------------------------------------------------


def test_render_is_indonesian_by_default_and_sets_the_csrf_cookie():
    response = render(request(), "citizen/home.html")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert '<html lang="id">' in page and "Sampaikan laporan Anda" in page
    cookie = set_cookies(response)[csrf.COOKIE]
    assert "HttpOnly" in response.headers.getlist("Set-Cookie")[0]
    assert "SameSite=Lax" in response.headers.getlist("Set-Cookie")[0]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert len(cookie) >= 20


def test_lang_switch_is_remembered_and_links_to_the_other_language():
    response = render(request("/laporan", query="status=closed&lang=en"), "citizen/home.html")
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "Make your report" in page
    assert set_cookies(response)["lang"] == "en"
    assert 'href="/laporan?status=closed&amp;lang=id"' in page


def test_render_escapes_what_it_is_given():
    response = render(
        request(), "citizen/sent.html", tracking_id="<script>alert(1)</script>", pin=None
    )
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert "&lt;script&gt;" in response.get_data(as_text=True)


def test_redirect_is_see_other():
    response = redirect("/lacak/LAP-7K3M9QXT2B")
    assert response.status_code == 303 and response.headers["Location"] == "/lacak/LAP-7K3M9QXT2B"


def test_times_are_shown_in_jakarta_time():
    assert when("2026-11-22T17:30:00+00:00", "id") == "23 Nov 2026 00.30 WIB"
    assert when("2026-05-03", "en") == "3 May 2026"
    assert when(None) == "—"


# --- csrf -------------------------------------------------------------------


def post(token: str | None, cookie: str | None) -> Request:
    data = {"csrf_token": token} if token is not None else {}
    return request(
        "/lapor", method="POST", data=data, cookies={csrf.COOKIE: cookie} if cookie else None
    )


def test_a_form_with_the_token_of_its_cookie_passes():
    cookie = csrf.new_cookie()
    assert csrf.csrf_refused(post(csrf.token_for(cookie), cookie)) is None


@pytest.mark.parametrize("case", ["no token", "no cookie", "other cookie", "not hmac"])
def test_a_form_without_the_right_token_is_refused_with_403(case):
    cookie = csrf.new_cookie()
    token = {
        "no token": None,
        "no cookie": csrf.token_for(cookie),
        "other cookie": csrf.token_for(csrf.new_cookie()),
        "not hmac": cookie,
    }[case]
    refused = csrf.csrf_refused(post(token, None if case == "no cookie" else cookie))
    assert refused is not None and refused.status_code == 403
    assert "Formulir ditolak" in refused.get_data(as_text=True)


def test_tokens_depend_on_the_secret(monkeypatch):
    first = csrf.token_for("cookie-value-of-some-length")
    monkeypatch.setenv("LAPOR_WEB_SECRET", "another-secret-of-enough-length")
    assert csrf.token_for("cookie-value-of-some-length") != first


def test_no_secret_no_tokens(monkeypatch):
    monkeypatch.setenv("LAPOR_WEB_SECRET", "short")
    with pytest.raises(RuntimeError, match="LAPOR_WEB_SECRET"):
        csrf.token_for("x" * 30)


def test_signed_values_cannot_be_forged_or_moved():
    cookie = signed("12345678", "pin:LAP-7K3M9QXT2B")
    assert unsigned(cookie, "pin:LAP-7K3M9QXT2B") == "12345678"
    assert unsigned(cookie, "pin:LAP-0000000000") is None
    assert unsigned("87654321." + cookie.split(".")[1], "pin:LAP-7K3M9QXT2B") is None
    assert unsigned(None, "pin:x") is None


# --- forms ------------------------------------------------------------------


def test_nested_errors_become_dotted_fields_in_the_page_language():
    errors = {
        "title": ["Length must be between 5 and 200."],
        "reporter": {"email": ["Not a valid email address."]},
        "region_code": ["No such region in the Kemendagri codes."],
        "_schema": ["Something else entirely."],
    }
    assert flatten(errors)["reporter.email"] == ["Not a valid email address."]
    shown = field_errors(errors, "id", {"region_code": "province"})
    assert shown == {
        "title": ["Panjang isian harus 5 sampai 200 karakter."],
        "reporter.email": ["Alamat email tidak valid."],
        "province": ["Wilayah tidak dikenal."],
        "_schema": ["Something else entirely."],
    }
    assert field_errors(errors, "en")["title"] == ["Use 5 to 200 characters."]
    counted = {
        "attachments": [
            "Attachments may be at most 2,097,152 bytes in total.",
            "Attachment 2 is not a photo (JPEG, PNG, GIF, WebP) or a PDF document.",
        ],
        "reporter": {"name": ["Longer than maximum length 200."]},
    }
    assert field_errors(counted, "id") == {
        "attachments": [
            "Lampiran paling banyak 2 MB seluruhnya.",
            "Lampiran ke-2 bukan foto (JPEG, PNG, GIF, WebP) atau dokumen PDF.",
        ],
        "reporter.name": ["Paling banyak 200 karakter."],
    }
    assert field_id("reporter.email") == "f-reporter-email"


def test_error_summary_links_to_fields_that_describe_their_errors():
    from services.gateway.web.citizen import CATEGORIES, REPORT_TYPES

    values = {"title": "KTP", "idempotency_key": "k", "target_agency": "ojk"}
    agencies = [{"label": "Instansi pusat", "options": [("kemenkes", "Kemenkes"), ("ojk", "OJK")]}]
    page = render(
        request("/lapor"), "citizen/report_form.html", values=values,
        errors={"title": ["Terlalu pendek."]}, region=region_choice(values),
        categories=CATEGORIES, report_types=REPORT_TYPES, agencies=agencies,
    ).get_data(as_text=True)  # fmt: skip
    assert '<a href="#f-title">Judul: Terlalu pendek.</a>' in page
    assert 'id="f-title-error">Terlalu pendek.</p>' in page
    field = re.search(r'<input type="text" id="f-title"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and "f-title-error" in field
    # the target agency is a choice of codes, grouped, the one chosen kept
    assert '<optgroup label="Instansi pusat">' in page
    assert '<option value="ojk" selected>OJK</option>' in page
    assert '<option value="kemenkes">Kemenkes</option>' in page


# --- the report form's helpers ------------------------------------------------


def test_regions_are_kept_only_inside_the_level_above():
    chosen = region_choice({"province": "32", "regency": "32.73", "district": "32.73.02"})
    assert (chosen["province"], chosen["regency"], chosen["district"]) == (
        "32",
        "32.73",
        "32.73.02",
    )
    assert ("32.73", "Kota Bandung") in chosen["regencies"]
    assert len(chosen["provinces"]) == 38
    moved = region_choice({"province": "31", "regency": "32.73", "district": "32.73.02"})
    assert (moved["regency"], moved["district"], moved["districts"]) == ("", "", [])


def test_submission_fields_as_intake_reads_them():
    values = {
        "title": " Jalan rusak ", "description": "Lubang besar di depan sekolah.",
        "category": "", "province": "32", "regency": "32.73", "district": "",
        "reporter.email": "a@example.id", "confidential": "true",
        "target_agency": "pemkot-3273-dpupr",
    }  # fmt: skip
    fields = dict(submission_fields(values))
    assert fields["title"] == "Jalan rusak"
    assert fields["region_code"] == "32.73" and "category" not in fields
    assert fields["confidential"] == "true" and fields["anonymous"] == "false"
    assert fields["target_agency"] == "pemkot-3273-dpupr"  # a field of its own
    assert fields["description"] == "Lubang besar di depan sekolah."
    assert fields["reporter.email"] == "a@example.id"
    assert "target_agency" not in dict(submission_fields({**values, "target_agency": ""}))


class Catalogue:
    """sipp's `list_agencies` over a few agencies; `down` makes it fail as an absent service."""

    AGENCIES = [
        {"code": "pemkot-3273-dinkes", "name": "Dinas Kesehatan Kota Bandung", "kind": "unit",
         "region_code": "32.73"},
        {"code": "pemkot-3273", "name": "Pemerintah Kota Bandung", "kind": "city",
         "region_code": "32.73"},
        {"code": "pemprov-32", "name": "Pemerintah Provinsi Jawa Barat", "kind": "province",
         "region_code": "32"},
        {"code": "ojk", "name": "Otoritas Jasa Keuangan", "kind": "national_agency",
         "region_code": None},
        {"code": "kemenkes", "name": "Kementerian Kesehatan", "kind": "ministry",
         "region_code": None},
    ]  # fmt: skip

    def __init__(self, down=False):
        self.down = down

    def list_agencies(self, region_code, kind, limit, offset):
        if self.down:
            raise UnknownService("sipp")
        return [
            a
            for a in self.AGENCIES
            if (region_code is None or a["region_code"] == region_code)
            and (kind is None or a["kind"] == kind)
        ]


def agency_groups(chosen, catalogue, lang="id"):
    pages = CitizenPages()
    pages.sipp = catalogue
    return pages._agency_groups({"province": "", "regency": "", **chosen}, lang)


def test_the_form_offers_the_agencies_of_the_place_then_the_national_ones():
    groups = agency_groups({"province": "32", "regency": "32.73"}, Catalogue())
    assert [g["label"] for g in groups] == [
        "Instansi di Kota Bandung",
        "Instansi di Jawa Barat",
        "Instansi pusat",
    ]
    assert groups[0]["options"] == [  # the government before its units
        ("pemkot-3273", "Pemerintah Kota Bandung"),
        ("pemkot-3273-dinkes", "Dinas Kesehatan Kota Bandung"),
    ]
    assert [c for c, _ in groups[2]["options"]] == ["kemenkes", "ojk"]
    english = agency_groups({}, Catalogue(), "en")
    assert [g["label"] for g in english] == ["National agencies"]


def test_without_the_catalogue_the_form_offers_no_agencies_but_still_shows():
    assert agency_groups({"province": "32", "regency": "32.73"}, Catalogue(down=True)) == []


def test_a_page_number_is_ascii_digits_in_range_else_none():
    assert [whole_number(raw) for raw in ("2", "0", "-1", "²", "٣", "1e3", "", None)] == [
        2, None, None, None, None, None, None, None,
    ]  # fmt: skip
    assert whole_number("10000", 10_000) is None and whole_number("9999", 10_000) == 9999
