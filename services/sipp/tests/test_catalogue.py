import re

from lapor.contracts import contract_for
from services.sipp.adapters import regions
from services.sipp.domain import catalogue


def test_the_catalogue_covers_every_province_regency_and_city():
    provinces = regions.provinces()
    regencies = regions.regencies_by_province()
    assert len(provinces) == 38
    assert sum(len(r) for r in regencies.values()) == 514
    agencies = catalogue(regions.national_agencies(), provinces, regencies, regions.unit_types())
    codes = [a.code for a in agencies]
    assert len(codes) == len(set(codes))
    by_code = {a.code: a for a in agencies}
    assert by_code["pemprov-32"].name == "Pemerintah Provinsi Jawa Barat"
    assert by_code["pemkot-3273"].name == "Pemerintah Kota Bandung"
    assert by_code["pemkot-3273"].parent_code == "pemprov-32"
    bandung_dukcapil = by_code["pemkot-3273-disdukcapil"]
    assert bandung_dukcapil.parent_code == "pemkot-3273" and bandung_dukcapil.kind == "unit"
    assert by_code["pemkab-3204-rsud"].unit_type == "rsud"


def test_every_agency_is_a_valid_event_and_can_end_a_routing_key():
    agencies = catalogue(
        regions.national_agencies(),
        regions.provinces(),
        regions.regencies_by_province(),
        regions.unit_types(),
    )
    contract = contract_for("agency.registered")
    for agency in agencies:
        contract.validate(agency.as_event_data())
        assert re.fullmatch(r"[a-z0-9-]+", agency.code)
