"""The words of the statistics (stats.*) and SIPP catalogue (sipp.*) pages:
key -> (Indonesian, English). i18n.py merges them into MESSAGES."""

from __future__ import annotations

_KPIS = {
    "received": ("Laporan diterima", "Reports received"),
    "verified_within_sla": ("Diverifikasi tepat waktu", "Verified on time"),
    "followed_up": ("Ditindaklanjuti", "Followed up"),
    "followed_up_within_sla": ("Ditindaklanjuti tepat waktu", "Followed up on time"),
    "resolved": ("Selesai", "Resolved"),
    "reopened": ("Dibuka kembali", "Reopened"),
    "verified_within_sla_pct": ("Diverifikasi tepat waktu (%)", "Verified on time (%)"),
    "followed_up_pct": ("Ditindaklanjuti (%)", "Followed up (%)"),
    "followed_up_within_sla_pct": (
        "Ditindaklanjuti tepat waktu (%)",
        "Followed up on time (%)",
    ),
    "resolved_pct": ("Selesai (%)", "Resolved (%)"),
    "reopened_pct": ("Dibuka kembali (%)", "Reopened (%)"),
    "first_response_median_h": (
        "Waktu tanggapan pertama, median (jam)",
        "Time to first response, median (hours)",
    ),
    "first_response_p90_h": (
        "Waktu tanggapan pertama, persentil 90 (jam)",
        "Time to first response, 90th percentile (hours)",
    ),
    "resolution_median_h": (
        "Waktu penyelesaian, median (jam)",
        "Time to resolution, median (hours)",
    ),
    "resolution_p90_h": (
        "Waktu penyelesaian, persentil 90 (jam)",
        "Time to resolution, 90th percentile (hours)",
    ),
}
_KPI_DESCRIPTIONS = {
    "received": (
        "Jumlah laporan yang diterima tiap kelompok pada periode ini.",
        "How many reports each group received in the period.",
    ),
    "verified_within_sla_pct": (
        "Persentase laporan yang diverifikasi dalam 3 hari kerja.",
        "Share of reports verified within 3 working days.",
    ),
    "followed_up_pct": (
        "Persentase laporan yang sudah mendapat tanggapan instansi.",
        "Share of reports the agency has answered.",
    ),
    "followed_up_within_sla_pct": (
        "Persentase laporan yang ditanggapi sebelum tenggat.",
        "Share of reports answered before their deadline.",
    ),
    "resolved_pct": (
        "Persentase laporan yang sudah ditutup.",
        "Share of reports that are closed.",
    ),
    "reopened_pct": (
        "Persentase tanggapan yang dibuka kembali oleh pelapor.",
        "Share of answers the reporter reopened.",
    ),
    "first_response_median_h": (
        "Median jam dari laporan diterima sampai tanggapan pertama.",
        "Median hours from receipt to the first answer.",
    ),
    "resolution_median_h": (
        "Median jam dari laporan diterima sampai selesai.",
        "Median hours from receipt to resolution.",
    ),
}
_STATS = {
    "stats.title": ("Statistik penanganan pengaduan", "Complaint handling statistics"),
    "stats.lead": (
        "Kinerja instansi dalam menindaklanjuti laporan, dihitung dari catatan peristiwa "
        "setiap laporan. Hanya angka agregat; tidak ada data pribadi.",
        "How agencies follow up reports, computed from each report's record of events. "
        "Aggregates only; no personal data.",
    ),
    "stats.filter.legend": ("Pilih tampilan", "Choose what to show"),
    "stats.filter.group_by": ("Kelompokkan menurut", "Group by"),
    "stats.group.agency": ("Instansi", "Agency"),
    "stats.group.region": ("Wilayah", "Region"),
    "stats.group.category": ("Kategori", "Category"),
    "stats.filter.region": ("Kode wilayah", "Region code"),
    "stats.filter.region_hint": (
        "Kode Kemendagri, mis. 32 (Jawa Barat) atau 32.73 (Kota Bandung). Juga menampilkan "
        "indikator daerah baik.",
        "A Kemendagri code, e.g. 32 (West Java) or 32.73 (Bandung). Also shows the "
        "good-region indicators.",
    ),
    "stats.filter.level": ("Tingkat wilayah", "Region level"),
    "stats.level.1": ("Provinsi", "Province"),
    "stats.level.2": ("Kabupaten/kota", "Regency/city"),
    "stats.level.3": ("Kecamatan", "District"),
    "stats.level.4": ("Desa/kelurahan", "Village"),
    "stats.filter.from": ("Diterima sejak", "Received from"),
    "stats.filter.to": ("Diterima sebelum", "Received before"),
    "stats.filter.submit": ("Tampilkan", "Show"),
    "stats.csv": ("Unduh CSV", "Download CSV"),
    "stats.unit.hours": ("jam", "h"),
    "stats.no_data": ("Belum ada data untuk pilihan ini.", "No data for this choice yet."),
    "stats.charts.title": ("Grafik", "Charts"),
    "stats.charts.top": (
        "Grafik menampilkan paling banyak {n} kelompok dengan laporan terbanyak; tabel di "
        "bawah memuat semuanya.",
        "The charts show at most the {n} groups with most reports; the table below has all.",
    ),
    "stats.table.title": ("Angka lengkap", "All numbers"),
    "stats.table.caption": ("Indikator kinerja per {group}", "Indicators per {group}"),
    "stats.region.title": ("Indikator daerah baik: {region}", "Good-region indicators: {region}"),
    "stats.region.good": (
        "Daerah ini memenuhi ketiga indikator.",
        "This region meets all three indicators.",
    ),
    "stats.region.not_good": (
        "Daerah ini belum memenuhi semua indikator.",
        "This region does not yet meet every indicator.",
    ),
    "stats.indicator.complaint_team_decree": (
        "SK tim pengelola pengaduan tercatat",
        "Complaint team decree on record",
    ),
    "stats.indicator.active_accounts": (
        "Akun instansi aktif ({n} akun)",
        "Active agency accounts ({n} accounts)",
    ),
    "stats.indicator.followed_up_over_half": (
        "Lebih dari 50% laporan ditindaklanjuti ({pct})",
        "More than 50% of reports followed up ({pct})",
    ),
    "stats.indicator.met": ("terpenuhi", "met"),
    "stats.indicator.not_met": ("belum terpenuhi", "not met"),
    "stats.definitions": (
        "Definisi setiap indikator mengikuti docs/kpis.md; data yang sama tersedia di "
        "/api/v1/kpis.",
        "Each indicator is defined in docs/kpis.md; the same data is at /api/v1/kpis.",
    ),
}
_STATS.update({f"stats.kpi.{k}": v for k, v in _KPIS.items()})
_STATS.update({f"stats.kpi_desc.{k}": v for k, v in _KPI_DESCRIPTIONS.items()})

