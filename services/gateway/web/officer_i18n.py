"""The officers' pages' words (officer.*), in Indonesian and English; i18n.py
merges them into MESSAGES."""

from __future__ import annotations

from lapor.contracts.case import ACTOR_ROLES, ARCHIVE_REASONS, COMPLEXITIES, STAGES, STATUSES

# key: (Indonesian, English)
OFFICER = {
    "officer.login.title": ("Masuk petugas", "Officer login"),
    "officer.login.lead": (
        "Untuk petugas instansi: admin nasional, koordinator instansi dan pejabat penghubung.",
        "For agency staff: the national admin, agency coordinators and liaison officers.",
    ),
    "officer.login.email": ("Email", "Email"),
    "officer.login.password": ("Kata sandi", "Password"),
    "officer.login.submit": ("Masuk", "Log in"),
    "officer.login.wrong": (
        "Email atau kata sandi salah. Periksa keduanya lalu coba lagi.",
        "The email or the password is wrong. Check both and try again.",
    ),
    "officer.login.locked": (
        "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam "
        "{minutes} menit.",
        "Too many failed logins for this account. Try again in {minutes} minutes.",
    ),
    "officer.login.logged_out": ("Anda sudah keluar.", "You have logged out."),
    "officer.bar.signed_in": (
        "Masuk sebagai {name} — {role}, {agency}",
        "Logged in as {name} — {role}, {agency}",
    ),
    "officer.bar.inbox": ("Kotak masuk", "Inbox"),
    "officer.bar.account": ("Akun", "Account"),
    "officer.totp.code_title": ("Kode verifikasi", "Verification code"),
    "officer.totp.code_lead": (
        "Akun ini memakai verifikasi dua langkah. Masukkan kode 6 angka yang sedang "
        "ditampilkan aplikasi autentikator di ponsel Anda.",
        "This account uses two-step verification. Enter the 6-digit code your phone's "
        "authenticator app shows now.",
    ),
    "officer.totp.code": ("Kode 6 angka", "6-digit code"),
    "officer.totp.code_hint": (
        "Kode berganti setiap 30 detik; satu kode hanya berlaku sekali.",
        "The code changes every 30 seconds; each code works once.",
    ),
    "officer.totp.submit": ("Verifikasi", "Verify"),
    "officer.totp.back": ("Kembali ke halaman masuk", "Back to the login page"),
    "officer.totp.format": ("Masukkan 6 angka.", "Enter 6 digits."),
    "officer.totp.wrong": (
        "Kode salah atau sudah pernah dipakai. Tunggu kode berikutnya, lalu coba lagi.",
        "The code is wrong or was already used. Wait for the next code and try again.",
    ),
    "officer.totp.expired": (
        "Waktu untuk memasukkan kode sudah habis. Masuk lagi dengan email dan kata sandi.",
        "The time to enter the code has passed. Log in again with your email and password.",
    ),
    "officer.totp.blocked": (
        "Terlalu banyak kode salah: akun ini tidak dapat masuk sampai admin instansi Anda "
        "mematikan verifikasi dua langkahnya. Hubungi admin instansi Anda.",
        "Too many wrong codes: this account cannot log in until your agency admin turns off "
        "its two-step verification. Contact your agency admin.",
    ),
    "officer.account.title": ("Akun dan keamanan", "Account and security"),
    "officer.account.totp_title": ("Verifikasi dua langkah", "Two-step verification"),
    "officer.account.totp_lead": (
        "Dengan verifikasi dua langkah, setelah kata sandi Anda juga memasukkan kode 6 angka "
        "dari aplikasi autentikator (mis. Aegis, FreeOTP, Google Authenticator) di ponsel.",
        "With two-step verification, after your password you also enter a 6-digit code "
        "from an authenticator app (e.g. Aegis, FreeOTP, Google Authenticator) on your phone.",
    ),
    "officer.account.on": ("Verifikasi dua langkah aktif.", "Two-step verification is on."),
    "officer.account.off": (
        "Verifikasi dua langkah belum aktif.",
        "Two-step verification is off.",
    ),
    "officer.account.start": ("Siapkan verifikasi dua langkah", "Set up two-step verification"),
    "officer.account.restart": ("Buat kunci baru", "Make a new key"),
    "officer.account.add_lead": (
        "Tambahkan akun ini ke aplikasi autentikator: ketik kunci rahasia di bawah, atau "
        "buka URI otpauth di ponsel. Jangan bagikan kunci ini kepada siapa pun.",
        "Add this account to your authenticator app: type the secret key below, or open the "
        "otpauth URI on your phone. Never share this key.",
    ),
    "officer.account.secret": ("Kunci rahasia (base32)", "Secret key (base32)"),
    "officer.account.uri": ("URI otpauth", "otpauth URI"),
    "officer.account.open_app": ("Buka di aplikasi autentikator", "Open in the authenticator app"),
    "officer.account.enable_lead": (
        "Lalu masukkan kode yang ditampilkan aplikasi, untuk memastikan semuanya benar.",
        "Then enter the code the app shows, to make sure all is right.",
    ),
    "officer.account.password_lead": (
        "Untuk keamanan, masukkan juga kata sandi Anda. Setelah aktif, sesi akun ini di "
        "perangkat lain berakhir.",
        "For your security, enter your password too. Once it is on, this account's sessions "
        "on other devices end.",
    ),
    "officer.account.password_wrong": (
        "Kata sandi salah.",
        "The password is wrong.",
    ),
    "officer.account.enable": ("Aktifkan", "Turn on"),
    "officer.account.disable_lead": (
        "Untuk mematikannya, masukkan kode yang sedang ditampilkan aplikasi.",
        "To turn it off, enter the code the app shows now.",
    ),
    "officer.account.disable": ("Matikan verifikasi dua langkah", "Turn off two-step verification"),
    "officer.account.lost": (
        "Ponsel hilang? Minta admin sistem mematikan verifikasi dua langkah akun Anda.",
        "Lost your phone? Ask the system admin to turn off two-step verification for you.",
    ),
    "officer.account.done.on": (
        "Verifikasi dua langkah aktif: masuk berikutnya meminta kode.",
        "Two-step verification is on: your next login asks for a code.",
    ),
    "officer.account.done.off": (
        "Verifikasi dua langkah dimatikan.",
        "Two-step verification is off.",
    ),
    "officer.logout": ("Keluar", "Log out"),
    "officer.inbox.title": ("Kotak masuk laporan", "Report inbox"),
    "officer.inbox.lead": (
        "Laporan yang menjadi tanggung jawab instansi Anda dan unit di bawahnya; tenggat "
        "terdekat lebih dahulu.",
        "Reports your agency and its units must act on; the nearest deadline first.",
    ),
    "officer.inbox.filters": ("Saring laporan", "Filter reports"),
    "officer.inbox.status": ("Status", "Status"),
    "officer.inbox.overdue": ("Hanya yang melewati tenggat", "Only those past their deadline"),
    "officer.inbox.category": ("Kategori", "Category"),
    "officer.inbox.region": ("Kode wilayah", "Region code"),
    "officer.inbox.region_hint": (
        "Kode Kemendagri, mis. 32.73 untuk Kota Bandung dan seluruh wilayahnya.",
        "A Kemendagri code, e.g. 32.73 for Kota Bandung and everything within it.",
    ),
    "officer.inbox.from": ("Dikirim sejak", "Sent from"),
    "officer.inbox.to": ("Dikirim sampai", "Sent until"),
    "officer.inbox.apply": ("Terapkan", "Apply"),
    "officer.inbox.reset": ("Hapus saringan", "Clear filters"),
    "officer.inbox.count": ("{total} laporan", "{total} reports"),
    "officer.inbox.empty": ("Tidak ada laporan yang cocok.", "No reports match."),
    "officer.inbox.caption": (
        "Laporan, diurutkan menurut tenggat",
        "Reports, ordered by deadline",
    ),
    "officer.inbox.col.id": ("Nomor", "Tracking id"),
    "officer.inbox.col.title": ("Judul", "Title"),
    "officer.inbox.col.status": ("Status", "Status"),
    "officer.inbox.col.owner": ("Ditangani oleh", "Handled by"),
    "officer.inbox.col.due": ("Tenggat", "Due"),
    "officer.inbox.col.submitted": ("Dikirim", "Sent"),
    "officer.inbox.overdue_mark": ("Terlambat", "Overdue"),
    "officer.inbox.no_due": ("Tanpa tenggat", "No deadline"),
    "officer.case.title": ("Laporan {id}", "Report {id}"),
    "officer.case.back": ("Kembali ke kotak masuk", "Back to the inbox"),
    "officer.case.attachments": ("Lampiran", "Attachments"),
    "officer.case.about": ("Ringkasan", "Summary"),
    "officer.case.status": ("Status", "Status"),
    "officer.case.owner": ("Ditangani oleh", "Handled by"),
    "officer.case.stage": ("Tahap", "Stage"),
    "officer.case.due": ("Tenggat tahap ini", "Due for this stage"),
    "officer.case.report_type": ("Jenis laporan", "Type of report"),
    "officer.case.category": ("Kategori", "Category"),
    "officer.case.complexity": ("Kompleksitas", "Complexity"),
    "officer.case.region": ("Lokasi", "Place"),
    "officer.case.submitted": ("Dikirim", "Sent"),
    "officer.case.channel": ("Kanal", "Channel"),
    "officer.case.privacy": ("Kerahasiaan", "Privacy"),
    "officer.case.anonymous": ("anonim", "anonymous"),
    "officer.case.confidential": ("rahasia", "confidential"),
    "officer.case.public": ("terbuka", "open"),
    "officer.case.description": ("Isi laporan", "Description"),
    "officer.case.reporter": ("Pelapor", "Reporter"),
    "officer.case.reporter_hidden": (
        "Laporan anonim: identitas pelapor tidak ditampilkan kepada instansi.",
        "An anonymous report: the reporter's identity is not shown to agencies.",
    ),
    "officer.case.timeline": ("Jejak audit", "Audit trail"),
    "officer.case.by": ("oleh {role}", "by {role}"),
    "officer.case.actions": ("Tindakan", "Actions"),
    "officer.case.no_actions": (
        "Tidak ada tindakan yang dapat Anda lakukan pada laporan ini dalam status sekarang.",
        "There is nothing you can do to this report in its current status.",
    ),
    "officer.case.done": ("Berhasil: {action}.", "Done: {action}."),
    "officer.case.refused": ("Tindakan ditolak:", "The action was refused:"),
    "officer.not_found.title": ("Laporan tidak ditemukan", "Report not found"),
    "officer.not_found.message": (
        "Tidak ada laporan dengan nomor ini untuk instansi Anda.",
        "There is no report with this tracking id for your agency.",
    ),
    "officer.action.verify": ("Verifikasi", "Verify"),
    "officer.action.verify.lead": (
        "Klasifikasikan laporan. Kompleksitas menentukan tenggat tindak lanjut: "
        "5, 14 atau 60 hari kerja.",
        "Classify the report. The complexity sets the follow-up deadline: 5, 14 or 60 "
        "working days.",
    ),
    "officer.action.defer": ("Tunda", "Defer"),
    "officer.action.defer.lead": (
        "Minta pelapor melengkapi informasi; tenggat berhenti sampai pelapor menjawab.",
        "Ask the reporter for more information; the clock stops until they answer.",
    ),
    "officer.action.archive": ("Arsipkan", "Archive"),
    "officer.action.archive.lead": (
        "Tutup laporan yang tidak dapat ditindaklanjuti, dengan alasannya.",
        "Close a report that cannot be followed up, with the reason.",
    ),
    "officer.action.merge": ("Gabungkan", "Merge"),
    "officer.action.merge.lead": (
        "Laporan ini sama dengan laporan lain; laporan itu yang dilanjutkan.",
        "This report duplicates another; that one carries on.",
    ),
    "officer.action.assign": ("Disposisikan", "Assign"),
    "officer.action.assign.lead": (
        "Serahkan laporan kepada instansi yang berwenang menindaklanjuti.",
        "Hand the report to the agency with the authority to act.",
    ),
    "officer.action.dispose": ("Teruskan ke unit kerja", "Pass to a unit"),
    "officer.action.dispose.lead": (
        "Teruskan laporan ke unit kerja di bawah instansi ini; tenggat tetap.",
        "Pass the report to a unit under this agency; the deadline stays.",
    ),
    "officer.action.accept": ("Terima dan proses", "Accept"),
    "officer.action.accept.lead": (
        "Instansi ini menindaklanjuti laporan.",
        "This agency takes the report on.",
    ),
    "officer.action.return": ("Kembalikan: bukan wewenang", "Return: not our authority"),
    "officer.action.return.lead": (
        "Laporan kembali ke koordinator satu tingkat di atas, yang meneruskannya.",
        "The report goes back to the coordinator one tier up, who re-routes it.",
    ),
    "officer.action.respond": ("Kirim tanggapan", "Send the answer"),
    "officer.action.respond.lead": (
        "Tanggapan dikirim kepada pelapor, yang dapat menyatakan selesai atau menyanggah.",
        "The answer goes to the reporter, who can confirm it or dispute it.",
    ),
    "officer.field.report_type": ("Jenis laporan", "Type of report"),
    "officer.field.category": ("Kategori", "Category"),
    "officer.field.complexity": ("Kompleksitas", "Complexity"),
    "officer.field.defer_note": (
        "Informasi yang diminta dari pelapor",
        "Information asked of the reporter",
    ),
    "officer.field.reason": ("Alasan", "Reason"),
    "officer.field.note": ("Catatan", "Note"),
    "officer.field.into": ("Nomor laporan yang dilanjutkan", "Tracking id of the report kept"),
    "officer.field.into_hint": ("Contoh: LAP-7K3M9QXT2B", "For example: LAP-7K3M9QXT2B"),
    "officer.field.agency": ("Instansi tujuan", "Agency"),
    "officer.field.agency_code_hint": (
        "Kode instansi, mis. pemkot-3273-disdukcapil.",
        "The agency's code, e.g. pemkot-3273-disdukcapil.",
    ),
    "officer.field.unit": ("Unit kerja", "Unit"),
    "officer.field.return_reason": (
        "Mengapa ini bukan wewenang instansi Anda",
        "Why this is not your agency's authority",
    ),
    "officer.field.suggested_agency": ("Instansi yang disarankan", "Suggested agency"),
    "officer.field.message": ("Tanggapan kepada pelapor", "Answer to the reporter"),
    "officer.field.attachments": ("Lampiran", "Attachments"),
    "officer.field.attachments_hint": (
        "Foto atau dokumen (JPG, PNG, PDF), paling banyak 2 MB seluruhnya.",
        "Photos or documents (JPG, PNG, PDF), at most 2 MB in total.",
    ),
}

