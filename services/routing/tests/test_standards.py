"""The service a report names, among the SIPP catalogue's standards, and how it
wins the routing decision (pure: no database)."""

from __future__ import annotations

import pytest

from services.routing.domain import Rule, decide
from services.routing.standards import (
    NAME_CONFIDENCE,
    Standard,
    apply_standard_event,
    locality,
    named_service,
)
from services.routing.tests.tree import AGENCIES

KTP = Standard(
    "pemkot-3273-disdukcapil.ktp-el-baru",
    "pemkot-3273-disdukcapil",
    "32.73",
    "Penerbitan KTP-el Baru (Perekaman Pertama)",
    "kependudukan",
    1,
)
KK = Standard(
    "pemkot-3273-disdukcapil.kk-hilang",
    "pemkot-3273-disdukcapil",
    "32.73",
    "Penerbitan Kartu Keluarga karena Hilang atau Rusak",
    "kependudukan",
    1,
)
SIP_BIDAN = Standard(
    "pemkot-3273-dpmptsp.sip-bidan",
    "pemkot-3273-dpmptsp",
    "32.73",
    "Penerbitan Surat Izin Praktik Bidan",
    "perizinan",
    1,
)
KAB_KTP = Standard(
    "pemkab-3204-disdukcapil.ktp-el-baru",
    "pemkab-3204-disdukcapil",
    "32.04",
    "Penerbitan KTP-el Baru (Perekaman Pertama)",
    "kependudukan",
    1,
)
CATALOGUE = [KTP, KK, SIP_BIDAN, KAB_KTP]
RULES = {
    "kependudukan": Rule("kependudukan", "unit:disdukcapil", "civil registration", "kependudukan"),
    "kesehatan": Rule("kesehatan", "unit:dinkes", "local health services", "layanan kesehatan"),
}
GOVERNMENTS = {a.region_code: a.code for a in AGENCIES.values() if a.kind != "unit"}


def name_of(code):
    agency = AGENCIES.get(code)
    return agency.name if agency else None


def route(text, category="lainnya", region="32.73.01", standards=CATALOGUE, **kwargs):
    named = named_service(text, region, standards, name_of)
    return decide(
        category, region, RULES, GOVERNMENTS.get, AGENCIES.__contains__, named=named, **kwargs
    )


def test_the_full_name_routes_to_its_agency_with_high_confidence():
    named = named_service("Penerbitan KTP-el baru saya ditolak", "32.73.01", CATALOGUE, name_of)
    assert named.agency_code == "pemkot-3273-disdukcapil"
    assert named.confidence == NAME_CONFIDENCE == 0.95
    assert named.reason.en == (
        "the report names the service 'Penerbitan KTP-el Baru (Perekaman Pertama)' of "
        "Disdukcapil Kota Bandung (SIPP standard pemkot-3273-disdukcapil.ktp-el-baru)"
    )
    assert named.reason.id == (
        "laporan menyebut layanan 'Penerbitan KTP-el Baru (Perekaman Pertama)' dari "
        "Disdukcapil Kota Bandung (standar SIPP pemkot-3273-disdukcapil.ktp-el-baru)"
    )


def test_the_name_matches_through_stemming_and_case():
    named = named_service("PENERBITAN SURAT IZIN PRAKTIK BIDAN", "32.73", CATALOGUE, name_of)
    assert (named.agency_code, named.confidence) == ("pemkot-3273-dpmptsp", 0.95)


@pytest.mark.parametrize(
    ("text", "confidence", "words"),
    [
        # 3 of the 5 words of the name (terbit, kartu, keluarga, hilang, rusak)
        ("Kartu keluarga saya hilang, sudah tiga minggu", 0.73, "'kartu', 'keluarga', 'hilang'"),
        # every word, in another order and inflected
        ("Kartu keluarga yang rusak dan kehilangan belum diterbitkan", 0.85, None),
    ],
)
def test_distinctive_words_name_the_service_with_less_confidence(text, confidence, words):
    named = named_service(text, "32.73.01", CATALOGUE, name_of)
    assert named.agency_code == "pemkot-3273-disdukcapil"
    assert named.confidence == confidence
    assert NAME_CONFIDENCE > named.confidence >= 0.7
    assert "SIPP standard pemkot-3273-disdukcapil.kk-hilang" in named.reason.en
    if words:
        assert named.reason.en.endswith(f": it mentions {words}")
        assert named.reason.id.endswith(f": memuat kata {words}")


@pytest.mark.parametrize(
    "text",
    [
        "KTP-el saya belum jadi",  # one word of the name: not enough
        "Kartu saya hilang",  # two of five
        "Jalan berlubang di depan pasar",
        "",
    ],
)
def test_no_service_named(text):
    assert named_service(text, "32.73.01", CATALOGUE, name_of) is None