# the 14 components of PermenPANRB 15/2014
_COMPONENTS = {
    "requirements": ("Persyaratan", "Requirements"),
    "procedure": ("Sistem, mekanisme, dan prosedur", "System, mechanism and procedure"),
    "completion_time": ("Jangka waktu penyelesaian", "Completion time"),
    "cost": ("Biaya/tarif", "Cost or fee"),
    "product": ("Produk pelayanan", "Service product"),
    "complaint_handling": (
        "Penanganan pengaduan, saran, dan masukan",
        "Handling of complaints, suggestions and feedback",
    ),
    "legal_basis": ("Dasar hukum", "Legal basis"),
    "facilities": (
        "Sarana dan prasarana, dan/atau fasilitas",
        "Facilities and infrastructure",
    ),
    "staff_competence": ("Kompetensi pelaksana", "Competence of the staff"),
    "internal_supervision": ("Pengawasan internal", "Internal supervision"),
    "staff_count": ("Jumlah pelaksana", "Number of staff"),
    "service_guarantee": ("Jaminan pelayanan", "Service guarantee"),
    "security_guarantee": (
        "Jaminan keamanan dan keselamatan pelayanan",
        "Security and safety guarantee",
    ),
    "performance_evaluation": ("Evaluasi kinerja pelaksana", "Evaluation of staff performance"),
}
# the form's fields: the columns of the SIPP spreadsheet template
_FIELDS = {
    "slug": ("Kode standar", "Standard code"),
    "service_name": ("Nama layanan", "Service name"),
    "category": ("Kategori", "Category"),
    "description": ("Uraian singkat", "Short description"),
    "requirements": ("Persyaratan", "Requirements"),
    "procedure": ("Langkah prosedur", "Procedure steps"),
    "completion_time_value": ("Jangka waktu", "Completion time"),
    "completion_time_unit": ("Satuan waktu", "Unit of time"),
    "cost_amount": ("Biaya (rupiah; 0 = gratis)", "Cost (rupiah; 0 = free)"),
    "cost_legal_basis": ("Dasar hukum biaya", "Legal basis of the cost"),
    "product": ("Produk pelayanan", "Service product"),
    "complaint_channels": ("Saluran pengaduan", "Complaint channels"),
    "complaint_via_lapor": (
        "Pengaduan juga diterima melalui SP4N-LAPOR!",
        "Complaints are also taken through SP4N-LAPOR!",
    ),
    "legal_basis": ("Dasar hukum", "Legal basis"),
    "facilities": ("Sarana, prasarana, dan fasilitas", "Facilities"),
    "staff_competence": ("Kompetensi pelaksana", "Competence of the staff"),
    "internal_supervision": ("Pengawasan internal", "Internal supervision"),
    "staff_count": ("Jumlah pelaksana (orang)", "Number of staff (people)"),
    "service_guarantee": ("Jaminan pelayanan", "Service guarantee"),
    "security_guarantee": (
        "Jaminan keamanan dan keselamatan",
        "Security and safety guarantee",
    ),
    "performance_evaluation": ("Evaluasi kinerja pelaksana", "Evaluation of staff performance"),
    "decree_number": ("Nomor SK penetapan", "Number of the decree"),
    "decree_date": ("Tanggal SK", "Date of the decree"),
    "pledge": ("Maklumat pelayanan", "Service pledge"),
    "note": ("Catatan perubahan", "What changed"),
}
_SIPP = {
    "sipp.search.title": ("Standar pelayanan", "Service standards"),
    "sipp.search.lead": (
        "Cari standar pelayanan yang diterbitkan instansi: persyaratan, prosedur, waktu, "
        "dan biaya setiap layanan.",
        "Find the service standards agencies publish: the requirements, procedure, time "
        "and cost of each service.",
    ),
    "sipp.search.legend": ("Cari standar", "Search standards"),
    "sipp.search.q": ("Kata kunci", "Keywords"),
    "sipp.search.q_hint": ("Mis. kartu keluarga hilang", "E.g. kartu keluarga hilang"),
    "sipp.search.region": ("Kode wilayah", "Region code"),
    "sipp.search.region_hint": ("Mis. 32.73 untuk Kota Bandung", "E.g. 32.73 for Bandung"),
    "sipp.search.agency": ("Kode instansi", "Agency code"),
    "sipp.search.agency_hint": ("Mis. pemkot-3273-disdukcapil", "E.g. pemkot-3273-disdukcapil"),
    "sipp.search.category": ("Kategori", "Category"),
    "sipp.search.submit": ("Cari", "Search"),
    "sipp.search.results": ("{total} standar ditemukan", "{total} standards found"),
    "sipp.search.none": (
        "Tidak ada standar yang cocok. Coba kata kunci lain.",
        "No standard matches. Try other keywords.",
    ),
    "sipp.search.results_label": ("Hasil pencarian", "Search results"),
    "sipp.pages": ("Halaman hasil", "Result pages"),
    "sipp.group.delivery": ("Penyampaian pelayanan", "Service delivery"),
    "sipp.group.management": ("Pengelolaan pelayanan", "Service management"),
    "sipp.components_title": ("14 komponen standar pelayanan", "The 14 components of the standard"),
    "sipp.components_basis": (
        "Menurut Peraturan Menteri PANRB Nomor 15 Tahun 2014.",
        "As set by Minister of PANRB Regulation 15/2014.",
    ),
    "sipp.agency": ("Instansi", "Agency"),
    "sipp.region": ("Wilayah", "Region"),
    "sipp.category": ("Kategori", "Category"),
    "sipp.status": ("Status", "Status"),
    "sipp.status.draft": ("Draf", "Draft"),
    "sipp.status.published": ("Terbit", "Published"),
    "sipp.status.withdrawn": ("Ditarik", "Withdrawn"),
    "sipp.version": ("Versi", "Version"),
    "sipp.version_n": ("Versi {n}", "Version {n}"),
    "sipp.version_old": (
        "Anda melihat versi {n}; versi terbaru adalah {latest}.",
        "You are looking at version {n}; the latest is {latest}.",
    ),
    "sipp.versions": ("Riwayat versi", "Versions"),
    "sipp.updated": ("Diperbarui", "Updated"),
    "sipp.free": ("Gratis", "Free of charge"),
    "sipp.rupiah": ("Rp{amount}", "IDR {amount}"),
    "sipp.lapor_yes": (
        "Pengaduan juga dapat disampaikan melalui SP4N-LAPOR!",
        "Complaints can also be made through SP4N-LAPOR!",
    ),
    "sipp.people": ("{n} orang", "{n} people"),
    "sipp.decree": ("Ditetapkan dengan SK", "Set by decree"),
    "sipp.decree_value": ("Nomor {number}, tanggal {date}", "Number {number}, dated {date}"),
    "sipp.pledge": ("Maklumat pelayanan", "Service pledge"),
    "sipp.demo": (
        "Data contoh untuk demonstrasi, bukan standar resmi.",
        "Demonstration data, not an official standard.",
    ),
    "sipp.withdrawn_note": (
        "Standar ini sudah ditarik dan tidak berlaku lagi.",
        "This standard has been withdrawn and no longer applies.",
    ),
    "sipp.not_found": ("Standar tidak ditemukan", "Standard not found"),
    "sipp.not_found_text": (
        "Tidak ada standar terbit dengan kode {id}.",
        "There is no published standard with the code {id}.",
    ),
    "sipp.back_to_search": ("Kembali ke pencarian standar", "Back to the standards search"),
    "sipp.list_hint": ("Satu butir per baris.", "One item per line."),
    "sipp.slug_hint": (
        "Huruf kecil, angka, dan tanda hubung, mis. kk-hilang. Tidak dapat diubah.",
        "Lower-case letters, digits and hyphens, e.g. kk-hilang. Cannot be changed later.",
    ),
    "sipp.manage.title": ("Kelola standar pelayanan", "Manage service standards"),
    "sipp.manage.lead": (
        "Standar pelayanan {agency}: draf, terbit, dan ditarik.",
        "The service standards of {agency}: drafts, published and withdrawn.",
    ),
    "sipp.manage.new": ("Buat standar baru", "Create a new standard"),
    "sipp.manage.edit": ("Ubah", "Edit"),
    "sipp.manage.view": ("Lihat", "View"),
    "sipp.manage.empty": ("Belum ada standar.", "No standards yet."),
    "sipp.manage.list": ("Standar instansi", "The agency's standards"),
    "sipp.manage.publish": ("Terbitkan", "Publish"),
    "sipp.manage.done.published": ("Standar {id} diterbitkan.", "Standard {id} is published."),
    "sipp.manage.done.drafted": ("Draf {id} disimpan.", "Draft {id} is saved."),
    "sipp.manage.done.revised": (
        "Versi baru standar {id} diterbitkan.",
        "A new version of standard {id} is published.",
    ),
    "sipp.manage.done.unchanged": (
        "Tidak ada perubahan pada {id}; tidak ada versi baru.",
        "Nothing changed in {id}; no new version.",
    ),
    "sipp.edit.new_title": ("Standar pelayanan baru", "New service standard"),
    "sipp.edit.title": ("Ubah standar {id}", "Edit standard {id}"),
    "sipp.edit.about": ("Layanan", "The service"),
    "sipp.edit.decree": ("Penetapan dan maklumat", "Decree and pledge"),
    "sipp.edit.revision": ("Revisi", "Revision"),
    "sipp.edit.revision_hint": (
        "Menyimpan standar yang sudah terbit menerbitkan versi baru; versi lama tetap "
        "dapat dibaca.",
        "Saving a published standard publishes a new version; earlier ones stay readable.",
    ),
    "sipp.edit.save_draft": ("Simpan sebagai draf", "Save as draft"),
    "sipp.edit.publish": ("Terbitkan", "Publish"),
    "sipp.edit.revise": ("Terbitkan versi baru", "Publish a new version"),
    "sipp.edit.cancel": ("Batal", "Cancel"),
    "sipp.manage.done.withdrawn": (
        "Standar {id} ditarik; tidak lagi muncul di pencarian.",
        "Standard {id} is withdrawn; it no longer appears in the search.",
    ),
    "sipp.withdraw.title": ("Tarik standar", "Withdraw the standard"),
    "sipp.withdraw.lead": (
        "Standar yang ditarik hilang dari pencarian; versi-versinya tetap dapat dibaca. "
        "Menerbitkan versi baru memberlakukannya kembali.",
        "A withdrawn standard disappears from the search; its versions stay readable. "
        "Publishing a new version brings it back.",
    ),
    "sipp.withdraw.reason": ("Alasan penarikan", "Reason for withdrawal"),
    "sipp.withdraw.reason_hint": (
        "Dicatat bersama penarikannya, mis. layanan digabung dengan layanan lain.",
        "Recorded with the withdrawal, e.g. the service was merged into another.",
    ),
    "sipp.withdraw.submit": ("Tarik standar", "Withdraw the standard"),
}
_SIPP.update({f"sipp.component.{k}": v for k, v in _COMPONENTS.items()})
_SIPP.update({f"sipp.field.{k}": v for k, v in _FIELDS.items()})
_SIPP.update(
    {
        "sipp.unit.minutes": ("menit", "minutes"),
        "sipp.unit.hours": ("jam", "hours"),
        "sipp.unit.days": ("hari", "days"),
        "sipp.unit.working_days": ("hari kerja", "working days"),
    }
)

STATS_SIPP: dict[str, tuple[str, str]] = {**_STATS, **_SIPP}
