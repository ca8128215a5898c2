"""The citizens' pages in a real browser (Debian's Chromium): reporting with a
photo and tracking it, CSRF refusal, field errors, the confidential flow, the
public feed. Every page is photographed and checked with axe-core."""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
import zlib

import sqlalchemy as sa

from services.gateway.web.forms import flatten, word
from services.intake.handlers import NOT_THE_REPORTER, Rejected, normalise
from services.intake.normalise import AttachmentError, check_attachments
from tests.e2e.web_support import assert_accessible, screenshot, shown_after_reload

TRACKING = re.compile(r"/lapor/terkirim/(LAP-[0-9A-Z]{10})$")


def small_png(width: int = 8, height: int = 8) -> bytes:
    """A real PNG: red pixels, zlib-compressed rows, CRC-checked chunks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def check(page, name: str) -> None:
    screenshot(page, name)
    assert_accessible(page)


def fill_report(
    page, title: str, confidential: bool = False, photo: bool = False, target: str | None = None
) -> None:
    page.goto("/lapor")
    page.get_by_label("Judul").fill(title)
    page.get_by_label("Isi laporan").fill(
        "Sudah tiga bulan KTP-el saya belum dicetak di kantor Disdukcapil Kota Bandung."
    )
    page.get_by_label("Tanggal kejadian").fill("2026-11-02")
    page.get_by_label("Kategori").select_option("kependudukan")
    # with JavaScript the regencies and districts fill in as the province is chosen
    page.get_by_label("Provinsi").select_option("32")
    page.get_by_label("Kabupaten/kota").select_option("32.73")
    page.get_by_label("Kecamatan").select_option("32.73.02")
    if target:  # offered once the city is chosen
        page.get_by_label("Instansi tujuan").select_option(target)
    page.get_by_label("Nama").fill("Siti Rahma")
    page.get_by_label("Email").fill(f"siti.{uuid.uuid4().hex[:8]}@example.id")
    if photo:
        page.get_by_label("Lampiran").set_input_files(
            files=[{"name": "ktp-antrean.png", "mimeType": "image/png", "buffer": small_png()}]
        )
    if confidential:
        page.get_by_label("Rahasia").check()


def send_report(page) -> str:
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(TRACKING)
    return TRACKING.search(page.url).group(1)


def submitted_event(system, tracking_id: str) -> dict:
    with system.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT data FROM lapor.events WHERE stream = :s AND type = 'report.submitted'"
            ),
            {"s": f"report-{tracking_id}"},
        ).scalar_one()


def test_citizen_reports_with_a_photo_and_tracks_it(system, page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sampaikan laporan Anda"
    check(page, "citizen-home")

    fill_report(page, "KTP-el belum dicetak", photo=True, target="pemkot-3273-disdukcapil")
    check(page, "citizen-report-form")
    tracking_id = send_report(page)
    assert page.locator("#tracking-id").inner_text() == tracking_id
    assert re.fullmatch(r"\d{8}", page.locator("#pin").inner_text())  # every report has one
    check(page, "citizen-report-sent")

    data = submitted_event(system, tracking_id)
    assert data["region_code"] == "32.73.02" and data["category"] == "kependudukan"
    # the event names the photo as intake keeps it (re-saved without metadata)
    [photo] = data["attachments"]
    assert photo["media_type"] == "image/png"
    with system.engine.connect() as conn:
        kept = conn.execute(
            sa.text("SELECT content FROM intake.attachments WHERE sha256 = :h"),
            {"h": photo["sha256"]},
        ).scalar_one()
    assert photo["size"] == len(kept) and hashlib.sha256(kept).hexdigest() == photo["sha256"]
    assert data["target_agency"] == "pemkot-3273-disdukcapil"  # a field, not a line of text
    assert "Instansi tujuan" not in data["description"]

    system.api.wait_routed(tracking_id)
    page.get_by_role("link", name="Lacak laporan ini").click()
    page.wait_for_url(f"**/lacak/{tracking_id}")
    timeline = page.locator("ol.timeline")
    assert "Diteruskan ke instansi" in timeline.inner_text()
    # routing's reason in Indonesian: the rule, and the agency the reporter chose agrees
    reason = timeline.locator("p.reason").inner_text()
    assert reason.startswith("administrasi kependudukan (KTP-el dan Kartu Keluarga)")
    assert reason.endswith("pelapor juga memilihnya sebagai instansi tujuan")
    assert page.get_by_role("heading", name="KTP-el belum dicetak").is_visible()
    check(page, "citizen-track")

    # the reporter adds information through intake's follow-up path
    page.get_by_label("Pesan").fill("Nomor antrean saya 117, tanggal 2 November.")
    page.get_by_role("button", name="Kirim informasi").click()
    page.wait_for_url(f"**/lacak/{tracking_id}?terkirim=1*")
    assert "Pesan Anda terkirim." in page.locator("main").inner_text()
    shown_after_reload(page, "ol.timeline", "Pesan dari pelapor")

    # the public feed shows it, and filters
    page.goto("/laporan?category=kependudukan&region_code=32")
    assert page.get_by_role("link", name="KTP-el belum dicetak").first.is_visible()
    check(page, "citizen-feed")
    page.goto("/laporan?category=pariwisata")
    assert page.get_by_role("link", name="KTP-el belum dicetak").count() == 0
    answer = page.goto("/laporan?status=tidak-ada")
    assert answer.status == 400
    assert page.locator("#f-status-error").is_visible()

    # English on request, remembered
    page.goto(f"/lacak/{tracking_id}?lang=en")
    assert "Timeline" in page.locator("main").inner_text()
    reason = page.locator("ol.timeline p.reason").inner_text()
    assert reason.startswith("civil registration (KTP-el and Kartu Keluarga)")
    assert reason.endswith("the reporter named it as the target agency too")
    page.goto("/laporan")
    assert page.get_by_role("heading", level=1).inner_text() == "Public reports"
    check(page, "citizen-feed-en")


def test_form_without_csrf_token_is_refused(system, page):
    page.goto("/lapor")
    token = page.locator("input[name=csrf_token]").first.input_value()
    form = {
        "title": "Jalan rusak di depan sekolah",
        "description": "Lubang besar sejak bulan lalu.",
        "province": "32",
        "regency": "32.73",
    }

    refused = page.request.post("/lapor", multipart=form, max_redirects=0)
    assert refused.status == 403
    wrong = page.request.post("/lapor", multipart={**form, "csrf_token": "0" * 64})
    assert wrong.status == 403
    assert page.request.post("/lacak", form={"tracking_id": "LAP-0000000000"}).status == 403
    accepted = page.request.post("/lapor", multipart={**form, "csrf_token": token}, max_redirects=0)
    assert accepted.status == 303

    # the same in the browser: a form whose token was taken out
    page.goto("/lacak")
    page.eval_on_selector("input[name=csrf_token]", "e => e.remove()")
    page.get_by_label("Nomor pelacakan").fill("LAP-0000000000")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Lacak").click()
    assert navigation.value.status == 403
    assert "Formulir ditolak" in page.locator("h1").inner_text()
    check(page, "citizen-csrf-refused")


def test_form_with_errors_shows_field_messages_without_javascript(system, browser, page):
    context = browser.new_context(java_script_enabled=False, base_url=system.url())
    nojs = context.new_page()
    try:
        nojs.goto("/lapor")
        # staged region choice: province, show choices, regency, show choices, district
        nojs.get_by_label("Provinsi").select_option("32")
        nojs.get_by_role("button", name="Tampilkan pilihan").first.click()
        nojs.get_by_label("Kabupaten/kota").select_option("32.73")
        nojs.get_by_role("button", name="Tampilkan pilihan").nth(1).click()
        assert nojs.get_by_label("Kecamatan").locator("option", has_text="Coblong").count() == 1
        # the target agencies of the chosen city and province, and the national ones
        agencies = nojs.get_by_label("Instansi tujuan")
        for code in ("pemkot-3273-disdukcapil", "pemkot-3273", "pemprov-32", "ojk", "kemenkes"):
            assert agencies.locator(f"option[value='{code}']").count() == 1, code
        assert agencies.locator("option[value='pemkab-3204-disdukcapil']").count() == 0
        agencies.select_option("pemkot-3273-dinkes")
        nojs.get_by_label("Judul").fill("KTP")
        nojs.get_by_label("Isi laporan").fill("pendek")
        nojs.get_by_label("Email").fill("bukan-email")
        with nojs.expect_navigation() as navigation:
            nojs.get_by_role("button", name="Kirim laporan").click()
        assert navigation.value.status == 400

        summary = nojs.locator(".error-summary")
        assert summary.is_visible()
        for field in ("title", "description", "reporter-email"):
            assert nojs.locator(f"#f-{field}-error").is_visible(), field
            assert nojs.locator(f"#f-{field}").get_attribute("aria-invalid") == "true"
            assert summary.locator(f"a[href='#f-{field}']").count() == 1
        assert "5 sampai 200" in nojs.locator("#f-title-error").inner_text()
        assert nojs.locator("#f-reporter-email-error").inner_text() == "Alamat email tidak valid."
        # what was entered stays
        assert nojs.get_by_label("Kabupaten/kota").input_value() == "32.73"
        assert nojs.get_by_label("Judul").input_value() == "KTP"
        assert nojs.get_by_label("Instansi tujuan").input_value() == "pemkot-3273-dinkes"
        screenshot(nojs, "citizen-report-form-errors")  # axe needs JavaScript: below
    finally:
        context.close()
    # the same errors in a browser with JavaScript, for the accessibility check
    page.goto("/lapor")
    page.get_by_label("Judul").fill("KTP")
    page.get_by_role("button", name="Kirim laporan").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    # no place chosen nor named: intake's message, in Indonesian beside the province
    page.get_by_label("Judul").fill("KTP-el belum dicetak")
    page.get_by_label("Isi laporan").fill("Sudah tiga bulan KTP-el saya belum dicetak.")
    page.get_by_role("button", name="Kirim laporan").click()
    assert page.locator("#f-province-error").inner_text().startswith("Pilih lokasi kejadian")


def test_intake_s_messages_on_the_form_are_in_indonesian():
    """Every message intake gives about the form's fields has Indonesian words
    (forms.KNOWN): none reaches the Indonesian page in English."""
    submissions = [
        {
            "title": "x", "description": "y" * 10_001, "category": "gosip",
            "region_code": "Bandung", "report_type": "keluhan", "incident_date": "kemarin",
            "target_agency": "Dinas PU Kota Bandung", "anonymous": "mungkin", "extra": 1,
            "reporter": {"name": "n" * 201, "email": "bukan-email", "language": "fr"},
        },
        {"title": "Jalan rusak", "description": "x", "incident_date": "2999-01-01",
         "reporter": {"phone": "12"}},
        {"title": "Jalan rusak", "description": "Jalan rusak parah.", "region_code": "32.99"},
        {"title": "Jalan rusak", "description": "Jalan rusak parah di depan pasar."},
        {"title": None, "description": 5, "reporter": "Siti"},
    ]  # fmt: skip
    messages = []
    for fields in submissions:
        try:
            normalise(fields)
        except Rejected as refused:
            messages += [m for found in flatten(refused.errors).values() for m in found]
    damaged = small_png()[:40]  # a photo that cannot be read
    for files in ([b""], [b"just text"], [damaged], [small_png()] * 6, [b"x" * (2 * 2**20 + 1)]):
        try:
            check_attachments(files)
        except AttachmentError as refused:
            messages += refused.messages
    messages.append(NOT_THE_REPORTER)  # a follow-up not from the reporter
    assert len(messages) >= 20
    untranslated = [m for m in messages if word("id", m) == m]
    assert untranslated == []


def test_confidential_report_shows_its_pin_once_and_tracking_needs_it(system, page, browser):
    fill_report(page, "Pungutan liar di kantor kelurahan", confidential=True)
    tracking_id = send_report(page)
    pin = page.locator("#pin").inner_text()
    assert re.fullmatch(r"\d{8}", pin)
    check(page, "citizen-report-sent-confidential")
    page.reload()
    assert page.locator("#pin").count() == 0  # shown once

    system.api.wait_routed(tracking_id, pin=pin)
    stranger = browser.new_context(base_url=system.url())
    other = stranger.new_page()
    try:
        answer = other.goto(f"/lacak/{tracking_id}")
        assert answer.status == 403
        assert "Pungutan liar" not in other.content()
        check(other, "citizen-track-pin")
        other.get_by_label("PIN").fill("00000000" if pin != "00000000" else "11111111")
        with other.expect_navigation() as navigation:
            other.get_by_role("button", name="Buka laporan").click()
        assert navigation.value.status == 403
        assert other.locator("#f-pin-error").is_visible()
        assert "Pungutan liar" not in other.content()

        other.get_by_label("PIN").fill(pin)
        other.get_by_role("button", name="Buka laporan").click()
        other.wait_for_url(f"**/lacak/{tracking_id}")
        assert other.get_by_role("heading", name="Pungutan liar di kantor kelurahan").is_visible()
        assert "Sudah tiga bulan" in other.locator("main").inner_text()
        check(other, "citizen-track-confidential")

        # the lookup form takes the id and the PIN together
        page.goto("/lacak")
        page.get_by_label("Nomor pelacakan").fill(tracking_id.lower())
        page.get_by_label("PIN (untuk laporan rahasia)").fill(pin)
        page.get_by_role("button", name="Lacak").click()
        page.wait_for_url(f"**/lacak/{tracking_id}")
        assert "Sudah tiga bulan" in page.locator("main").inner_text()
        page.goto("/lacak")
        check(page, "citizen-lookup")
    finally:
        stranger.close()


def test_every_report_gets_a_pin_and_only_its_holder_adds_to_it(system, page, browser):
    """A public report: the confirmation page shows its PIN; the browser that
    sent it adds without typing it; another browser must give it."""
    fill_report(page, "Antrean KTP-el di kecamatan")
    tracking_id = send_report(page)
    pin = page.locator("#pin").inner_text()
    assert re.fullmatch(r"\d{8}", pin)
    assert "membalas, mengonfirmasi atau menyanggah" in page.locator("main").inner_text()
    check(page, "citizen-report-sent-pin")
    system.api.wait_routed(tracking_id)

    page.goto(f"/lacak/{tracking_id}")
    assert page.locator("#f-pin").count() == 0  # this browser holds the PIN
    page.get_by_label("Pesan").fill("Nomor antrean saya 17.")
    page.get_by_role("button", name="Kirim informasi").click()
    page.wait_for_url(f"**/lacak/{tracking_id}?terkirim=1*")

    stranger = browser.new_context(base_url=system.url())
    other = stranger.new_page()
    try:
        assert other.goto(f"/lacak/{tracking_id}").status == 200  # public: anyone reads it
        assert other.locator("#f-pin").is_visible()
        check(other, "citizen-track-pin-field")
        other.get_by_label("Pesan").fill("Sudah selesai kok.")
        other.locator("#f-pin").fill("")
        with other.expect_navigation() as navigation:
            other.get_by_role("button", name="Kirim informasi").click()
        assert navigation.value.status == 403
        error = other.locator("#f-pin-error").inner_text()
        assert "Hanya pelapor yang dapat menambah laporan ini" in error
        wrong = "00000000" if pin != "00000000" else "11111111"
        other.locator("#f-pin").fill(wrong)
        with other.expect_navigation() as navigation:
            other.get_by_role("button", name="Kirim informasi").click()
        assert navigation.value.status == 403
        assert other.locator("#f-pin-error").is_visible()

        other.locator("#f-pin").fill(pin)
        other.get_by_role("button", name="Kirim informasi").click()
        other.wait_for_url(f"**/lacak/{tracking_id}?terkirim=1*")
        assert other.locator("#f-pin").count() == 0  # remembered from now on
    finally:
        stranger.close()
    with system.engine.connect() as conn:
        added = conn.execute(
            sa.text("SELECT count(*) FROM lapor.events WHERE stream = :s AND type = :t"),
            {"s": f"report-{tracking_id}", "t": "report.message_added"},
        ).scalar()
    assert added == 2