def test_a_named_service_beats_the_category_rule():
    decision = route("Penerbitan Surat Izin Praktik Bidan dipersulit", category="kesehatan")
    assert decision.agency_code == "pemkot-3273-dpmptsp"  # the rule says Dinkes
    assert decision.confidence == 0.95
    assert "SIPP standard pemkot-3273-dpmptsp.sip-bidan" in decision.reason


def test_without_a_named_service_the_category_rule_decides():
    decision = route("Pelayanan puskesmas lambat", category="kesehatan")
    assert (decision.agency_code, decision.confidence) == ("pemkot-3273-dinkes", 0.9)


def test_a_service_of_another_region_is_ignored():
    only_elsewhere = [KAB_KTP]
    assert named_service("Penerbitan KTP-el Baru", "32.73.01", only_elsewhere, name_of) is None
    decision = route("Penerbitan KTP-el Baru", "kependudukan", standards=only_elsewhere)
    assert decision.agency_code == "pemkot-3273-disdukcapil"  # the rule in the report's city
    assert "SIPP" not in decision.reason


def test_the_report_s_own_region_wins_over_the_same_service_elsewhere():
    named = named_service("Penerbitan KTP-el Baru", "32.04.10", CATALOGUE, name_of)
    assert named.agency_code == "pemkab-3204-disdukcapil"


def test_locality_of_a_standard():
    assert locality("32.73", "32.73.01") == 0
    assert locality("32.73.01", "32.73") == 0  # a district's office in the city
    assert locality("32", "32.73.01") == 1
    assert locality(None, "32.73.01") == 2  # national
    assert locality("32.04", "32.73.01") is None
    assert locality("33", "32.73.01") is None


def test_a_national_agency_s_service_competes_everywhere():
    paspor = Standard(
        "kemenkumham.paspor", "kemenkumham", None, "Penerbitan Paspor", "perizinan", 1
    )
    named = named_service("Paspor saya belum terbit", "91.71", [paspor], name_of)
    assert (named.agency_code, named.confidence) == ("kemenkumham", 0.85)
    assert "of kemenkumham (SIPP standard kemenkumham.paspor)" in named.reason.en


def _event(version, **content):
    return {
        "standard_id": SIP_BIDAN.standard_id,
        "agency_code": SIP_BIDAN.agency_code,
        "region_code": "32.73",
        "actor": "admin-1",
        "version": version,
        "content": {"service_name": SIP_BIDAN.service_name, "category": "perizinan", **content},
    }


def test_a_withdrawn_standard_no_longer_matches():
    published = apply_standard_event(None, "standard.published", _event(1))
    assert published == SIP_BIDAN
    withdrawn = apply_standard_event(
        published, "standard.withdrawn", {**_event(1), "reason": "Dialihkan ke Dinkes"}
    )
    assert withdrawn.withdrawn
    text = "Penerbitan Surat Izin Praktik Bidan dipersulit"
    assert named_service(text, "32.73", [published], name_of) is not None
    assert named_service(text, "32.73", [withdrawn], name_of) is None
    assert route(text, "kesehatan", standards=[withdrawn]).agency_code == "pemkot-3273-dinkes"


def test_a_revision_renames_the_service():
    revised = apply_standard_event(
        SIP_BIDAN, "standard.revised", _event(2, service_name="Penerbitan SIP Bidan")
    )
    assert (revised.service_name, revised.version) == ("Penerbitan SIP Bidan", 2)
    assert named_service("Penerbitan SIP Bidan lambat", "32.73", [revised], name_of)


def test_a_withdrawal_of_an_unknown_standard_is_nothing():
    assert apply_standard_event(None, "standard.withdrawn", {**_event(1), "reason": "x"}) is None


def test_the_reporter_naming_the_service_s_agency_makes_it_surer():
    text = "Penerbitan Surat Izin Praktik Bidan dipersulit"
    decision = route(text, category="kesehatan", target="pemkot-3273-dpmptsp")
    assert (decision.agency_code, decision.confidence) == ("pemkot-3273-dpmptsp", 0.975)
    by_words = route("Kartu keluarga saya hilang", target="pemkot-3273-disdukcapil")
    assert by_words.agency_code == "pemkot-3273-disdukcapil"
    assert by_words.confidence == round(1 - (1 - 0.73) * 0.5, 3)


def test_a_reporter_who_names_another_agency_than_the_service_s_is_verified_first():
    text = "Penerbitan Surat Izin Praktik Bidan dipersulit"
    decision = route(text, category="perizinan", target="pemkot-3273-dinkes")
    assert decision.agency_code == "pemkot-3273"  # the city's coordinator
    assert decision.confidence < 0.6
    for reason in (decision.reason, decision.reason_id):
        assert "pemkot-3273-dpmptsp.sip-bidan" in reason and "pemkot-3273-dinkes" in reason
