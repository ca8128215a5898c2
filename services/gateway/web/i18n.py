"""The pages' words in Indonesian (the default) and English.

Each area keeps its own keys, prefixed: common.* (shared), citizen.*, officer.*,
stats.*, sipp.*. Both languages must have exactly the same keys (a test checks)."""

from __future__ import annotations

from lapor.contracts.case import CASE_EVENTS, CLOSE_REASONS, REOPEN_REASONS, REPORT_STATUS_WORDS
from lapor.contracts.report import CATEGORIES
from services.gateway.web.i18n_stats_sipp import STATS_SIPP
from services.gateway.web.officer_i18n import ARCHIVE_NAMES, officer_words

LANGUAGES = ("id", "en")
DEFAULT = "id"

# DOMAIN.md: the category codes with their Indonesian and English names
CATEGORY_NAMES = {
    "pendidikan": ("Pendidikan dan pengajaran", "Education"),
    "kesehatan": ("Kesehatan", "Health"),
    "kemaritiman": ("Kemaritiman", "Maritime affairs"),
    "perumahan": ("Tempat tinggal", "Housing"),
    "perbankan": ("Perbankan", "Banking"),
    "pertanian": ("Pertanian", "Agriculture"),
    "kominfo": ("Komunikasi dan informasi", "Communication and information"),
    "perhubungan": ("Perhubungan", "Transport"),
    "hukum_keamanan": ("Hukum dan keamanan", "Law and security"),
    "lingkungan_hidup": ("Lingkungan hidup", "Environment"),
    "jaminan_sosial": ("Jaminan sosial", "Social security"),
    "reformasi_birokrasi": ("Reformasi birokrasi", "Bureaucratic reform"),
    "bencana": ("Penanggulangan bencana", "Disaster management"),
    "infrastruktur": ("Infrastruktur", "Infrastructure"),
    "sumber_daya_alam": ("Sumber daya alam", "Natural resources"),
    "pembangunan_desa": ("Pembangunan desa", "Village development"),
    "pariwisata": ("Pariwisata", "Tourism"),
    "ketenagakerjaan": ("Ketenagakerjaan dan usaha", "Employment and business"),
    "energi": ("Energi", "Energy"),
    "kependudukan": ("Administrasi kependudukan", "Civil registration"),
    "perizinan": ("Perizinan", "Licensing"),
    "lainnya": ("Topik lainnya", "Other"),
}
assert set(CATEGORY_NAMES) == set(CATEGORIES)

EVENT_NAMES = {
    "report.submitted": ("Laporan diterima", "Report received"),
    "report.routed": ("Diteruskan ke instansi", "Routed to an agency"),
    "report.verified": ("Diverifikasi", "Verified"),
    "report.deferred": ("Ditunda: menunggu informasi", "Deferred: waiting for information"),
    "report.resumed": ("Dilanjutkan", "Resumed"),
    "report.archived": ("Diarsipkan", "Archived"),
    "report.merged": ("Digabung dengan laporan lain", "Merged with another report"),
    "report.assigned": ("Didisposisikan ke instansi", "Assigned to an agency"),
    "report.disposed": ("Diteruskan ke unit kerja", "Passed to a unit"),
    "report.accepted": ("Diterima instansi, sedang diproses", "Accepted, being processed"),
    "report.returned": ("Dikembalikan: bukan kewenangan", "Returned: not its authority"),
    "report.responded": ("Ditanggapi instansi", "Answered by the agency"),
    "report.reopened": ("Dibuka kembali", "Reopened"),
    "report.closed": ("Selesai", "Closed"),
    "report.escalated": ("Dieskalasi: tenggat terlewati", "Escalated: a deadline passed"),
    "report.deadline_approaching": ("Tenggat mendekat", "Deadline approaching"),
    "report.privacy_changed": ("Kerahasiaan diubah", "Privacy changed"),
    "report.message_added": ("Pesan dari pelapor", "Message from the reporter"),
}
assert set(CASE_EVENTS) <= set(EVENT_NAMES)

REPORT_TYPE_NAMES = {
    "pengaduan": ("Pengaduan", "Complaint"),
    "aspirasi": ("Aspirasi", "Aspiration or suggestion"),
    "permintaan_informasi": ("Permintaan informasi", "Information request"),
}