ROLE_NAMES = {
    "system": ("Sistem", "System"),
    "national_admin": ("Admin nasional", "National admin"),
    "coordinator": ("Koordinator instansi", "Agency coordinator"),
    "officer": ("Pejabat penghubung", "Liaison officer"),
    "agency_system": ("Sistem instansi", "Agency system"),
    "reporter": ("Pelapor", "Reporter"),
}
STATUS_NAMES = {
    "unverified": ("Belum terverifikasi", "Not yet verified"),
    "deferred": ("Tertunda", "Deferred"),
    "verified": ("Terverifikasi, belum terdisposisi", "Verified, not yet assigned"),
    "assigned": ("Terdisposisi, belum ditindaklanjuti", "Assigned, not yet followed up"),
    "in_progress": ("Sedang diproses", "In progress"),
    "responded": ("Sudah ditanggapi", "Answered"),
    "returned": ("Dikembalikan: bukan wewenang", "Returned: not its authority"),
    "escalated": ("Dieskalasi", "Escalated"),
    "archived": ("Arsip", "Archived"),
    "closed": ("Selesai", "Closed"),
}
STAGE_NAMES = {
    "verification": ("Verifikasi", "Verification"),
    "follow_up": ("Tindak lanjut", "Follow-up"),
    "closure": ("Menunggu konfirmasi pelapor", "Waiting for the reporter"),
}
COMPLEXITY_NAMES = {
    "simple": ("Sederhana (5 hari kerja)", "Simple (5 working days)"),
    "standard": ("Biasa (14 hari kerja)", "Standard (14 working days)"),
    "field_examination": ("Pemeriksaan lapangan (60 hari kerja)", "Field examination (60 days)"),
}
ARCHIVE_NAMES = {
    "wrong_format": ("Bukan laporan (spam, kosong)", "Not a report (spam, empty)"),
    "too_general": ("Terlalu umum", "Too general"),
    "not_government_performance": (
        "Bukan tentang kinerja pemerintah",
        "Not about government performance",
    ),
    "out_of_scope": (
        "Di luar lingkup (perkara pengadilan, legislatif, pidana)",
        "Out of scope (court cases, legislature, crimes)",
    ),
    "abusive": ("Kasar atau menghasut (SARA)", "Abusive or inciting hatred"),
    "duplicate": ("Duplikat", "Duplicate"),
}
assert set(ROLE_NAMES) == set(ACTOR_ROLES) and set(STATUS_NAMES) == set(STATUSES)
assert set(STAGE_NAMES) == set(STAGES) and set(COMPLEXITY_NAMES) == set(COMPLEXITIES)
assert set(ARCHIVE_NAMES) == set(ARCHIVE_REASONS)


