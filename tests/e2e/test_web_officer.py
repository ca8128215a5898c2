"""The officers' workspace in a real browser (Debian's Chromium through
Playwright), against the whole running system.

The acceptance flow: a citizen's report reaches the unit that must act; its
officer logs in, finds it in the inbox and verifies it; the city's
coordinator assigns it to another unit, whose officer answers it with a
photo; the citizen reads the answer and confirms, and the report is closed.
Also: a wrong password says so, a form's missing field is marked beside it,
a POST without its CSRF token is refused, an officer of another agency gets
404 for the report, and every page passes axe-core.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import report_body, wait_until
from tests.e2e.web_support import assert_accessible, screenshot

ROOT = Path(__file__).resolve().parents[2]
DUKCAPIL = "pemkot-3273-disdukcapil"
DPMPTSP = "pemkot-3273-dpmptsp"
CITY = "pemkot-3273"
KAB_DUKCAPIL = "pemkab-3204-disdukcapil"
# a 1x1 PNG: intake accepts photos by their content
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAAB"
    "JRU5ErkJggg=="
)


def _account(system, tmp: Path, agency: str, role: str) -> dict:
    """A new account with a login name and a password, made with the admins command."""
    email = f"{role}.{secrets.token_hex(4)}@{agency}.example.id"
    password = "sandi petugas " + secrets.token_urlsafe(12)
    password_file = tmp / f"{email}.txt"
    password_file.write_text(password + "\n")
    command = [sys.executable, "-m", "services.sipp.admins", "create", "--agency", agency,
               "--name", f"Uji {role}", "--role", role, "--email", email,
               "--password-file", str(password_file)]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env=dict(os.environ, **system.env), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return {"email": email, "password": password, "agency": agency}


@pytest.fixture(scope="module")
def officers(system, tmp_path_factory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("officers")
    return {
        "dukcapil": _account(system, tmp, DUKCAPIL, "officer"),
        "city": _account(system, tmp, CITY, "coordinator"),
        "dpmptsp": _account(system, tmp, DPMPTSP, "officer"),
        "kab": _account(system, tmp, KAB_DUKCAPIL, "officer"),
    }


def _log_in(system, tab, who: dict) -> None:
    tab.goto(system.url() + "/petugas/masuk")
    tab.get_by_label("Email").fill(who["email"])
    tab.get_by_label("Kata sandi").fill(who["password"])
    tab.get_by_role("button", name="Masuk").click()
    tab.wait_for_url("**/petugas")


def _log_out(tab) -> None:
    tab.get_by_role("button", name="Keluar").click()
    tab.wait_for_url("**/petugas/masuk?keluar=1")


def _open_case(system, tab, tracking_id: str) -> None:
    tab.goto(f"{system.url()}/petugas/laporan/{tracking_id}")


def _in_inbox(system, tab, tracking_id: str) -> None:
    """The inbox is tracking's projection: it follows routing within moments."""

    def listed() -> bool:
        tab.goto(system.url() + "/petugas")
        return tab.get_by_role("link", name=tracking_id).count() == 1

    wait_until(listed, 30, f"{tracking_id} in the inbox", interval=0.5)


def _status_is(system, tab, tracking_id: str, label: str) -> None:
    def shown() -> bool:
        _open_case(system, tab, tracking_id)
        return tab.locator(".status").first.inner_text() == label

    wait_until(shown, 30, f"{tracking_id} shown as {label}", interval=0.5)


def _submitted(system) -> str:
    status, accepted = system.api.submit(report_body())
    assert status == 201, accepted
    system.api.wait_routed(accepted["tracking_id"])
    return accepted["tracking_id"]


