"""The login's second step and the account page, without a browser: sipp is a
fake that answers as services/sipp/adapters/sessions.py does."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.web import csrf, session

ACCOUNT = {"actor": "admin-1", "agency_code": "pemkot-3273-dinkes", "role": "officer",
           "name": "Uji"}  # fmt: skip
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
URI = f"otpauth://totp/LAPOR%21:uji%40example.id?secret={SECRET}&issuer=LAPOR%21"


@pytest.fixture(autouse=True)
def web_secret(monkeypatch):
    monkeypatch.setenv("LAPOR_WEB_SECRET", "uji-" + "x" * 20)


class FakeSipp:
    def __init__(self, **answers):
        self.answers, self.calls = answers, []

    def __getattr__(self, name):
        def call(*args):
            self.calls.append((name, args))
            return self.answers[name]

        return call


class Pages(session.SessionPages):
    def __init__(self, sipp: FakeSipp):
        self.sipp = sipp


def _post(path: str, form: dict, cookies: dict | None = None) -> Request:
    jar = {"lapor_csrf": "c" * 32, **(cookies or {})}
    data = {"csrf_token": csrf.token_for("c" * 32), **form}
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    builder = EnvironBuilder(path=path, method="POST", data=data, headers={"Cookie": cookie})
    return Request(builder.get_environ())


def _get(path: str, cookies: dict) -> Request:
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return Request(EnvironBuilder(path=path, headers={"Cookie": cookie}).get_environ())


def test_only_six_digits_are_a_code():
    assert session.typed_code({"code": " 123 456 "}) == "123456"
    assert session.typed_code({"code": "123-456"}) == "123456"
    for bad in ("12345", "1234567", "abcdef", ""):
        assert session.typed_code({"code": bad}) is None


def test_a_right_password_of_an_account_with_a_second_factor_asks_for_the_code():
    sipp = FakeSipp(login={"totp_required": True, "challenge": "mfa_abc", "challenge_seconds": 300})
    form = {"email": "uji@example.id", "password": "kata sandi panjang", "next": "/petugas?x=1"}
    answer = Pages(sipp).officer_login(_post("/petugas/masuk", form))
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/petugas/masuk/kode?next=%2Fpetugas%3Fx%3D1"
    cookies = answer.headers.getlist("Set-Cookie")
    assert not any(c.startswith("lapor_session=") for c in cookies)  # no session yet
    [challenge] = [c for c in cookies if c.startswith("lapor_login_challenge=")]
    assert "mfa_abc" in challenge and "Path=/petugas/masuk" in challenge
    assert "HttpOnly" in challenge and "SameSite=Strict" in challenge and "Max-Age=300" in challenge


def test_the_code_gives_the_session_and_ends_the_challenge():
    sipp = FakeSipp(login_code={"session": "sess_xyz", "account": ACCOUNT, "idle_seconds": 1})
    request = _post("/petugas/masuk/kode", {"code": "123 456", "next": "/petugas/akun"},
                    {"lapor_login_challenge": "mfa_abc"})  # fmt: skip
    answer = Pages(sipp).officer_login_code(request)
    assert sipp.calls == [("login_code", ("mfa_abc", "123456"))]
    assert answer.status_code == 303 and answer.headers["Location"] == "/petugas/akun"
    cookies = answer.headers.getlist("Set-Cookie")
    assert any(c.startswith("lapor_session=sess_xyz") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("lapor_login_challenge=;") for c in cookies)


def test_a_wrong_code_is_said_beside_the_field_and_a_late_one_sends_back_to_log_in():
    wrong = {
        "error": {"status": 401, "errors": {"code": ["The code is wrong or was already used."]}}
    }
    pages = Pages(FakeSipp(login_code=wrong))
    jar = {"lapor_login_challenge": "mfa_abc"}
    answer = pages.officer_login_code(_post("/petugas/masuk/kode", {"code": "000000"}, jar))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 401
    assert re.search(r'id="f-code-error">Kode salah atau sudah pernah dipakai', html)
    malformed = pages.officer_login_code(_post("/petugas/masuk/kode", {"code": "12"}, jar))
    assert malformed.status_code == 400 and pages.sipp.calls == [
        ("login_code", ("mfa_abc", "000000"))
    ]
    late = {"error": {"status": 401, "errors": {"login": ["Log in again."]}}}
    answer = Pages(FakeSipp(login_code=late)).officer_login_code(
        _post("/petugas/masuk/kode", {"code": "123456"}, jar)
    )
    assert answer.status_code == 401 and 'action="/petugas/masuk"' in answer.get_data(as_text=True)
    assert "Waktu untuk memasukkan kode sudah habis" in answer.get_data(as_text=True)
    # no challenge cookie at all: the code page sends to the login page
    assert (
        Pages(FakeSipp()).officer_login_code_form(_get("/petugas/masuk/kode", {})).status_code
        == 303
    )


def test_the_account_page_shows_the_secret_being_set_up_and_never_is_cached():
    pending = {"enabled": False, "pending": {"secret": SECRET, "uri": URI}}
    sipp = FakeSipp(authenticate=ACCOUNT, totp_status=pending)
    request = _get("/petugas/akun", {"lapor_session": "sess_xyz"})
    request.environ["lapor.authenticate"] = sipp.authenticate
    answer = Pages(sipp).officer_account(request)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-store"
    assert f'value="{SECRET}"' in html and URI.replace("&", "&amp;") in html
    assert 'action="/petugas/akun/2fa/aktifkan"' in html
    assert 'action="/petugas/akun/2fa/matikan"' not in html


@pytest.mark.parametrize(
    "target", ["/\t/evil.com", "/\\evil.com", "//evil.com", "https://x", "/\n/evil.com",
               "/\x00/evil.com", "http:/evil.com", "evil.com", "", None]
)  # fmt: skip
def test_after_logging_in_only_a_path_of_this_site_is_followed(target):
    assert session.local_path(target) == "/petugas"


def test_after_logging_in_a_path_of_this_site_is_followed():
    assert session.local_path("/petugas") == "/petugas"
    assert session.local_path("/petugas/laporan/LPR-1?x=1") == "/petugas/laporan/LPR-1?x=1"


def test_an_account_blocked_by_wrong_codes_is_told_to_ask_its_agency_admin():
    blocked = {"error": {"status": 403, "errors": {"login": ["Too many wrong codes."]},
                         "totp_blocked": True}}  # fmt: skip
    jar = {"lapor_login_challenge": "mfa_abc"}
    answer = Pages(FakeSipp(login_code=blocked)).officer_login_code(
        _post("/petugas/masuk/kode", {"code": "123456"}, jar)
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 403 and 'action="/petugas/masuk"' in html
    assert "Hubungi admin instansi Anda" in html
    assert any(
        c.startswith("lapor_login_challenge=;") for c in answer.headers.getlist("Set-Cookie")
    )
    # the password step of a blocked account says the same
    form = {"email": "uji@example.id", "password": "kata sandi panjang"}
    answer = Pages(FakeSipp(login=blocked)).officer_login(_post("/petugas/masuk", form))
    assert answer.status_code == 403
    assert "Hubungi admin instansi Anda" in answer.get_data(as_text=True)


def _account_post(sipp: FakeSipp, step: str, form: dict) -> Request:
    request = _post(f"/petugas/akun/2fa/{step}", form, {"lapor_session": "sess_xyz"})
    request.environ["lapor.authenticate"] = sipp.authenticate
    return request


def test_turning_it_on_sends_the_password_with_the_code():
    pending = {"enabled": False, "pending": {"secret": SECRET, "uri": URI}}
    sipp = FakeSipp(authenticate=ACCOUNT, totp_status=pending, totp_enable={"enabled": True})
    form = {"code": "123 456", "password": "kata sandi panjang"}
    answer = Pages(sipp).officer_second_factor(_account_post(sipp, "aktifkan", form), "aktifkan")
    assert answer.status_code == 303 and answer.headers["Location"] == "/petugas/akun?ok=on"
    assert ("totp_enable", ("sess_xyz", "123456", "kata sandi panjang")) in sipp.calls
    # without the password, sipp is not asked; the form says what is missing
    sipp.calls.clear()
    form = {"code": "123456"}
    answer = Pages(sipp).officer_second_factor(_account_post(sipp, "aktifkan", form), "aktifkan")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'id="f-password-error"' in html
    assert not any(name == "totp_enable" for name, _ in sipp.calls)
    assert 'type="password"' in html and 'name="password"' in html
    # a wrong password is said beside its field
    wrong = {"error": {"status": 400, "errors": {"password": ["The password is wrong."]}}}
    sipp = FakeSipp(authenticate=ACCOUNT, totp_status=pending, totp_enable=wrong)
    form = {"code": "123456", "password": "salah sekali sandinya"}
    answer = Pages(sipp).officer_second_factor(_account_post(sipp, "aktifkan", form), "aktifkan")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert re.search(r'id="f-password-error">\s*(<[^>]+>)?\s*Kata sandi salah', html), html