# a report's attachments, on the officers' case page and the reporter's
# /lacak/<id>/lampiran (services/gateway/web/attachments.py)
ATTACHMENTS = {
    "attachments.title": ("Lampiran laporan {id}", "Attachments of report {id}"),
    "attachments.back": ("Kembali ke laporan {id}", "Back to report {id}"),
    "attachments.lead": (
        "Dokumen dan foto yang dikirim instansi bersama tanggapannya. Berkas dari "
        "pelapor hanya tampil bagi pelapor, setelah PIN laporan dimasukkan: foto dapat "
        "memuat lokasi dan perangkat yang merekamnya.",
        "Documents and photos the agency sent with its answers. The reporter's own "
        "files are shown only to the reporter, after the report's PIN is given: a photo "
        "can carry the place and device that took it.",
    ),
    "attachments.link": ("Lampiran laporan ini", "This report's attachments"),
    "attachments.none": ("Tidak ada lampiran.", "No attachments."),
    "attachments.file": ("{kind} dari {sender}, {kb} kB", "{kind} from {sender}, {kb} kB"),
    "attachments.from.reporter": ("pelapor", "the reporter"),
    "attachments.from.agency": ("instansi", "the agency"),
    "attachments.kind.jpg": ("Foto JPEG", "JPEG photo"),
    "attachments.kind.png": ("Gambar PNG", "PNG image"),
    "attachments.kind.gif": ("Gambar GIF", "GIF image"),
    "attachments.kind.webp": ("Gambar WebP", "WebP image"),
    "attachments.kind.pdf": ("Dokumen PDF", "PDF document"),
    "attachments.kind.bin": ("Berkas", "File"),
    "attachments.not_found": (
        "Lampiran ini tidak ada pada laporan tersebut.",
        "This report has no such attachment.",
    ),
}


def officer_words() -> dict[str, tuple[str, str]]:
    """Every officer.* key (and attachments.*) with its (Indonesian, English) words."""
    words = dict(OFFICER) | ATTACHMENTS
    for prefix, names in (
        ("officer.role", ROLE_NAMES),
        ("officer.status", STATUS_NAMES),
        ("officer.stage", STAGE_NAMES),
        ("officer.complexity", COMPLEXITY_NAMES),
        ("officer.archive", ARCHIVE_NAMES),
    ):
        words.update({f"{prefix}.{k}": v for k, v in names.items()})
    return words
