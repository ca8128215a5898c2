"""The statistics and SIPP catalogue pages in a real browser (Debian's Chromium
through Playwright), against the whole running system.

The acceptance flow: an agency admin logs in, creates and publishes a service
standard at /standar/kelola, and a citizen finds it by search at /standar and
reads its 14 components. Also: the form's field errors, a draft published from
the list, a revision, a withdrawal (with its required reason) after which the
search no longer finds the standard, the statistics tab with its SVG charts and the CSV it
downloads (the very CSV of the JSON API), the English switch, axe-core on
every tab, and a POST without its CSRF token refused.
"""

from __future__ import annotations

import secrets
import time
from fnmatch import fnmatch
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.e2e.conftest import _scalar, report_body, run_module, standard_projected, wait_until
from tests.e2e.web_support import assert_accessible, phone_context, screenshot

ROOT = Path(__file__).resolve().parents[2]
AGENCY = "pemkot-3273-disdukcapil"


@pytest.fixture(scope="module")
def admin(system, tmp_path_factory) -> dict:
    """An account of the agency with a login name and a password."""
    email = f"admin.{secrets.token_hex(4)}@disdukcapil.example.id"
    password = "kata sandi " + secrets.token_urlsafe(12)
    password_file = tmp_path_factory.mktemp("admin") / "password"
    password_file.write_text(password)
    run_module(
        system,
        "services.sipp.admins",
        "create",
        "--agency",
        AGENCY,
        "--name",
        "Admin SIPP Uji",
        "--email",
        email,
        "--password-file",
        str(password_file),
    )
    return {"email": email, "password": password}


def _loaded(tab) -> bool:
    try:
        return tab.evaluate("document.readyState") == "complete"
    except Exception:  # noqa: BLE001 - the page is being replaced: not yet
        return False


def _arrive(tab, pattern: str, timeout: float = 20.0) -> None:
    """Wait until the tab shows a loaded page at a URL matching the glob
    `pattern`. Polled with a (green) sleep: under eventlet (nameko test)
    Playwright's waits for events (wait_for_url, wait_for_load_state,
    expect_download) may never see the event and never return."""
    wait_until(lambda: fnmatch(tab.url, pattern) and _loaded(tab), timeout, pattern, interval=0.05)


def _shows(tab, selector: str, timeout: float = 20.0) -> None:
    """Wait until the page (e.g. a form sent back with errors) has `selector`."""
    wait_until(
        lambda: _loaded(tab) and tab.locator(selector).count() > 0, timeout, selector,
        interval=0.05,
    )  # fmt: skip


def _log_in(system, tab, admin: dict) -> None:
    tab.goto(system.url() + "/petugas/masuk?next=/standar/kelola")
    tab.fill("input[name=email]", admin["email"])
    tab.fill("input[name=password]", admin["password"])
    tab.locator("form[method=post] button[type=submit]").first.click()
    _arrive(tab, "**/standar/kelola")


def _fill_standard(tab, slug: str | None, name: str) -> None:
    if slug is not None:
        tab.fill("#f-slug", slug)
    tab.fill("#f-service_name", name)
    tab.select_option("#f-category", "kependudukan")
    tab.fill("#f-description", "Penerbitan ulang akta kelahiran yang rusak atau hilang.")
    tab.fill("#f-requirements", "Akta lama atau surat keterangan hilang\nKTP-el pemohon")
    tab.fill("#f-procedure", "Isi formulir\nSerahkan berkas\nAmbil akta")
    tab.fill("#f-completion_time_value", "3")
    tab.select_option("#f-completion_time_unit", "working_days")
    tab.fill("#f-cost_amount", "0")
    tab.fill("#f-product", "Kutipan akta kelahiran")
    tab.fill("#f-complaint_channels", "Loket pengaduan\nSMS 1708")
    tab.check("#f-complaint_via_lapor")
    tab.fill("#f-legal_basis", "UU 24/2013 tentang Administrasi Kependudukan")
    tab.fill("#f-facilities", "Ruang tunggu\nLoket")
    tab.fill("#f-staff_competence", "Memahami administrasi kependudukan.")
    tab.fill("#f-internal_supervision", "Oleh kepala dinas.")
    tab.fill("#f-staff_count", "4")
    tab.fill("#f-service_guarantee", "Sesuai standar atau biaya dikembalikan.")
    tab.fill("#f-security_guarantee", "Data pemohon dijaga kerahasiaannya.")
    tab.fill("#f-performance_evaluation", "Survei kepuasan tiap semester.")
    tab.fill("#f-decree_number", "470/12-Disdukcapil/2026")
    tab.fill("#f-decree_date", "2026-01-05")
    tab.fill("#f-pledge", "Kami sanggup melaksanakan standar pelayanan ini.")


