"""The standards subscription and assign_report against the real PostgreSQL: a
report that names a service the SIPP catalogue published for a unit of Kota
Bandung goes to that unit, until the standard is withdrawn."""

from __future__ import annotations

import uuid

from lapor import eventstore
from lapor.contracts.report import report_stream
from lapor.contracts.standard import standard_stream
from lapor.eventstore import ANY_VERSION, NO_STREAM, NewEvent
from services.routing import handlers
from services.routing.adapters import cases
from services.routing.adapters.agencies import AgencyDirectory, load_rules
from services.routing.adapters.standards import StandardCatalogue
from services.routing.tests.tree import AGENCIES, tracking_id

SERVICE = "Penerbitan Surat Izin Praktik Bidan"
CONTENT = {
    "service_name": SERVICE,
    "category": "perizinan",
    "description": None,
    "requirements": ["Surat Tanda Registrasi (STR) bidan", "Rekomendasi organisasi profesi"],
    "procedure": ["Pemohon mengajukan permohonan", "Verifikasi berkas", "Penerbitan SIP"],
    "completion_time": {"value": 5, "unit": "working_days"},
    "cost": {"amount": 0, "legal_basis": "Tidak dipungut biaya"},
    "product": "Surat Izin Praktik (SIP) Bidan",
    "complaint_handling": {"channels": ["SP4N-LAPOR! (SMS 1708)"], "lapor": True},
    "legal_basis": ["UU 17/2023 tentang Kesehatan"],
    "facilities": ["Loket prioritas"],
    "staff_competence": "Memahami perizinan tenaga kesehatan",
    "internal_supervision": "Inspektorat Daerah",
    "staff_count": 4,
    "service_guarantee": "Sesuai standar pelayanan",
    "security_guarantee": "Data pribadi dijaga kerahasiaannya",
    "performance_evaluation": "Survei Kepuasan Masyarakat tiap semester",
    "decree": {"number": "500/17/DPMPTSP/2026", "date": "2026-01-05"},
    "pledge": "Kami sanggup menyelenggarakan pelayanan sesuai standar pelayanan.",
    "demo": False,
}


def _standard_event(engine, standard_id, event_type, **data):
    """Record a standard's event in the log and apply routing's standards subscription."""
    stream = standard_stream(standard_id)
    header = {"standard_id": standard_id, "agency_code": "pemkot-3273-dpmptsp",
              "region_code": "32.73", "actor": "admin-1"}  # fmt: skip
    with engine.begin() as tx:
        eventstore.append(tx, stream, ANY_VERSION, [NewEvent(event_type, {**header, **data})])
    with engine.begin() as tx:
        event = eventstore.read_stream(tx, stream)[-1]
        handlers.record_standard(event, StandardCatalogue(tx))


def _route(engine, title):
    """Submit a report in Kota Bandung and route it: the report.routed event's data."""
    report = tracking_id()
    submitted = {
        "tracking_id": report, "title": title, "description": "Sudah dua bulan belum selesai.",
        "category": "kesehatan", "region_code": "32.73.01", "report_type": "pengaduan",
        "incident_date": None, "channel": "web", "reporter_ref": None,
        "anonymous": False, "confidential": False,
    }  # fmt: skip
    stream = report_stream(report)
    with engine.begin() as tx:
        eventstore.append(tx, stream, NO_STREAM, [NewEvent("report.submitted", submitted)])
    with engine.begin() as tx:
        event = eventstore.read_stream(tx, stream)[0]
        handlers.assign_report(event, cases.ports(tx), load_rules(), handlers.Settings())
    routed = eventstore.EventStore(engine).read_stream(stream)[-1]
    assert routed.type == "report.routed"
    return routed.data


def test_a_report_naming_a_published_service_goes_to_its_agency(engine):
    with engine.begin() as tx:
        directory = AgencyDirectory(tx)
        for a in AGENCIES.values():
            directory.add(a.code, a.name, a.kind, a.region_code, a.parent_code)
    standard_id = f"pemkot-3273-dpmptsp.sip-bidan-{uuid.uuid4().hex[:8]}"
    _standard_event(engine, standard_id, "standard.published", version=1, content=CONTENT)

    routed = _route(engine, f"{SERVICE} dipersulit petugas")
    assert (routed["owner"], routed["owner_name"]) == (
        "pemkot-3273-dpmptsp",
        "DPMPTSP Kota Bandung",
    )
    assert routed["confidence"] == 0.95
    assert routed["reason"] == (
        f"the report names the service {SERVICE!r} of DPMPTSP Kota Bandung "
        f"(SIPP standard {standard_id})"
    )

    _standard_event(engine, standard_id, "standard.withdrawn", version=1, reason="Dicabut")
    after = _route(engine, f"{SERVICE} dipersulit petugas")
    assert (after["owner"], after["confidence"]) == ("pemkot-3273-dinkes", 0.9)  # the rule
    assert "SIPP" not in after["reason"]
