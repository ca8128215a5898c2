"""The demo standards in full: each service of services.py at each government
of PLAN, with the management components (7-14) every office fills in."""

from __future__ import annotations

from services.sipp.demo.services import PLAN, SERVICES

DEMO_NOTE = "[DATA DEMO - bukan standar pelayanan resmi] "
_UNIT_NAMES = {
    "disdukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "dpmptsp": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "rsud": "Rumah Sakit Umum Daerah",
    "dinsos": "Dinas Sosial",
    "dishub": "Dinas Perhubungan",
}
_STAFF = {"disdukcapil": 12, "dpmptsp": 10, "rsud": 40, "dinsos": 6, "dishub": 8}


def content(service: dict, government_code: str) -> dict:
    unit = service["unit_type"]
    return {
        "service_name": service["service_name"],
        "category": service["category"],
        "description": DEMO_NOTE
        + f"Standar pelayanan contoh untuk {_UNIT_NAMES[unit]}; dibuat untuk demonstrasi.",
        "requirements": service["requirements"],
        "procedure": service["procedure"],
        "completion_time": service["completion_time"],
        "cost": service["cost"],
        "product": service["product"],
        "complaint_handling": {
            "channels": [
                "SP4N-LAPOR! (www.lapor.go.id, SMS 1708)",
                "Kotak saran di ruang pelayanan",
                "Email dan telepon pengaduan instansi",
            ],
            "lapor": True,
        },
        "legal_basis": service["legal_basis"],
        "facilities": [
            "Ruang tunggu ber-AC dengan kursi",
            "Loket prioritas dan kursi roda bagi penyandang disabilitas, lansia dan ibu hamil",
            "Ruang laktasi dan toilet ramah disabilitas",
            "Sistem antrean elektronik",
        ],
        "staff_competence": "Berpendidikan minimal SMA/sederajat, memahami peraturan layanan, "
        "mengikuti bimbingan teknis dan pelatihan pelayanan prima",
        "internal_supervision": "Pengawasan oleh atasan langsung dan Aparat Pengawasan Intern "
        "Pemerintah (Inspektorat Daerah)",
        "staff_count": _STAFF[unit],
        "service_guarantee": "Pelayanan diberikan sesuai standar pelayanan; bila tidak sesuai, "
        "pengguna layanan dapat mengadu melalui SP4N-LAPOR!",
        "security_guarantee": "Data pribadi pengguna layanan dijaga kerahasiaannya; "
        "ruang pelayanan dilengkapi CCTV, APAR dan jalur evakuasi",
        "performance_evaluation": "Survei Kepuasan Masyarakat tiap semester dan evaluasi "
        "kinerja pelaksana tiap tahun",
        "decree": {"number": f"DEMO/{government_code}/{unit}/SP/2026", "date": "2026-01-05"},
        "pledge": "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai "
        "standar pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami "
        "siap menerima sanksi sesuai peraturan perundang-undangan yang berlaku.",
        "demo": True,
    }


def demo_standards() -> list[tuple[str, str, dict]]:
    """(agency code, slug, content) of every demo standard."""
    by_slug = {s["slug"]: s for s in SERVICES}
    found = []
    for government, slugs in PLAN.items():
        for slug in slugs:
            service = by_slug[slug]
            found.append(
                (f"{government}-{service['unit_type']}", slug, content(service, government))
            )
    return found


def demo_profiles(agencies, unit_categories: dict[str, list[str]]) -> list[dict]:
    """Profiles of the demo provinces' governments and units: each regency or city
    coordinated by its Diskominfo, with a (demo) decree forming its complaint team;
    each unit authorised for the categories of its type."""
    profiles = []
    for agency in agencies:
        if agency.kind in ("regency", "city", "province"):
            coordinator = f"{agency.code}-diskominfo" if agency.kind != "province" else None
            decree = {"number": f"DEMO/{agency.code}/SK-TIM-PENGADUAN/2026", "date": "2026-01-02"}
            categories: list[str] = []
        elif agency.kind == "unit" and agency.region_code:
            coordinator, decree = None, None
            categories = unit_categories.get(agency.unit_type or "", [])
        else:
            continue
        profiles.append(
            {
                "code": agency.code,
                "coordinator_code": coordinator,
                "complaint_team_decree": decree,
                "categories": categories,
                "actor": "system-demo",
            }
        )
    return profiles
