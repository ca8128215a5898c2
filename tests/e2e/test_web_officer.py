"""The officers' workspace in a real browser (Debian's Chromium through
Playwright), against the whole running system.

The acceptance flow: a citizen's report with a photo reaches the unit that
must act; its officer logs in, finds it in the inbox, downloads the photo and
verifies it; the city's coordinator assigns it to another unit, whose officer
answers it with a document; the citizen reads the answer, downloads both files
and confirms, and the report is closed.
Also: a wrong password says so, a form's missing field is marked beside it,
a POST without its CSRF token is refused, an officer of another agency gets
404 for the report and its files, a confidential report's files need its PIN,
an officer turns on two-step verification and then logs in with the code of
the authenticator app (a code works once), and every page passes axe-core.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pyotp
import pytest
import requests
from PIL import Image, PngImagePlugin

from tests.e2e.conftest import report_body, wait_until
from tests.e2e.web_support import assert_accessible, screenshot

ROOT = Path(__file__).resolve().parents[2]
DUKCAPIL = "pemkot-3273-disdukcapil"
DPMPTSP = "pemkot-3273-dpmptsp"
CITY = "pemkot-3273"
KAB_DUKCAPIL = "pemkab-3204-disdukcapil"


def _photo_naming_its_maker() -> bytes:
    """A 1x1 PNG whose text chunk names the reporter: intake accepts photos by
    their content and keeps them without such metadata."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Budi Santoso, Jl. Merdeka 12")
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "red").save(out, "PNG", pnginfo=text)
    return out.getvalue()


PNG = _photo_naming_its_maker()
# a small PDF: what an officer attaches to an answer
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


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


