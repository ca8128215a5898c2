"""Contracts: validation, routing keys and upcasting (guarantee 9). No database."""

from __future__ import annotations

import pytest

from lapor.contracts import InvalidEvent, all_contracts, contract_for
from lapor.eventstore import NewEvent


def test_valid_data_is_normalised_to_json_types(submitted):
    data = submitted().data
    assert contract_for("report.submitted").validate(data) == data


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "tidak_ada"}, "category"),
        ({"region_code": "Bandung"}, "region_code"),
        ({"channel": "pigeon"}, "channel"),
        ({"incident_date": "kemarin"}, "incident_date"),
        ({"anonymous": "maybe"}, "anonymous"),
    ],
)
def test_bad_data_is_rejected_naming_the_field(submitted, change, field):
    data = {**submitted().data, **change}
    with pytest.raises(InvalidEvent) as error:
        contract_for("report.submitted").validate(data)
    assert field in str(error.value)


def test_missing_required_field_is_rejected_naming_the_field(submitted):
    data = submitted().data
    del data["title"]
    with pytest.raises(InvalidEvent, match="title"):
        contract_for("report.submitted").validate(data)


def test_data_that_is_not_an_object_is_rejected():
    with pytest.raises(InvalidEvent, match="object"):
        contract_for("report.submitted").validate(["not", "an", "object"])


def test_unknown_type_raises_invalid_event():
    with pytest.raises(InvalidEvent, match="report.teleported"):
        contract_for("report.teleported")


def test_agency_code_must_be_a_slug(routed):
    data = {**routed("T1", "dinas-pu").data, "agency_code": "Dinas PU"}
    with pytest.raises(InvalidEvent, match="agency_code"):
        contract_for("report.routed").validate(data)


def test_routed_routing_key_ends_with_the_agency_code(routed):
    contract = contract_for("report.routed")
    event: NewEvent = routed("T1", "pemda-3273-disdukcapil")
    assert contract.routing_key(event.data) == "report.routed.pemda-3273-disdukcapil"
    assert contract.binding_key == "report.routed.#"


def test_events_without_agency_route_on_their_name(submitted):
    contract = contract_for("report.submitted")
    assert contract.routing_key(submitted().data) == "report.submitted"
    assert contract.binding_key == "report.submitted.#"


def test_every_contract_has_an_upcaster_for_each_older_version():
    for contract in all_contracts():
        assert set(contract.upcasters) == set(range(1, contract.version)), contract.name


def test_v1_report_submitted_upcasts_to_v2(submitted):
    v2 = submitted().data
    v1 = {k: v for k, v in v2.items() if k not in ("region_code", "channel")}
    v1["region"] = v2["region_code"]

    contract = contract_for("report.submitted")
    assert contract.version == 4  # v2 -> v3 -> v4 add only optional fields
    upcast = contract.upcast(1, v1)

    assert upcast["region_code"] == v2["region_code"]
    assert "region" not in upcast
    assert upcast["channel"] == "web"  # v1 knew only the web channel
    assert upcast == {**v2, "channel": "web"}


def test_v1_data_is_not_valid_as_v2(submitted):
    v1 = {k: v for k, v in submitted().data.items() if k not in ("region_code", "channel")}
    v1["region"] = "32.73"
    with pytest.raises(InvalidEvent):
        contract_for("report.submitted").validate(v1)


def test_upcast_does_not_modify_the_callers_data(submitted):
    v1 = {k: v for k, v in submitted().data.items() if k not in ("region_code", "channel")}
    v1["region"] = "32.73"
    before = dict(v1)
    contract_for("report.submitted").upcast(1, v1)
    assert v1 == before


def test_upcast_result_is_validated(submitted):
    v1 = {k: v for k, v in submitted().data.items() if k not in ("region_code", "channel")}
    v1["region"] = "not a region"
    with pytest.raises(InvalidEvent, match="region_code"):
        contract_for("report.submitted").upcast(1, v1)


@pytest.mark.parametrize("version", [5, 99, 0, -1])
def test_unknown_version_is_rejected(submitted, version):
    with pytest.raises(InvalidEvent, match="unknown version"):
        contract_for("report.submitted").upcast(version, submitted().data)
