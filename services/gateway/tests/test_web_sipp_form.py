"""The standard form of /standar/kelola: a row of the SIPP spreadsheet template."""

from __future__ import annotations

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.web import csrf, sipp
from services.gateway.web.i18n import translate
from services.sipp.demo.build import demo_standards

CONTENT = demo_standards()[0][2]
STANDARD = {"standard_id": "pemkot-3273-disdukcapil.kk-hilang", "content": CONTENT}


def test_a_standard_shown_in_the_form_reads_back_the_same():
    cells = sipp.standard_cells(STANDARD)
    assert cells["slug"] == "kk-hilang"
    form = {k: v for k, v in cells.items() if k != "complaint_via_lapor"}
    if CONTENT["complaint_handling"]["lapor"]:
        form["complaint_via_lapor"] = "true"
    posted = sipp.form_cells(form, "pemkot-3273-disdukcapil", "kk-hilang", CONTENT["demo"])
    content, errors = sipp.read_form(posted)
    assert errors == {} and content == CONTENT


def test_the_agency_and_demo_flag_come_from_the_server_not_the_form():
    form = {**sipp.standard_cells(STANDARD), "agency_code": "kemenkes", "demo": "ya"}
    del form["complaint_via_lapor"]
    cells = sipp.form_cells(form, "pemkot-3273-disdukcapil", "kk-hilang")
    assert cells["agency_code"] == "pemkot-3273-disdukcapil" and cells["demo"] == "tidak"
    assert cells["complaint_via_lapor"] == "tidak"  # an unticked box is not sent


def test_errors_are_keyed_by_field_and_an_empty_field_is_required():
    form = {**sipp.standard_cells(STANDARD), "staff_count": "", "cost_amount": "5000"}
    form["cost_legal_basis"] = ""
    cells = sipp.form_cells(form, "pemkot-3273-disdukcapil", "kk-hilang")
    content, errors = sipp.read_form(cells)
    assert content is None
    assert set(errors) == {"staff_count", "cost_legal_basis"}
    plain = sipp._plain(errors, cells)
    assert plain["staff_count"] == [sipp.REQUIRED] == plain["cost_legal_basis"]
    wrong = sipp.read_form({**cells, "staff_count": "banyak", "cost_legal_basis": "Perda 1"})[1]
    assert sipp._plain(wrong, {**cells, "staff_count": "banyak"}) == {
        "staff_count": ["'banyak' is not a whole number"]
    }


def test_a_services_refusal_lands_beside_the_fields_it_names():
    answer = {
        "error": {
            "status": 400,
            "errors": {
                "slug": ["Lower-case letters, digits and single hyphens."],
                "content": {"cost": {"legal_basis": ["A charge needs its legal basis."]},
                            "requirements": {"0": ["Shorter than minimum length 1."]}},
                "status": ["x is already published; revise it instead."],
            },
        }
    }  # fmt: skip
    assert sipp.refused_errors(answer) == {
        "slug": ["Lower-case letters, digits and single hyphens."],
        "cost_legal_basis": ["A charge needs its legal basis."],
        "requirements": ["Shorter than minimum length 1."],
        "_form": ["x is already published; revise it instead."],
    }


class _FakeSipp:
    """sipp as seen from a second tab: the standard was withdrawn in the first."""

    def __init__(self, standard: dict, withdrawn: dict):
        self.standard, self.withdrawn, self.calls = standard, withdrawn, []

    def authenticate(self, token):
        return {"actor": "admin-1", "agency_code": "pemkot-3273-disdukcapil",
                "role": "officer", "name": "Uji"}  # fmt: skip

    def agency_standards(self, token):
        return {"standards": [self.standard]}

    def withdraw_standard(self, token, standard_id, reason):
        self.calls.append((standard_id, reason))
        return self.withdrawn


def test_withdrawing_a_standard_withdrawn_already_says_so_with_sipps_409(monkeypatch):
    monkeypatch.setenv("LAPOR_WEB_SECRET", "uji-" + "x" * 20)
    sid = STANDARD["standard_id"]
    conflict = f"{sid} is withdrawn; only a published one is withdrawn."
    answer = {"error": {"status": 409, "errors": {"status": [conflict]}}}
    fake = _FakeSipp({**STANDARD, "status": "withdrawn", "version": 2}, answer)
    pages = sipp.SippPages()
    pages.sipp = fake
    data = {"csrf_token": csrf.token_for("c" * 32), sipp.WITHDRAW_REASON: "Diganti layanan baru"}
    cookie = f"lapor_csrf={'c' * 32}; lapor_session=sess_xyz"
    builder = EnvironBuilder(path=f"/standar/kelola/{sid}/tarik", method="POST", data=data,
                             headers={"Cookie": cookie})  # fmt: skip
    request = Request(builder.get_environ())
    request.environ["lapor.authenticate"] = fake.authenticate
    response = pages.withdraw_standard_page(request, sid)
    html = response.get_data(as_text=True)
    assert fake.calls == [(sid, "Diganti layanan baru")]
    assert response.status_code == 409
    assert conflict in html
    assert translate("id", "common.msg.required") not in html
