"""The demo's services, by unit type: what a citizen needs, does, waits and pays.

Requirements, procedures and legal bases follow the published practice of
Indonesian regional offices (UU 24/2013, Perpres 96/2018, PP 5/2021, PP
16/2021, UU 17/2023), but the standards are demonstration data, not any
office's official standard.
"""

from __future__ import annotations

ADMINDUK = [
    "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan sebagaimana "
    "diubah dengan Undang-Undang Nomor 24 Tahun 2013",
    "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran "
    "Penduduk dan Pencatatan Sipil",
    "Peraturan Menteri Dalam Negeri Nomor 109 Tahun 2019 tentang Formulir dan Buku yang "
    "Digunakan dalam Administrasi Kependudukan",
]
PERIZINAN = [
    "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko",
    "Peraturan Pemerintah Nomor 6 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha di Daerah",
]
KESEHATAN = [
    "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan",
    "Peraturan Daerah tentang Retribusi Jasa Umum Pelayanan Kesehatan",
]
FREE = {
    "amount": 0,
    "legal_basis": "Pasal 79A Undang-Undang Nomor 24 Tahun 2013: tidak dipungut biaya",
}


def _svc(slug, unit, name, category, requirements, procedure, time, cost, product, legal):
    return {
        "slug": slug,
        "unit_type": unit,
        "service_name": name,
        "category": category,
        "requirements": requirements,
        "procedure": procedure,
        "completion_time": {"value": time[0], "unit": time[1]},
        "cost": cost,
        "product": product,
        "legal_basis": legal,
    }


_DUKCAPIL_STEPS = [
    "Pemohon mengisi formulir dan mengunggah persyaratan melalui aplikasi layanan online "
    "atau datang ke loket pelayanan",
    "Petugas memverifikasi dan memvalidasi berkas",
    "Operator memproses data pada SIAK Terpusat",
    "Kepala Dinas menandatangani dokumen secara elektronik",
    "Dokumen dicetak atau dikirim dalam bentuk PDF berkode QR kepada pemohon",
]