def _submitted_with_photo(system, confidential: bool = False) -> dict:
    """A report with a photo, sent as multipart to the REST API:
    {"tracking_id", "pin"}."""
    body = report_body()
    fields = {k: v for k, v in body.items() if k != "reporter"}
    fields.update({f"reporter.{k}": v for k, v in body["reporter"].items()})
    fields["confidential"] = "true" if confidential else "false"
    answer = requests.post(
        system.url() + "/api/v1/reports",
        data=fields,
        files=[("attachments", ("bukti.png", PNG, "image/png"))],
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    accepted = answer.json()
    system.api.wait_routed(accepted["tracking_id"], pin=accepted.get("pin"))
    return accepted


def _file_links(tab) -> list[tuple[str, str]]:
    """(text, href) of each attachment listed on the page."""
    links = tab.locator("ul.attachments a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in
            range(links.count())]  # fmt: skip


def _downloaded(tab, href: str, confidential: bool = True):
    """The file behind a listed link, fetched with the tab's cookies; checks
    that it comes as a download, of its type, never sniffed, and (confidential
    or an officer's) never cached."""
    answer = tab.request.get(href)
    assert answer.status == 200, answer.status
    headers = answer.headers
    name = href.rsplit("/", 1)[1][:12]
    assert re.fullmatch(rf'attachment; filename="lampiran-LAP-[0-9A-Z]{{10}}-{name}\.(png|pdf)"',
                        headers["content-disposition"])  # fmt: skip
    assert headers["x-content-type-options"] == "nosniff"
    assert ("no-store" in headers["cache-control"]) is confidential
    return answer.body(), headers["content-type"]


def _kept_photo(tab, href: str, confidential: bool = True) -> bytes:
    """The reporter's photo as intake kept it: named by its own hash, the same
    picture, without the text chunk that named the reporter."""
    content, media_type = _downloaded(tab, href, confidential)
    assert media_type == "image/png"
    assert hashlib.sha256(content).hexdigest() == href.rsplit("/", 1)[1]
    assert b"tEXt" not in content and b"Budi" not in content and b"Budi" in PNG
    assert Image.open(io.BytesIO(content)).getpixel((0, 0)) == (255, 0, 0)
    return content


def test_an_officer_verifies_a_coordinator_assigns_another_officer_answers(
    system,
    page,
    officers,
    tmp_path,  # noqa: F811
):
    accepted = _submitted_with_photo(system)
    tracking_id = accepted["tracking_id"]

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

    # the citizen's photo is listed, and downloads as intake kept it: without metadata
    [(text, photo_href)] = _file_links(page)
    assert text == "Gambar PNG dari pelapor, 1 kB"
    with page.expect_download() as download:
        page.get_by_role("link", name=text).click()
    photo = _kept_photo(page, photo_href)
    assert Path(download.value.path()).read_bytes() == photo
    assert download.value.suggested_filename.startswith(f"lampiran-{tracking_id}-")

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
    assert page.request.get(system.url() + photo_href).status == 404  # nor its files
    screenshot(page, "officer-case-not-found")
    assert_accessible(page)
    _log_out(page)

    # the licensing unit's officer answers, with a photo
    _log_in(system, page, officers["dpmptsp"])
    _in_inbox(system, page, tracking_id)
    page.get_by_role("link", name=tracking_id).click()
    letter = tmp_path / "surat-izin.pdf"
    letter.write_bytes(PDF)
    form = page.locator("form[action$='/respond']")
    form.get_by_label("Tanggapan kepada pelapor").fill(
        "Izin Anda sudah terbit; silakan ambil di loket 3 hari kerja berikutnya."
    )
    form.get_by_label("Lampiran").set_input_files(str(letter))
    screenshot(page, "officer-case-respond")
    form.get_by_role("button", name="Kirim tanggapan").click()
    page.wait_for_url(f"**/petugas/laporan/{tracking_id}?selesai=respond")
    assert page.locator(".status").first.inner_text() == "Sudah ditanggapi"
    listed = _file_links(page)
    assert [text for text, _ in listed] == [
        "Gambar PNG dari pelapor, 1 kB",
        "Dokumen PDF dari instansi, 1 kB",
    ]
    letter_href = listed[1][1]
    assert _downloaded(page, letter_href) == (PDF, "application/pdf")
    screenshot(page, "officer-case-responded")
    assert_accessible(page)
    _log_out(page)

    # the citizen downloads the photo and the agency's letter from the tracking pages
    _citizen_downloads(system, page, tracking_id, hashlib.sha256(photo).hexdigest())

    # the citizen reads the answer and confirms: the report is closed
    _citizen_confirms(system, page, tracking_id, accepted["pin"])
    _log_in(system, page, officers["dpmptsp"])
    _status_is(system, page, tracking_id, "Selesai")
    timeline = page.locator(".timeline").inner_text()
    for step in ("Diverifikasi", "Didisposisikan ke instansi", "Ditanggapi instansi", "Selesai"):
        assert step in timeline
    assert "Pejabat penghubung" in timeline and "Koordinator instansi" in timeline
    screenshot(page, "officer-case-closed")
    assert_accessible(page)


def _citizen_downloads(system, page, tracking_id: str, photo: str) -> None:  # noqa: F811
    """/lacak/<id>/lampiran of a public report: the agency's letter, not the
    reporter's photo (`photo`: its hash as kept), even without its metadata."""
    page.goto(f"{system.url()}/lacak/{tracking_id}/lampiran")
    listed = _file_links(page)
    assert [text for text, _ in listed] == ["Dokumen PDF dari instansi, 1 kB"]
    assert _downloaded(page, listed[0][1], confidential=False) == (PDF, "application/pdf")
    screenshot(page, "citizen-attachments")
    assert_accessible(page)
    for sha in (photo, hashlib.sha256(PNG).hexdigest()):  # as kept, as sent
        assert page.request.get(f"{system.url()}/lacak/{tracking_id}/lampiran/{sha}").status == 404
    # a file of another report, asked for as this report's: not there
    other = _submitted_with_photo(system)["tracking_id"]
    sha = listed[0][1].rsplit("/", 1)[1]
    assert page.request.get(f"{system.url()}/lacak/{other}/lampiran/{sha}").status == 404
    assert page.request.get(f"{system.url()}/lacak/{tracking_id}/lampiran/{'0' * 64}").status == 404


def test_a_confidential_reports_files_need_its_pin(system, page):  # noqa: F811
    accepted = _submitted_with_photo(system, confidential=True)
    tracking_id, pin = accepted["tracking_id"], accepted["pin"]
    answer = page.goto(f"{system.url()}/lacak/{tracking_id}/lampiran")
    assert answer.status == 403 and page.locator("#f-pin").count() == 1
    page.goto(f"{system.url()}/lacak/{tracking_id}/lampiran")
    page.fill("#f-pin", pin)
    page.locator("form[action$='/pin'] button[type=submit]").click()
    page.wait_for_url(f"**/lacak/{tracking_id}")
    answer = page.goto(f"{system.url()}/lacak/{tracking_id}/lampiran")
    assert answer.status == 200 and "no-store" in answer.headers["cache-control"]
    [(text, href)] = _file_links(page)
    assert text == "Gambar PNG dari pelapor, 1 kB"
    _kept_photo(page, href, confidential=True)
    assert_accessible(page)
    # without the PIN (a new browser context): refused
    stranger = page.context.browser.new_context(base_url=system.url())
    try:
        assert stranger.request.get(system.url() + href).status == 403
    finally:
        stranger.close()


def _citizen_confirms(system, page, tracking_id: str, pin: str) -> None:  # noqa: F811
    """The citizen's tracking page (web-citizen's) shows the answer; confirm it
    with the report's PIN (this browser did not send the report, so holds none)."""

    def answered() -> bool:
        page.goto(f"{system.url()}/lacak/{tracking_id}")
        return any("loket 3" in text for text in page.locator(".answer").all_inner_texts())

    wait_until(answered, 30, "the answer on the tracking page", interval=0.5)
    screenshot(page, "officer-flow-citizen-sees-answer")
    assert_accessible(page)  # the answered report's page, with its reply and confirm forms
    page.locator("#f-closing_pin").fill(pin)
    page.get_by_role("button", name="Nyatakan selesai").click()
    page.wait_for_url(f"**/lacak/{tracking_id}?terkirim=1*")


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


def test_an_officer_turns_on_two_step_verification_and_logs_in_with_a_code(system, page, tmp_path):  # noqa: F811
    officer = _account(system, tmp_path, DUKCAPIL, "officer")
    _log_in(system, page, officer)
    page.get_by_role("link", name="Akun").click()
    page.wait_for_url("**/petugas/akun")
    assert page.locator("#totp-state").inner_text() == "Verifikasi dua langkah belum aktif."
    page.get_by_role("button", name="Siapkan verifikasi dua langkah").click()
    page.wait_for_url("**/petugas/akun")
    secret = page.input_value("#totp-secret")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    uri = page.input_value("#totp-uri")
    assert uri.startswith("otpauth://totp/LAPOR%21:") and f"secret={secret}" in uri
    screenshot(page, "officer-account-totp-setup")
    assert_accessible(page)

    # it takes the password again, and the app's code: a wrong code is refused
    # beside the field, and the code with the password turns it on
    totp = pyotp.TOTP(secret)
    accepted = {totp.at(time.time() + s) for s in (-30, 0, 30, 60)}
    page.fill("#f-code", totp.now())
    page.get_by_role("button", name="Aktifkan").click()
    assert page.locator("#f-password-error").count() == 1  # no password: not turned on
    page.fill("#f-code", next(c for c in ("000000", "111111", "222222") if c not in accepted))
    page.get_by_label("Kata sandi").fill(officer["password"])
    page.get_by_role("button", name="Aktifkan").click()
    assert "Kode salah" in page.locator("#f-code-error").inner_text()
    page.fill("#f-code", totp.now())
    page.get_by_label("Kata sandi").fill(officer["password"])
    page.get_by_role("button", name="Aktifkan").click()
    page.wait_for_url("**/petugas/akun?ok=on")
    assert page.locator("#totp-state").inner_text() == "Verifikasi dua langkah aktif."
    _log_out(page)

    # the password alone no longer logs in: the code page asks for the code
    page.get_by_label("Email").fill(officer["email"])
    page.get_by_label("Kata sandi").fill(officer["password"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/petugas/masuk/kode**")
    assert page.goto(system.url() + "/petugas").url.endswith("/petugas/masuk?next=/petugas")
    page.go_back()
    screenshot(page, "officer-login-code")
    assert_accessible(page)
    # the code of the next step: the one that turned it on was used up
    code = totp.at(time.time() + 30)
    page.fill("#f-code", code)
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url("**/petugas")
    assert page.get_by_role("button", name="Keluar").count() == 1
    _log_out(page)

    # the same code again, within its window: refused
    page.get_by_label("Email").fill(officer["email"])
    page.get_by_label("Kata sandi").fill(officer["password"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/petugas/masuk/kode**")
    page.fill("#f-code", code)
    page.get_by_role("button", name="Verifikasi").click()
    assert "sudah pernah dipakai" in page.locator("#f-code-error").inner_text()
    assert page.goto(system.url() + "/petugas").url.endswith("/petugas/masuk?next=/petugas")