def test_an_officer_verifies_a_coordinator_assigns_another_officer_answers(
    system,
    page,
    officers,
    tmp_path,  # noqa: F811
):
    tracking_id = _submitted(system)

    # a wrong password says so, beside nothing else, and lets no one in
    page.goto(system.url() + "/petugas/masuk")
    screenshot(page, "officer-login")
    assert_accessible(page)
    page.get_by_label("Email").fill(officers["dukcapil"]["email"])
    page.get_by_label("Kata sandi").fill("bukan kata sandinya")
    page.get_by_role("button", name="Masuk").click()
    assert "Email atau kata sandi salah" in page.get_by_role("alert").inner_text()
    screenshot(page, "officer-login-wrong-password")
    assert_accessible(page)
    page.goto(system.url() + "/petugas")
    assert page.url.endswith("/petugas/masuk?next=/petugas")

    # the unit's officer finds the report in the inbox, sorted by due time
    _log_in(system, page, officers["dukcapil"])
    _in_inbox(system, page, tracking_id)
    screenshot(page, "officer-inbox")
    assert_accessible(page)
    page.get_by_role("link", name=tracking_id).click()
    page.wait_for_url(f"**/petugas/laporan/{tracking_id}")
    assert page.get_by_role("heading", name="Verifikasi", exact=True).count() == 1
    # an officer does not assign: no such form
    assert page.get_by_role("heading", name="Disposisikan", exact=True).count() == 0
    screenshot(page, "officer-case-unverified")
    assert_accessible(page)

    # a missing field is marked beside it; then the officer verifies
    form = page.locator("form[action$='/verify']")
    form.get_by_label("Kompleksitas").select_option("")
    form.get_by_role("button", name="Verifikasi").click()
    complexity = page.locator("form[action$='/verify']").get_by_label("Kompleksitas")
    assert complexity.get_attribute("aria-invalid") == "true"
    assert "Wajib diisi" in page.locator("#f-verify-complexity-error").inner_text()
    screenshot(page, "officer-case-field-error")
    assert_accessible(page)
    form = page.locator("form[action$='/verify']")
    form.get_by_label("Jenis laporan").select_option("pengaduan")
    form.get_by_label("Kategori").select_option("perizinan")
    form.get_by_label("Kompleksitas").select_option("standard")
    form.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(f"**/petugas/laporan/{tracking_id}?selesai=verify")
    assert page.locator(".status").first.inner_text() == "Terverifikasi, belum terdisposisi"
    _log_out(page)

    # the city's coordinator assigns it to the licensing unit
    _log_in(system, page, officers["city"])
    _open_case(system, page, tracking_id)
    form = page.locator("form[action$='/assign']")
    form.get_by_label("Instansi tujuan").select_option(DPMPTSP)
    screenshot(page, "officer-case-assign")
    assert_accessible(page)
    form.get_by_role("button", name="Disposisikan").click()
    page.wait_for_url(f"**/petugas/laporan/{tracking_id}?selesai=assign")
    assert "Terdisposisi" in page.locator(".status").first.inner_text()
    _log_out(page)

    # an officer of another agency: 404, exactly as a report that does not exist
    _log_in(system, page, officers["kab"])
    answer = page.goto(f"{system.url()}/petugas/laporan/{tracking_id}")
    assert answer.status == 404
    assert page.goto(f"{system.url()}/petugas/laporan/LAP-0000000000").status == 404
    screenshot(page, "officer-case-not-found")
    assert_accessible(page)
    _log_out(page)

    # the licensing unit's officer answers, with a photo
    _log_in(system, page, officers["dpmptsp"])
    _in_inbox(system, page, tracking_id)
    page.get_by_role("link", name=tracking_id).click()
    photo = tmp_path / "bukti.png"
    photo.write_bytes(PNG)
    form = page.locator("form[action$='/respond']")
    form.get_by_label("Tanggapan kepada pelapor").fill(
        "Izin Anda sudah terbit; silakan ambil di loket 3 hari kerja berikutnya."
    )
    form.get_by_label("Lampiran").set_input_files(str(photo))
    screenshot(page, "officer-case-respond")
    form.get_by_role("button", name="Kirim tanggapan").click()
    page.wait_for_url(f"**/petugas/laporan/{tracking_id}?selesai=respond")
    assert page.locator(".status").first.inner_text() == "Sudah ditanggapi"
    screenshot(page, "officer-case-responded")
    assert_accessible(page)
    _log_out(page)

    # the citizen reads the answer and confirms: the report is closed
    _citizen_confirms(system, page, tracking_id)
    _log_in(system, page, officers["dpmptsp"])
    _status_is(system, page, tracking_id, "Selesai")
    timeline = page.locator(".timeline").inner_text()
    for step in ("Diverifikasi", "Didisposisikan ke instansi", "Ditanggapi instansi", "Selesai"):
        assert step in timeline
    assert "Pejabat penghubung" in timeline and "Koordinator instansi" in timeline
    screenshot(page, "officer-case-closed")
    assert_accessible(page)


def _citizen_confirms(system, page, tracking_id: str) -> None:  # noqa: F811
    """The citizen's tracking page (web-citizen's) shows the answer; confirm it."""

    def answered() -> bool:
        page.goto(f"{system.url()}/lacak/{tracking_id}")
        return any("loket 3" in text for text in page.locator(".answer").all_inner_texts())

    wait_until(answered, 30, "the answer on the tracking page", interval=0.5)
    screenshot(page, "officer-flow-citizen-sees-answer")
    page.get_by_role("button", name="Nyatakan selesai").click()
    page.wait_for_load_state()


def test_a_form_without_its_csrf_token_is_refused(system, page, officers):  # noqa: F811
    tracking_id = _submitted(system)
    _log_in(system, page, officers["dukcapil"])
    _status_is(system, page, tracking_id, "Belum terverifikasi")
    # the browser's own cookies (session and CSRF) go along; only the token is missing
    answer = page.request.post(
        f"{system.url()}/petugas/laporan/{tracking_id}/accept", form={"accept.x": "1"}
    )
    assert answer.status == 403
    assert "token keamanan" in answer.text()
    forged = page.request.post(
        f"{system.url()}/petugas/laporan/{tracking_id}/defer",
        form={"csrf_token": "0" * 64, "defer.note": "Mohon lengkapi."},
    )
    assert forged.status == 403
    _open_case(system, page, tracking_id)
    assert page.locator(".status").first.inner_text() == "Belum terverifikasi"
    logout = page.request.post(f"{system.url()}/petugas/keluar", form={})
    assert logout.status == 403
    page.goto(system.url() + "/petugas")
    assert page.url.endswith("/petugas")  # still logged in