def test_an_admin_publishes_a_standard_and_a_citizen_finds_it_by_search(system, browser, admin):
    word = "uji" + secrets.token_hex(3)  # a word only this standard has
    slug = f"akta-{word}"
    standard_id = f"{AGENCY}.{slug}"
    context = phone_context(browser, system)
    tab = context.new_page()
    try:
        _log_in(system, tab, admin)
        screenshot(tab, "sipp-manage")
        assert_accessible(tab)

        tab.get_by_role("link", name="Buat standar baru").click()
        _arrive(tab, "**/standar/kelola/baru")
        assert tab.locator("fieldset.component").count() == 14
        screenshot(tab, "sipp-new-form")
        assert_accessible(tab)

        # sent empty: refused, each error beside its field
        tab.get_by_role("button", name="Terbitkan").click()
        _shows(tab, "#error-summary")
        assert tab.locator("#error-summary").is_visible()
        assert tab.get_attribute("#f-service_name", "aria-invalid") == "true"
        assert "f-service_name-error" in tab.get_attribute("#f-service_name", "aria-describedby")
        assert tab.locator("#f-staff_count-error").inner_text() == "Wajib diisi."
        screenshot(tab, "sipp-new-form-errors")
        assert_accessible(tab)

        # a charge without its legal basis is refused by the standard's own rule
        _fill_standard(tab, slug, f"Penerbitan akta kelahiran {word}")
        tab.fill("#f-cost_amount", "50000")
        tab.get_by_role("button", name="Terbitkan").click()
        _shows(tab, "#f-cost_legal_basis-error")
        assert tab.input_value("#f-service_name") == f"Penerbitan akta kelahiran {word}"

        tab.fill("#f-cost_amount", "0")
        tab.get_by_role("button", name="Terbitkan").click()
        _arrive(tab, "**/standar/kelola?ok=published*")
        assert standard_id in tab.locator("[role=status]").inner_text()
        standard_projected(system, standard_id, 1)

        # revise: a new version with a note
        tab.goto(system.url() + f"/standar/kelola/{standard_id}")
        tab.fill("#f-staff_count", "5")
        tab.fill("#f-note", "Pelaksana bertambah")
        screenshot(tab, "sipp-edit")
        assert_accessible(tab)
        tab.get_by_role("button", name="Terbitkan versi baru").click()
        _arrive(tab, "**/standar/kelola?ok=revised*")
        standard_projected(system, standard_id, 2)

        # a draft is listed to its agency only, and published from the list
        draft_slug = f"draf-{word}"
        tab.goto(system.url() + "/standar/kelola/baru")
        _fill_standard(tab, draft_slug, f"Draf layanan {word}")
        tab.get_by_role("button", name="Simpan sebagai draf").click()
        _arrive(tab, "**/standar/kelola?ok=drafted*")
        standard_projected(system, f"{AGENCY}.{draft_slug}", 0, "draft")
        tab.reload()
        row = tab.locator("tr", has_text=f"Draf layanan {word}")
        assert row.locator("td").nth(1).inner_text() == "Draf"
        screenshot(tab, "sipp-manage-with-draft")
        row.get_by_role("button").click()
        _arrive(tab, "**/standar/kelola?ok=published*")
        standard_projected(system, f"{AGENCY}.{draft_slug}", 1)
    finally:
        context.close()

    # a citizen, not logged in, finds it by search and reads it
    citizen = phone_context(browser, system)
    tab = citizen.new_page()
    try:
        tab.goto(system.url() + f"/standar?q=akta+kelahiran+{word}")
        result = tab.get_by_role("link", name=f"Penerbitan akta kelahiran {word}")
        assert result.count() == 1
        screenshot(tab, "sipp-search")
        assert_accessible(tab)
        result.click()
        _arrive(tab, f"**/standar/{standard_id}")
        assert tab.locator("h1").inner_text() == f"Penerbitan akta kelahiran {word}"
        assert tab.locator("dl.components dt").count() == 14
        assert tab.locator("#component-staff_count + dd").inner_text().strip() == "5 orang"
        assert tab.get_by_role("link", name="Versi 1").count() == 1
        screenshot(tab, "sipp-standard")
        assert_accessible(tab)

        tab.get_by_role("link", name="English").click()
        _arrive(tab, "*lang=en*")
        assert tab.locator("html").get_attribute("lang") == "en"
        assert tab.locator("#component-requirements").inner_text().endswith("Requirements")
        screenshot(tab, "sipp-standard-en")

        tab.goto(system.url() + f"/standar/{standard_id}?versi=1&lang=id")
        assert tab.locator("#component-staff_count + dd").inner_text().strip() == "4 orang"

        # the management pages send a citizen to log in
        tab.goto(system.url() + "/standar/kelola")
        assert "/petugas/masuk" in tab.url
    finally:
        citizen.close()