SERVICES = [
    _svc(
        "ktp-el-baru",
        "disdukcapil",
        "Penerbitan KTP-el Baru (Perekaman Pertama)",
        "kependudukan",
        [
            "Telah berusia 17 tahun, sudah kawin atau pernah kawin",
            "Fotokopi Kartu Keluarga",
            "Hadir untuk perekaman sidik jari, iris mata dan foto",
        ],
        [
            "Pemohon datang ke kantor Disdukcapil atau kecamatan dengan membawa persyaratan",
            "Perekaman biometrik oleh petugas",
            "Verifikasi data pada SIAK Terpusat",
            "Pencetakan KTP-el dan penyerahan kepada pemohon",
        ],
        (1, "working_days"),
        FREE,
        "Kartu Tanda Penduduk Elektronik (KTP-el)",
        ADMINDUK,
    ),
    _svc(
        "ktp-el-hilang",
        "disdukcapil",
        "Penerbitan KTP-el karena Hilang atau Rusak",
        "kependudukan",
        [
            "Surat keterangan kehilangan dari kepolisian (untuk KTP-el yang hilang)",
            "KTP-el yang rusak (untuk KTP-el yang rusak)",
            "Fotokopi Kartu Keluarga",
        ],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "KTP-el pengganti",
        ADMINDUK,
    ),
    _svc(
        "kk-baru",
        "disdukcapil",
        "Penerbitan Kartu Keluarga Baru",
        "kependudukan",
        [
            "Buku nikah atau kutipan akta perkawinan",
            "Surat keterangan pindah bagi penduduk yang pindah",
            "Formulir F-1.01 yang diisi",
        ],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "Kartu Keluarga (KK)",
        ADMINDUK,
    ),
    _svc(
        "kk-hilang",
        "disdukcapil",
        "Penerbitan Kartu Keluarga karena Hilang atau Rusak",
        "kependudukan",
        [
            "Surat keterangan kehilangan dari kepolisian (untuk KK yang hilang)",
            "Kartu Keluarga yang rusak (untuk KK yang rusak)",
            "KTP-el kepala keluarga",
        ],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "Kartu Keluarga (KK) pengganti",
        ADMINDUK,
    ),
    _svc(
        "kk-perubahan",
        "disdukcapil",
        "Perubahan Data Kartu Keluarga (Penambahan atau Pengurangan Anggota)",
        "kependudukan",
        [
            "Kartu Keluarga lama",
            "Akta kelahiran anggota baru atau akta kematian anggota",
            "Formulir F-1.06 perubahan data",
        ],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "Kartu Keluarga (KK) dengan data baru",
        ADMINDUK,
    ),
    _svc(
        "akta-kelahiran",
        "disdukcapil",
        "Penerbitan Akta Kelahiran",
        "kependudukan",
        [
            "Surat keterangan kelahiran dari rumah sakit, puskesmas atau bidan",
            "Kartu Keluarga orang tua",
            "Buku nikah atau akta perkawinan orang tua",
            "Formulir F-2.01",
        ],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "Kutipan Akta Kelahiran",
        ADMINDUK,
    ),
    _svc(
        "akta-kematian",
        "disdukcapil",
        "Penerbitan Akta Kematian",
        "kependudukan",
        [
            "Surat keterangan kematian dari rumah sakit atau kelurahan",
            "KTP-el dan Kartu Keluarga almarhum",
            "KTP-el pelapor",
        ],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "Kutipan Akta Kematian",
        ADMINDUK,
    ),
    _svc(
        "pindah-domisili",
        "disdukcapil",
        "Surat Keterangan Pindah Penduduk (Pindah Domisili)",
        "kependudukan",
        ["Kartu Keluarga", "KTP-el", "Alamat tujuan pindah yang lengkap"],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI)",
        ADMINDUK,
    ),
    _svc(
        "kia",
        "disdukcapil",
        "Penerbitan Kartu Identitas Anak (KIA)",
        "kependudukan",
        [
            "Kutipan akta kelahiran anak",
            "Kartu Keluarga orang tua",
            "Pas foto anak berwarna (usia 5 tahun ke atas)",
        ],
        _DUKCAPIL_STEPS,
        (1, "working_days"),
        FREE,
        "Kartu Identitas Anak (KIA)",
        [
            *ADMINDUK,
            "Peraturan Menteri Dalam Negeri Nomor 2 Tahun 2016 tentang Kartu Identitas Anak",
        ],
    ),
    _svc(
        "nib-oss",
        "dpmptsp",
        "Nomor Induk Berusaha (NIB) melalui OSS RBA",
        "perizinan",
        [
            "NIK pelaku usaha atau akta pendirian badan usaha",
            "NPWP",
            "Alamat email dan nomor telepon aktif",
            "Data kegiatan usaha (KBLI)",
        ],
        [
            "Pelaku usaha membuat akun di oss.go.id",
            "Pelaku usaha mengisi data usaha dan memilih KBLI",
            "Sistem OSS menerbitkan NIB untuk usaha berisiko rendah",
            "Petugas DPMPTSP mendampingi pelaku usaha yang datang ke gerai",
        ],
        (1, "days"),
        {"amount": 0, "legal_basis": "PP 5/2021: NIB tidak dipungut biaya"},
        "Nomor Induk Berusaha (NIB)",
        PERIZINAN,
    ),
    _svc(
        "pbg",
        "dpmptsp",
        "Persetujuan Bangunan Gedung (PBG)",
        "perizinan",
        [
            "Data pemohon dan bukti kepemilikan tanah",
            "Dokumen rencana teknis (arsitektur, struktur, utilitas)",
            "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR)",
        ],
        [
            "Pemohon mengajukan permohonan melalui SIMBG",
            "Tim Profesi Ahli memeriksa dokumen rencana teknis",
            "Penghitungan dan pembayaran retribusi PBG",
            "Penerbitan PBG melalui SIMBG",
        ],
        (28, "working_days"),
        {
            "amount": 2500000,
            "legal_basis": "Peraturan Daerah tentang Pajak Daerah dan "
            "Retribusi Daerah (retribusi PBG menurut luas dan fungsi bangunan; contoh)",
        },
        "Persetujuan Bangunan Gedung (PBG)",
        ["Peraturan Pemerintah Nomor 16 Tahun 2021 tentang Bangunan Gedung", *PERIZINAN],
    ),
    _svc(
        "sip-dokter",
        "dpmptsp",
        "Surat Izin Praktik (SIP) Dokter",
        "kesehatan",
        [
            "Surat Tanda Registrasi (STR) dokter yang berlaku",
            "Surat rekomendasi dari organisasi profesi",
            "Surat keterangan dari fasilitas pelayanan kesehatan tempat praktik",
        ],
        [
            "Pemohon mengajukan permohonan melalui aplikasi perizinan daerah",
            "Verifikasi berkas oleh Dinas Kesehatan",
            "Penerbitan SIP oleh DPMPTSP",
        ],
        (5, "working_days"),
        {"amount": 0, "legal_basis": None},
        "Surat Izin Praktik (SIP) Dokter",
        ["Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan"],
    ),
    _svc(
        "sip-bidan",
        "dpmptsp",
        "Surat Izin Praktik Bidan (SIPB)",
        "kesehatan",
        [
            "Surat Tanda Registrasi (STR) bidan",
            "Surat rekomendasi organisasi profesi (IBI)",
            "Denah lokasi tempat praktik mandiri",
        ],
        ["Pengajuan permohonan", "Verifikasi dan peninjauan lokasi", "Penerbitan SIPB"],
        (5, "working_days"),
        {"amount": 0, "legal_basis": None},
        "Surat Izin Praktik Bidan",
        ["Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan"],
    ),
    _svc(
        "izin-reklame",
        "dpmptsp",
        "Izin Penyelenggaraan Reklame",
        "perizinan",
        [
            "KTP-el atau akta badan usaha",
            "Desain dan ukuran reklame",
            "Foto lokasi dan titik koordinat pemasangan",
        ],
        [
            "Pengajuan permohonan",
            "Peninjauan lokasi oleh tim teknis",
            "Penetapan dan pembayaran pajak reklame",
            "Penerbitan izin",
        ],
        (7, "working_days"),
        {
            "amount": 150000,
            "legal_basis": "Peraturan Daerah tentang Pajak Daerah dan Retribusi "
            "Daerah (pajak reklame; contoh)",
        },
        "Izin Penyelenggaraan Reklame",
        PERIZINAN,
    ),
    _svc(
        "rawat-jalan",
        "rsud",
        "Pelayanan Rawat Jalan (Poliklinik Spesialis)",
        "kesehatan",
        [
            "Kartu identitas (KTP-el atau KIA)",
            "Kartu peserta JKN dan surat rujukan dari FKTP (bagi peserta JKN)",
        ],
        [
            "Pasien mendaftar melalui aplikasi antrean atau anjungan mandiri",
            "Verifikasi kepesertaan di loket pendaftaran",
            "Pemeriksaan oleh dokter spesialis",
            "Pengambilan obat di farmasi rawat jalan",
        ],
        (120, "minutes"),
        {
            "amount": 75000,
            "legal_basis": "Peraturan Kepala Daerah tentang Tarif Layanan "
            "BLUD RSUD (pasien umum; peserta JKN tidak dipungut biaya)",
        },
        "Pelayanan pemeriksaan, resep dan obat",
        KESEHATAN,
    ),
    _svc(
        "rawat-inap",
        "rsud",
        "Pelayanan Rawat Inap",
        "kesehatan",
        [
            "Surat perintah rawat inap dari dokter",
            "Kartu identitas pasien",
            "Kartu peserta JKN (bagi peserta JKN)",
        ],
        [
            "Pendaftaran di admisi rawat inap",
            "Penempatan di ruang perawatan sesuai kelas",
            "Perawatan dan visit dokter",
            "Pemulangan dengan resume medis",
        ],
        (60, "minutes"),
        {
            "amount": 250000,
            "legal_basis": "Peraturan Kepala Daerah tentang Tarif Layanan "
            "BLUD RSUD (per hari, kelas III pasien umum; contoh)",
        },
        "Pelayanan rawat inap dan resume medis",
        KESEHATAN,
    ),
    _svc(
        "igd",
        "rsud",
        "Pelayanan Gawat Darurat (IGD) 24 Jam",
        "kesehatan",
        ["Tidak ada persyaratan untuk penanganan awal kegawatdaruratan"],
        [
            "Triase oleh petugas IGD",
            "Penanganan kegawatdaruratan",
            "Pasien dirawat inap, dirujuk atau dipulangkan",
        ],
        (5, "minutes"),
        {
            "amount": 0,
            "legal_basis": "Undang-Undang Nomor 17 Tahun 2023: "
            "pasien gawat darurat ditangani tanpa uang muka",
        },
        "Pelayanan kegawatdaruratan",
        KESEHATAN,
    ),
    _svc(
        "surat-sehat",
        "rsud",
        "Penerbitan Surat Keterangan Sehat",
        "kesehatan",
        ["KTP-el", "Pas foto berwarna"],
        [
            "Pendaftaran di loket",
            "Pemeriksaan fisik oleh dokter umum",
            "Penerbitan surat keterangan sehat",
        ],
        (60, "minutes"),
        {"amount": 50000, "legal_basis": "Peraturan Kepala Daerah tentang Tarif Layanan BLUD RSUD"},
        "Surat Keterangan Sehat",
        KESEHATAN,
    ),
    _svc(
        "dtks",
        "dinsos",
        "Pendaftaran Data Terpadu Kesejahteraan Sosial (DTKS)",
        "jaminan_sosial",
        ["KTP-el dan Kartu Keluarga", "Surat keterangan tidak mampu dari kelurahan"],
        [
            "Pengajuan melalui kelurahan atau aplikasi Cek Bansos",
            "Verifikasi lapangan",
            "Musyawarah kelurahan",
            "Penetapan dan pengiriman data ke Kementerian Sosial",
        ],
        (30, "days"),
        {"amount": 0, "legal_basis": None},
        "Status terdaftar dalam DTKS",
        ["Undang-Undang Nomor 13 Tahun 2011 tentang Penanganan Fakir Miskin"],
    ),
    _svc(
        "uji-kir",
        "dishub",
        "Pengujian Berkala Kendaraan Bermotor (Uji KIR)",
        "perhubungan",
        ["STNK yang berlaku", "Buku uji atau kartu uji lama", "Kendaraan yang akan diuji"],
        [
            "Pendaftaran dan pembayaran retribusi",
            "Pemeriksaan dan pengujian kendaraan",
            "Penerbitan kartu uji dan tanda lulus uji",
        ],
        (120, "minutes"),
        {
            "amount": 90000,
            "legal_basis": "Peraturan Daerah tentang Retribusi Pengujian "
            "Kendaraan Bermotor (contoh)",
        },
        "Kartu uji berkala dan tanda lulus uji",
        ["Undang-Undang Nomor 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan"],
    ),
]

# which services each demo government's units publish
ALL = [s["slug"] for s in SERVICES]
PLAN = {
    "pemkot-3273": ALL,  # Kota Bandung: every priority unit, well connected
    "pemkab-3204": [s["slug"] for s in SERVICES if s["unit_type"] in ("disdukcapil", "dpmptsp")],
    "pemkot-3275": ["ktp-el-baru", "kk-baru", "kk-hilang", "akta-kelahiran", "rawat-jalan"],
    "pemkot-5171": [
        "ktp-el-baru",
        "ktp-el-hilang",
        "kk-hilang",
        "akta-kelahiran",
        "nib-oss",
        "pbg",
        "rawat-jalan",
        "igd",
    ],
    "pemkot-3174": ["ktp-el-baru", "kk-hilang", "akta-kematian", "nib-oss", "rawat-jalan"],
}
PROVINCES = ("31", "32", "51")