# a report's status as the citizen pages show it: the console's Indonesian
# labels with English words (lapor.contracts.case)
STATUS_NAMES = REPORT_STATUS_WORDS

# the reasons that are codes: archiving (the officers' words), closing, reopening
REASON_NAMES = {
    **ARCHIVE_NAMES,
    "confirmed_by_reporter": ("Pelapor menyatakan masalahnya selesai", "The reporter confirmed"),
    "no_reply": (
        "Tidak ada balasan pelapor dalam 10 hari kerja",
        "No reply from the reporter in 10 working days",
    ),
    "dispute": ("Pelapor menyanggah tanggapan", "The reporter disputed the answer"),
    "reply": ("Pelapor membalas tanggapan", "The reporter replied to the answer"),
}
assert set(CLOSE_REASONS) | set(REOPEN_REASONS) <= set(REASON_NAMES)


def _pairs(prefix: str, names: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    return {
        "id": {f"{prefix}.{k}": v[0] for k, v in names.items()},
        "en": {f"{prefix}.{k}": v[1] for k, v in names.items()},
    }


# key: (Indonesian, English)
_COMMON = {
    "common.site": ("LAPOR!", "LAPOR!"),
    "common.tagline": (
        "Layanan aspirasi dan pengaduan online rakyat",
        "The people's online aspiration and complaint service",
    ),
    "common.skip": ("Langsung ke isi", "Skip to content"),
    "common.nav.label": ("Menu utama", "Main menu"),
    "common.nav.report": ("Lapor", "Report"),
    "common.nav.track": ("Lacak", "Track"),
    "common.nav.feed": ("Laporan publik", "Public reports"),
    "common.nav.stats": ("Statistik", "Statistics"),
    "common.nav.standards": ("Standar layanan", "Service standards"),
    "common.nav.officer": ("Petugas", "Officers"),
    "common.lang.switch": ("English", "Bahasa Indonesia"),
    "common.footer": (
        "LAPOR! — SP4N. Pelaporan tidak dipungut biaya.",
        "LAPOR! — SP4N. Reporting is free of charge.",
    ),
    "common.error.title": ("Terjadi kesalahan", "Something went wrong"),
    "common.error.summary": (
        "Periksa isian berikut:",
        "Please check the following:",
    ),
    "common.error.service": (
        "Layanan sedang tidak tersedia. Coba lagi sebentar lagi.",
        "A service is unavailable. Please try again shortly.",
    ),
    "common.error.not_found": ("Halaman tidak ditemukan.", "Page not found."),
    "common.error.too_large": (
        "Kiriman terlalu besar (lampiran paling banyak 2 MB).",
        "The upload is too large (attachments at most 2 MB).",
    ),
    "common.csrf.title": ("Formulir ditolak", "Form refused"),
    "common.csrf.message": (
        "Formulir ini tidak dapat diterima karena token keamanannya hilang atau "
        "kedaluwarsa. Buka kembali halaman, lalu kirim ulang.",
        "This form was refused because its security token is missing or expired. "
        "Open the page again and send it once more.",
    ),
    "common.back_home": ("Kembali ke beranda", "Back to the home page"),
    "common.required": ("wajib", "required"),
    "common.optional": ("opsional", "optional"),
    "common.choose": ("— pilih —", "— choose —"),
    "common.none": ("—", "—"),
    "common.previous": ("Sebelumnya", "Previous"),
    "common.next": ("Berikutnya", "Next"),
    "common.page_of": ("Halaman {page} dari {pages}", "Page {page} of {pages}"),
    "common.msg.required": ("Wajib diisi.", "This field is required."),
    "common.msg.invalid": ("Isian tidak valid.", "Not a valid value."),
    "common.msg.email": ("Alamat email tidak valid.", "Not a valid email address."),
    "common.msg.phone": ("Nomor telepon tidak valid.", "Not a valid phone number."),
    "common.msg.date": ("Tanggal tidak valid.", "Not a valid date."),
    "common.msg.future_date": (
        "Tanggal kejadian tidak boleh di masa depan.",
        "The incident date cannot be in the future.",
    ),
    "common.msg.length": (
        "Panjang isian harus {min} sampai {max} karakter.",
        "Use {min} to {max} characters.",
    ),
    "common.msg.choice": ("Pilih salah satu pilihan yang ada.", "Choose one of the options."),
    "common.msg.region": ("Wilayah tidak dikenal.", "Unknown region."),
    "common.msg.region_missing": (
        "Pilih lokasi kejadian, atau sebutkan kabupaten/kotanya (misalnya Kota Bandung) "
        "di isi laporan.",
        "Choose the place, or name its regency or city (e.g. Kota Bandung) in the description.",
    ),
    "common.msg.agency": (
        "Instansi tujuan harus berupa kode instansi katalog SIPP, misalnya "
        "pemkot-3273-disdukcapil.",
        "The target agency must be an agency code of the SIPP catalogue, such as "
        "pemkot-3273-disdukcapil.",
    ),
    "common.msg.max_length": ("Paling banyak {max} karakter.", "At most {max} characters."),
    "common.msg.min_length": ("Paling sedikit {min} karakter.", "At least {min} characters."),
    "common.msg.unknown_field": ("Isian ini tidak dikenal.", "Unknown field."),
    "common.msg.attachment_count": (
        "Paling banyak {count} lampiran.",
        "At most {count} attachments.",
    ),
    "common.msg.attachment_size": (
        "Lampiran paling banyak {mb} MB seluruhnya.",
        "Attachments may be at most {mb} MB in total.",
    ),
    "common.msg.attachment_empty": (
        "Lampiran ke-{number} kosong.",
        "Attachment {number} is empty.",
    ),
    "common.msg.attachment_damaged": (
        "Lampiran ke-{number} adalah foto yang rusak dan tidak dapat dibaca.",
        "Attachment {number} is a damaged photo that cannot be read.",
    ),
    "common.msg.attachment_pixels": (
        "Lampiran ke-{number} terlalu besar ukuran gambarnya (lebih dari 50 juta piksel).",
        "Attachment {number} has too many pixels (more than 50 million).",
    ),
    "common.msg.attachment_type": (
        "Lampiran ke-{number} bukan foto (JPEG, PNG, GIF, WebP) atau dokumen PDF.",
        "Attachment {number} is not a photo (JPEG, PNG, GIF, WebP) or a PDF document.",
    ),
    "common.msg.sender_rate": (
        "Terlalu banyak laporan dari pengirim ini; coba lagi nanti.",
        "Too many reports from this sender; try again later.",
    ),
    "common.msg.pin": (
        "Laporan ini rahasia: masukkan PIN yang benar.",
        "This report is confidential: enter its correct PIN.",
    ),
    "common.msg.reporter_only": (
        "Hanya pelapor yang dapat menambah laporan ini: masukkan PIN-nya.",
        "Only the reporter can add to a report: give its PIN.",
    ),
    "common.msg.too_many_pins": (
        "Terlalu banyak PIN salah dari alamat ini; coba lagi nanti.",
        "Too many wrong PINs from this address; try again later.",
    ),
    "common.msg.rate": (
        "Terlalu banyak permintaan dari alamat ini; coba lagi nanti.",
        "Too many requests from this address; try again later.",
    ),
}

_CITIZEN = {
    "citizen.home.title": ("Sampaikan laporan Anda", "Make your report"),
    "citizen.home.lead": (
        "Keluhan, aspirasi, atau permintaan informasi tentang pelayanan publik akan "
        "diteruskan ke instansi yang berwenang dan dipantau sampai selesai.",
        "Complaints, aspirations and information requests about public services go to "
        "the agency with the authority to act, and are followed until they are resolved.",
    ),
    "citizen.home.report": ("Buat laporan", "Make a report"),
    "citizen.home.track": ("Lacak laporan", "Track a report"),
    "citizen.home.feed": ("Lihat laporan publik", "See public reports"),
    "citizen.home.steps": ("Cara kerjanya", "How it works"),
    "citizen.home.step1": (
        "Tulis laporan: apa yang terjadi, kapan, dan di mana.",
        "Write your report: what happened, when and where.",
    ),
    "citizen.home.step2": (
        "Simpan nomor pelacakan yang Anda terima.",
        "Keep the tracking id you receive.",
    ),
    "citizen.home.step3": (
        "Instansi wajib menindaklanjuti dalam tenggat hari kerja; Anda dapat membalas, "
        "menyanggah, atau menyatakan selesai.",
        "The agency must follow up within set working days; you can reply, dispute, "
        "or confirm it is resolved.",
    ),
    "citizen.form.title": ("Buat laporan", "Make a report"),
    "citizen.form.intro": (
        "Isian bertanda wajib harus diisi. Tulis dalam bahasa Indonesia bila bisa.",
        "Fields marked required must be filled in. Write in Indonesian if you can.",
    ),
    "citizen.form.about": ("Laporan Anda", "Your report"),
    "citizen.form.report_type": ("Jenis laporan", "Type of report"),
    "citizen.form.title_field": ("Judul", "Title"),
    "citizen.form.title_hint": (
        "Ringkas, 5 sampai 200 karakter.",
        "Short, 5 to 200 characters.",
    ),
    "citizen.form.description": ("Isi laporan", "Description"),
    "citizen.form.description_hint": (
        "Ceritakan kronologinya: apa yang terjadi, siapa yang melayani, apa yang Anda "
        "harapkan. Paling sedikit 10 karakter.",
        "Tell what happened in order: what, who served you, what you expect. "
        "At least 10 characters.",
    ),
    "citizen.form.incident_date": ("Tanggal kejadian", "Date of the incident"),
    "citizen.form.place": ("Lokasi kejadian", "Place of the incident"),
    "citizen.form.place_hint": (
        "Pilih provinsi, lalu kabupaten/kota, lalu kecamatan. Tanpa JavaScript, tekan "
        "tombol “Tampilkan pilihan” setelah setiap pilihan.",
        "Choose the province, then the regency or city, then the district. Without "
        "JavaScript, press “Show choices” after each choice.",
    ),
    "citizen.form.province": ("Provinsi", "Province"),
    "citizen.form.regency": ("Kabupaten/kota", "Regency or city"),
    "citizen.form.district": ("Kecamatan", "District"),
    "citizen.form.show_choices": ("Tampilkan pilihan", "Show choices"),
    "citizen.form.category": ("Kategori", "Category"),
    "citizen.form.category_hint": (
        "Bila ragu, biarkan kosong: kami menentukannya dari isi laporan.",
        "If unsure, leave it empty: we work it out from the description.",
    ),
    "citizen.form.target_agency": ("Instansi tujuan", "Target agency"),
    "citizen.form.target_agency_hint": (
        "Bila Anda tahu instansi yang berwenang, pilih di sini. Daftarnya berisi instansi "
        "kabupaten/kota dan provinsi lokasi kejadian serta instansi pusat: pilih lokasinya "
        "dulu. Bila ragu, biarkan kosong; kami meneruskannya ke instansi yang berwenang.",
        "If you know which agency has the authority, choose it here. The list holds the "
        "agencies of the place's regency or city and province, and national ones: choose "
        "the place first. If unsure, leave it empty; we pass the report to the agency "
        "with the authority.",
    ),
    "citizen.form.agencies_of": ("Instansi di {region}", "Agencies in {region}"),
    "citizen.form.agencies_national": ("Instansi pusat", "National agencies"),
    "citizen.form.attachments": ("Lampiran", "Attachments"),
    "citizen.form.attachments_hint": (
        "Foto atau dokumen pendukung (JPG, PNG, GIF, WebP, PDF), paling banyak 2 MB seluruhnya.",
        "Supporting photos or documents (JPG, PNG, GIF, WebP, PDF), at most 2 MB in total.",
    ),
    "citizen.form.contact": ("Data pelapor", "Your contact details"),
    "citizen.form.contact_hint": (
        "Agar kami dapat mengabari perkembangan laporan. Isi email atau nomor telepon.",
        "So that we can tell you how your report progresses. Give an email or a phone number.",
    ),
    "citizen.form.name": ("Nama", "Name"),
    "citizen.form.email": ("Email", "Email"),
    "citizen.form.phone": ("Nomor telepon", "Phone number"),
    "citizen.form.privacy": ("Kerahasiaan", "Privacy"),
    "citizen.form.anonymous": ("Anonim", "Anonymous"),
    "citizen.form.anonymous_hint": (
        "Nama dan kontak Anda tidak ditampilkan kepada publik maupun kepada instansi. "
        "Laporannya sendiri tetap dapat dibaca publik.",
        "Your name and contact details are hidden from the public and from the agencies. "
        "The report itself can still be read by the public.",
    ),
    "citizen.form.confidential": ("Rahasia", "Confidential"),
    "citizen.form.confidential_hint": (
        "Laporan tidak pernah ditampilkan kepada publik; hanya petugas yang menanganinya "
        "yang dapat membacanya. PIN yang Anda terima juga dibutuhkan untuk membukanya kembali.",
        "The report is never shown to the public; only the officers handling it can read "
        "it. The PIN you receive is also needed to open it again.",
    ),
    "citizen.form.submit": ("Kirim laporan", "Send report"),
    "citizen.sent.title": ("Laporan terkirim", "Report sent"),
    "citizen.sent.lead": (
        "Terima kasih. Laporan Anda sudah kami terima dan akan diteruskan ke instansi "
        "yang berwenang.",
        "Thank you. We have received your report and will pass it to the agency with "
        "the authority to act.",
    ),
    "citizen.sent.tracking_id": ("Nomor pelacakan", "Tracking id"),
    "citizen.sent.keep": (
        "Simpan nomor ini. Anda dapat menyebutkannya di kanal mana pun (web, SMS 1708, email).",
        "Keep this number. You can quote it on any channel (web, SMS 1708, email).",
    ),
    "citizen.sent.pin": ("PIN", "PIN"),
    "citizen.sent.pin_once": (
        "Simpan PIN ini untuk membalas, mengonfirmasi atau menyanggah tanggapan atas "
        "laporan Anda; hanya pelapor yang memegangnya. PIN ini hanya ditampilkan sekali: "
        "catat sekarang.",
        "Keep this PIN to reply to, confirm or dispute the answer to your report; only "
        "the reporter holds it. It is shown only once: write it down now.",
    ),
    "citizen.sent.pin_once_confidential": (
        "Laporan Anda rahasia. Simpan PIN ini untuk membuka laporan, dan untuk membalas, "
        "mengonfirmasi atau menyanggah tanggapannya. PIN ini hanya ditampilkan sekali: "
        "catat sekarang. Tanpa PIN, laporan tidak dapat dibuka.",
        "Your report is confidential. Keep this PIN to open the report, and to reply to, "
        "confirm or dispute its answer. It is shown only once: write it down now. "
        "Without it the report cannot be opened.",
    ),
    "citizen.sent.track": ("Lacak laporan ini", "Track this report"),
    "citizen.lookup.title": ("Lacak laporan", "Track a report"),
    "citizen.lookup.lead": (
        "Masukkan nomor pelacakan. Untuk laporan rahasia, masukkan juga PIN-nya.",
        "Enter the tracking id. For a confidential report, also enter its PIN.",
    ),
    "citizen.lookup.tracking_id": ("Nomor pelacakan", "Tracking id"),
    "citizen.lookup.tracking_hint": ("Contoh: LAP-7K3M9QXT2B", "For example: LAP-7K3M9QXT2B"),
    "citizen.lookup.bad_id": (
        "Nomor pelacakan berbentuk LAP- diikuti 10 huruf/angka.",
        "A tracking id is LAP- followed by 10 letters or digits.",
    ),
    "citizen.lookup.unknown": (
        "Tidak ada laporan dengan nomor pelacakan ini.",
        "No report with this tracking id.",
    ),
    "citizen.lookup.pin": ("PIN (untuk laporan rahasia)", "PIN (for confidential reports)"),
    "citizen.lookup.submit": ("Lacak", "Track"),
    "citizen.track.title": ("Laporan {id}", "Report {id}"),
    "citizen.track.status": ("Status", "Status"),
    "citizen.track.owner": ("Ditangani oleh", "Handled by"),
    "citizen.track.due": ("Tenggat tahap ini", "Due for this stage"),
    "citizen.track.overdue": ("terlambat", "overdue"),
    "citizen.track.category": ("Kategori", "Category"),
    "citizen.track.region": ("Lokasi", "Place"),
    "citizen.track.submitted": ("Dikirim", "Sent"),
    "citizen.track.description": ("Isi laporan", "Description"),
    "citizen.track.hidden": (
        "Isi laporan rahasia tidak ditampilkan.",
        "The content of a confidential report is not shown.",
    ),
    "citizen.track.timeline": ("Riwayat", "Timeline"),
    "citizen.track.answers": ("Tanggapan instansi", "The agency's answers"),
    "citizen.track.no_answers": ("Belum ada tanggapan.", "No answer yet."),
    "citizen.track.pin_title": ("Laporan rahasia", "Confidential report"),
    "citizen.track.pin_lead": (
        "Laporan ini rahasia. Masukkan PIN yang Anda terima saat mengirim laporan.",
        "This report is confidential. Enter the PIN you received when you sent it.",
    ),
    "citizen.track.pin_hint": (
        "PIN yang Anda terima saat mengirim laporan: hanya pelapor yang dapat menambahnya.",
        "The PIN you received when you sent the report: only the reporter can add to it.",
    ),
    "citizen.track.pin_submit": ("Buka laporan", "Open report"),
    "citizen.track.sent_notice": ("Pesan Anda terkirim.", "Your message was sent."),
    "citizen.track.answer_title": ("Tanggapi jawaban instansi", "Respond to the agency's answer"),
    "citizen.track.kind": ("Jenis tanggapan", "Kind of response"),
    "citizen.track.kind_reply": ("Balas (ada yang ingin ditambahkan)", "Reply (add something)"),
    "citizen.track.kind_dispute": (
        "Sanggah (masalah belum selesai)",
        "Dispute (the problem is not solved)",
    ),
    "citizen.track.message": ("Pesan", "Message"),
    "citizen.track.send": ("Kirim tanggapan", "Send response"),
    "citizen.track.confirm_title": ("Masalah sudah selesai?", "Is the problem solved?"),
    "citizen.track.confirm_lead": (
        "Bila tanggapan instansi menyelesaikan masalah Anda, nyatakan selesai. "
        "Laporan akan ditutup.",
        "If the agency's answer solved your problem, confirm it. The report will be closed.",
    ),
    "citizen.track.confirm_message": ("Pesan penutup", "Closing message"),
    "citizen.track.confirm_default": (
        "Terima kasih, masalah saya sudah selesai.",
        "Thank you, my problem is solved.",
    ),
    "citizen.track.confirm": ("Nyatakan selesai", "Confirm it is solved"),
    "citizen.track.info_title": ("Tambah informasi", "Add information"),
    "citizen.track.info_lead": (
        "Tambahkan keterangan atau bukti yang diminta instansi.",
        "Add details or evidence the agency asked for.",
    ),
    "citizen.track.info_send": ("Kirim informasi", "Send information"),
    "citizen.feed.title": ("Laporan publik", "Public reports"),
    "citizen.feed.lead": (
        "Laporan yang tidak rahasia, terbaru lebih dahulu.",
        "Reports that are not confidential, newest first.",
    ),
    "citizen.feed.filters": ("Saring laporan", "Filter reports"),
    "citizen.feed.status": ("Status", "Status"),
    "citizen.feed.apply": ("Terapkan", "Apply"),
    "citizen.feed.count": ("{total} laporan", "{total} reports"),
    "citizen.feed.empty": ("Tidak ada laporan yang cocok.", "No reports match."),
}


def _split(table: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    return {"id": {k: v[0] for k, v in table.items()}, "en": {k: v[1] for k, v in table.items()}}


def _merge(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"id": {}, "en": {}}
    for part in parts:
        for lang in LANGUAGES:
            merged[lang].update(part[lang])
    return merged


MESSAGES: dict[str, dict[str, str]] = _merge(
    _split(_COMMON),
    _split(_CITIZEN),
    _split(STATS_SIPP),
    _split(officer_words()),
    _pairs("common.category", CATEGORY_NAMES),
    _pairs("common.event", EVENT_NAMES),
    _pairs("common.report_type", REPORT_TYPE_NAMES),
    _pairs("common.status", STATUS_NAMES),
    _pairs("common.reason", REASON_NAMES),
)


def translate(lang: str, key: str, **values) -> str:
    """The text of `key` in `lang` (Indonesian when missing there); an unknown
    key shows itself, so a missing word is visible, never a crash."""
    text = MESSAGES.get(lang, {}).get(key) or MESSAGES[DEFAULT].get(key) or key
    return text.format(**values) if values else text


def translator(lang: str):
    def t(key: str, **values) -> str:
        return translate(lang, key, **values)

    return t