def test_a_withdrawn_standard_leaves_the_search(system, browser, admin):
    word = "tarik" + secrets.token_hex(3)
    standard_id = f"{AGENCY}.akta-{word}"
    context = phone_context(browser, system)
    tab = context.new_page()
    try:
        _log_in(system, tab, admin)
        tab.goto(system.url() + "/standar/kelola/baru")
        _fill_standard(tab, f"akta-{word}", f"Penerbitan akta {word}")
        tab.get_by_role("button", name="Terbitkan").click()
        _arrive(tab, "**/standar/kelola?ok=published*")
        standard_projected(system, standard_id, 1)
        tab.goto(system.url() + f"/standar?q={word}")
        assert tab.get_by_role("link", name=f"Penerbitan akta {word}").count() == 1

        # the reason is required: refused beside its field, nothing withdrawn
        tab.goto(system.url() + f"/standar/kelola/{standard_id}")
        form = tab.locator(f"form[action='/standar/kelola/{standard_id}/tarik']")
        form.get_by_role("button", name="Tarik standar").click()
        _shows(tab, "#f-withdraw_reason-error")
        assert tab.locator("#f-withdraw_reason-error").inner_text() == "Wajib diisi."
        assert tab.get_attribute("#f-withdraw_reason", "aria-invalid") == "true"
        screenshot(tab, "sipp-withdraw-error")
        assert_accessible(tab)
        # CSRF as every POST: without the token, refused
        posted = context.request.post(
            system.url() + f"/standar/kelola/{standard_id}/tarik",
            form={"withdraw_reason": "Tanpa token"},
        )
        assert posted.status == 403

        tab.fill("#f-withdraw_reason", "Layanan digabung dengan penerbitan akta lainnya.")
        tab.locator(f"form[action='/standar/kelola/{standard_id}/tarik'] button").click()
        _arrive(tab, "**/standar/kelola?ok=withdrawn*")
        assert standard_id in tab.locator("[role=status]").inner_text()
        standard_projected(system, standard_id, 1, "withdrawn")
        tab.reload()  # the list is sipp's read model, which follows the log a moment later
        row = tab.locator("tr", has_text=f"Penerbitan akta {word}")
        assert row.locator("td").nth(1).inner_text() == "Ditarik"
        reason = _scalar(
            system.engine,
            "SELECT data->>'reason' FROM lapor.events WHERE stream = :s "
            "AND type = 'standard.withdrawn'",
            s=f"standard-{standard_id}",
        )
        assert reason == "Layanan digabung dengan penerbitan akta lainnya."

        # the public search no longer finds it; its page says it was withdrawn
        tab.goto(system.url() + f"/standar?q={word}")
        assert tab.get_by_role("link", name=f"Penerbitan akta {word}").count() == 0
        tab.goto(system.url() + f"/standar/{standard_id}")
        assert "sudah ditarik" in tab.locator(".notice-warning").last.inner_text()
    finally:
        context.close()


