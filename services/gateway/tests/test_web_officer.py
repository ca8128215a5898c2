"""The officers' pages without a browser: the forms' fields become the agency
API's parameters, errors come back beside their fields, the case page offers
exactly the actions routing allows, and logging in never sends you off-site."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.web import officer, session
from services.gateway.web.i18n import MESSAGES
from services.gateway.web.officer_i18n import officer_words
from services.gateway.web.render import render

ACCOUNT = {"actor": "admin-1", "agency_code": "pemkot-3273", "role": "coordinator", "name": "Uji"}
CASE = {
    "tracking_id": "LAP-7K3M9QXT2B",
    "status": "verified",
    "owner": "pemkot-3273-disdukcapil",
    "owner_name": "Disdukcapil Kota Bandung",
    "stage": "verification",
    "due_at": "2026-11-25T16:59:59+00:00",
    "anonymous": True,
    "confidential": False,
    "report_type": "pengaduan",
    "category": "kependudukan",
    "complexity": "standard",
}
TIMELINE = [
    {"type": "report.submitted", "time": "2026-11-20T01:00:00+00:00", "actor": None,
     "actor_role": "reporter", "actor_agency": None},
    {"type": "report.verified", "time": "2026-11-21T02:00:00+00:00", "actor": "admin-9",
     "actor_role": "officer", "actor_agency": "pemkot-3273-disdukcapil", "status": "verified"},
]  # fmt: skip


@pytest.fixture(autouse=True)
def web_secret(monkeypatch):
    monkeypatch.setenv("LAPOR_WEB_SECRET", "uji-" + "x" * 20)


def _request(path: str = "/petugas/laporan/LAP-7K3M9QXT2B", **kw) -> Request:
    return Request(EnvironBuilder(path=path, **kw).get_environ())


def test_an_actions_form_gives_only_its_own_non_empty_fields():
    form = MultiDict({"merge.into": " lap-7k3m9qxt2c ", "defer.note": "x", "merge.other": "y"})
    assert officer.action_params("merge", form) == {"into": "LAP-7K3M9QXT2C"}
    form = MultiDict({"return.reason": "Bukan wewenang.", "return.suggested_agency": ""})
    assert officer.action_params("return", form) == {"reason": "Bukan wewenang."}
    assert officer.action_params("accept", MultiDict({"accept.x": "1"})) == {}
    assert officer.action_params("unknown", MultiDict({"unknown.a": "1"})) == {}


def test_errors_come_back_under_the_forms_field_names():
    errors = {"complexity": ["Missing data for required field."], "status": ["Cannot verify."]}
    shown = officer.action_errors("verify", errors, "id")
    assert shown == {"verify.complexity": ["Wajib diisi."], "verify._form": ["Cannot verify."]}
    assert officer.action_errors("verify", errors, "en")["verify.complexity"] == [
        "This field is required."
    ]


def test_the_inbox_query_drops_empty_filters_and_pages_keep_them():
    args = officer.inbox_args(MultiDict({"status": "", "region_code": "32.73.", "page": "2"}))
    assert args == {"region_code": "32.73", "page": "2"}
    links = officer.page_links({"total": 45, "page": 2}, {"status": "unverified"})
    assert links["pages"] == 3
    assert links["previous"] == "/petugas?status=unverified&page=1"
    assert links["next"] == "/petugas?status=unverified&page=3"
    assert officer.page_links({"total": 0, "page": 1}, {})["next"] is None


@pytest.mark.parametrize(
    ("asked", "goes"),
    [
        ("/standar/kelola", "/standar/kelola"),
        ("/petugas/laporan/LAP-7K3M9QXT2B", "/petugas/laporan/LAP-7K3M9QXT2B"),
        ("//evil.example/", "/petugas"),
        ("/\\evil.example/", "/petugas"),
        ("https://evil.example/", "/petugas"),
        ("", "/petugas"),
        (None, "/petugas"),
    ],
)
def test_after_login_only_a_path_of_this_site(asked, goes):
    assert session.local_path(asked) == goes


def test_only_a_session_cookie_is_looked_up():
    asks = []
    request = _request(headers={"Cookie": "lapor_session=sipp_not-a-session"})
    request.environ["lapor.authenticate"] = asks.append
    assert session.current_account(request) is None and asks == []
    request = _request(headers={"Cookie": "lapor_session=sess_abc"})
    request.environ["lapor.authenticate"] = lambda token: {**ACCOUNT, "token": token}
    assert session.current_account(request)["token"] == "sess_abc"


def _case_page(actions, errors=None, lang="id", choices=None) -> str:
    request = _request(query_string={"lang": lang})
    report = {"tracking_id": CASE["tracking_id"], "title": "KTP-el belum jadi",
              "description": "Sudah tiga bulan.", "timeline": TIMELINE, "reporter": None,
              "case": CASE}  # fmt: skip
    default = {"report_types": ("pengaduan",), "categories": ("kependudukan",),
               "complexities": ("simple", "standard"), "archive_reasons": ("duplicate",),
               "assign_to": [("pemkot-3273-dpmptsp", "DPMPTSP")], "dispose_to": []}  # fmt: skip
    response = render(request, "officer/case.html", account=ACCOUNT, report=report, case=CASE,
                      actions=actions, choices=choices or default, errors=errors or {},
                      form=MultiDict(), done=None)  # fmt: skip
    return response.get_data(as_text=True)


def test_the_case_page_offers_exactly_the_allowed_actions():
    html = _case_page(["verify", "assign", "dispose", "archive"])
    posted_to = set(re.findall(r'action="/petugas/laporan/LAP-7K3M9QXT2B/(\w+)"', html))
    assert posted_to == {"verify", "assign", "archive"}  # no unit to dispose to: no form
    assert 'value="pemkot-3273-dpmptsp"' in html
    assert "Tidak ada tindakan" in _case_page([])


def test_a_fields_error_is_shown_beside_it_and_tied_to_it():
    html = _case_page(["verify"], {"verify.complexity": ["Wajib diisi."]})
    field = re.search(r"<select[^>]*id=\"f-verify-complexity\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="f-verify-complexity-error"' in field
    assert re.search(r'id="f-verify-complexity-error">Wajib diisi\.<', html)


def test_the_audit_trail_names_each_actors_role_in_the_pages_language():
    html = _case_page([], lang="en")
    assert "by Liaison officer" in html and "by Reporter" in html
    assert "officer." not in re.sub(r"<[^>]+>", "", html)  # no key left untranslated


def test_every_officer_word_is_in_both_languages():
    for key in officer_words():
        assert key in MESSAGES["id"] and key in MESSAGES["en"], key


def test_the_inbox_marks_an_overdue_report_in_words_not_only_colour():
    item = {"tracking_id": "LAP-7K3M9QXT2B", "title": "KTP-el belum jadi", "status": "escalated",
            "owner": {"code": "pemkot-3273", "name": "Pemkot Bandung"}, "agency": None,
            "due_at": "2026-11-20T16:59:59+00:00", "overdue": True,
            "submitted_at": "2026-11-10T01:00:00+00:00"}  # fmt: skip
    found = {"items": [item, {**item, "tracking_id": "LAP-7K3M9QXT2C", "overdue": False}],
             "total": 2, "page": 1, "per_page": 20}  # fmt: skip
    response = render(_request("/petugas"), "officer/inbox.html", account=ACCOUNT, found=found,
                      args={}, errors={}, paging=officer.page_links(found, {}),
                      statuses=("escalated",), categories=("kependudukan",))  # fmt: skip
    rows = re.findall(r"<tr[^>]*>.*?</tr>", response.get_data(as_text=True), re.S)[1:]
    assert ["Terlambat" in row for row in rows] == [True, False]
    assert "20 Nov 2026 23.59 WIB" in rows[0]