def test_a_form_without_its_csrf_token_is_refused(system, browser, admin):
    context = phone_context(browser, system)
    tab = context.new_page()
    try:
        _log_in(system, tab, admin)
        form = {"slug": "tanpa-token", "service_name": "Tanpa token", "action": "publish"}
        refused = context.request.post(system.url() + "/standar/kelola/baru", form=form)
        assert refused.status == 403
        wrong = context.request.post(
            system.url() + "/standar/kelola/baru", form={**form, "csrf_token": "0" * 64}
        )
        assert wrong.status == 403
        assert not _scalar(
            system.engine,
            "SELECT 1 FROM lapor.streams WHERE stream = :s",
            s=f"standard-{AGENCY}.tanpa-token",
        )
    finally:
        context.close()


def _get(system, path: str) -> tuple[int, bytes, str]:
    with urlopen(system.url() + path, timeout=30) as answer:
        return answer.status, answer.read(), answer.headers.get("Content-Type", "")


def test_the_statistics_page_charts_the_kpis_and_downloads_the_apis_csv(system, page):
    tab = page
    for _ in range(2):
        status, created = system.api.submit(report_body(region_code="32.73"))
        assert status == 201
        system.api.wait_routed(created["tracking_id"])
    wait_until(
        lambda: b"\n" in _get(system, "/api/v1/kpis?group_by=region&format=csv")[1].strip(),
        30,
        "KPIs of the new reports",
    )

    tab.goto(system.url() + "/statistik?group_by=region&region=32&level=2")
    charts = tab.locator("svg.chart[role=img]")
    assert charts.count() >= 8
    first = charts.first
    assert first.locator("title").first.text_content() == "Laporan diterima"
    assert first.locator("rect").count() >= 1
    assert tab.locator("table.numbers tbody tr").count() >= 1
    assert tab.locator(".region-indicators li").count() == 3
    screenshot(tab, "stats-region")
    assert_accessible(tab)

    tab.goto(system.url() + "/statistik")
    assert tab.locator("svg.chart").count() >= 8
    screenshot(tab, "stats")
    assert_accessible(tab)

    # the download is the JSON API's CSV, byte for byte. (Playwright's download
    # event never comes under eventlet's monkey-patching, so the test fetches the
    # link's address in the page's own context, and checks it is a download.)
    link = tab.get_by_role("link", name="Unduh CSV")
    assert link.get_attribute("download") is not None

    def download() -> tuple[bytes, dict]:
        answer = tab.request.get(system.url() + link.get_attribute("href"))
        assert answer.status == 200
        return answer.body(), answer.headers

    for _ in range(20):  # events may still be folding: compare two quiet reads
        downloaded, headers = download()
        _, api_csv, kind = _get(system, "/api/v1/kpis?group_by=agency&format=csv")
        if api_csv == downloaded:
            break
        time.sleep(0.5)
    assert downloaded == api_csv
    assert kind.startswith("text/csv") and headers["content-type"].startswith("text/csv")
    assert headers["content-disposition"] == 'attachment; filename="kpi-agency.csv"'
    assert downloaded.splitlines()[0].startswith(b"group,received,")
    assert len(downloaded.splitlines()) >= 2

    # a bad filter: field errors beside the fields, no 500
    tab.goto(system.url() + "/statistik?from=kemarin&region=xx")
    assert tab.get_attribute("#f-from", "aria-invalid") == "true"
    assert tab.get_attribute("#f-region", "aria-invalid") == "true"
    assert tab.locator("svg.chart").count() == 0
    screenshot(tab, "stats-errors")
    assert_accessible(tab)
