"""Open311 GeoReport v2, driven by an independent client library (georeport)
for the reads, and by form-encoded POSTs as civic apps send them."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
import requests
import xmltodict
from georeport import GeoReport

from tests.e2e.conftest import _scalar, run_command

LAPOR = str(Path(sys.executable).parent / "lapor")


@pytest.fixture(scope="module")
def api_key(system) -> str:
    """Issued the way an operator does it: `lapor open311-key create NAME`."""
    key = run_command(system, LAPOR, "open311-key", "create", "kota-bandung-app").strip()
    assert len(key) >= 40
    stored = _scalar(
        system.engine, "SELECT key_hash FROM intake.api_keys WHERE name = 'kota-bandung-app'"
    )
    assert stored and key not in stored  # only the hash is kept
    return key


def post(system, fmt: str, fields: dict) -> requests.Response:
    return requests.post(f"{system.url()}/open311/v2/requests.{fmt}", data=fields, timeout=30)


def test_a_civic_app_reports_and_follows_a_request(system, api_key):
    client = GeoReport(f"{system.url()}/open311/v2")
    services = client.get_service_list()
    assert {"infrastruktur", "kependudukan"} <= {s["service_code"] for s in services}
    assert client.get_service_definition("infrastruktur")["attributes"] == []

    fields = {
        "api_key": api_key,
        "service_code": "infrastruktur",
        "description": f"Lampu jalan mati sejak seminggu ({uuid.uuid4().hex[:6]})",
        "address_string": "Jl. Asia Afrika, Kota Bandung",
        "lat": "-6.9215",
        "long": "107.6071",
    }
    answer = post(system, "json", fields)
    assert answer.status_code == 201, answer.text
    request_id = answer.json()[0]["service_request_id"]
    system.api.wait_routed(request_id)

    one = client.get_service_request(request_id)
    assert one["status"] == "open" and one["service_code"] == "infrastruktur"
    assert one["agency_responsible"] and one["status_notes"]
    assert one["expected_datetime"]  # the due time of the case's current stage
    assert [n["type"] for n in one["notes"]][:2] == ["submitted", "routed"]  # the timeline
    listed_all = requests.get(f"{system.url()}/open311/v2/requests.json?status=open", timeout=10)
    assert request_id in [r["service_request_id"] for r in listed_all.json()]
    bad_status = requests.get(f"{system.url()}/open311/v2/requests.json?status=x", timeout=10)
    assert bad_status.status_code == 400
    [listed] = client.get_service_requests(service_request_id=request_id)
    assert listed["service_request_id"] == request_id
    as_xml = GeoReport(f"{system.url()}/open311/v2", output_format="xml")
    assert as_xml.get_service_request(request_id)["service_request_id"] == request_id
    token = requests.get(f"{system.url()}/open311/v2/tokens/{request_id}.json", timeout=10)
    assert token.json()[0]["service_request_id"] == request_id

    # the same request replayed makes no second report
    again = post(system, "json", fields)
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == request_id


def test_open311_errors_are_in_the_spec_format(system, api_key):
    good = {
        "service_code": "energi",
        "description": "Listrik padam",
        "address_string": "Kota Bandung",
    }
    forbidden = post(system, "xml", {**good, "api_key": "not-a-key"})
    assert forbidden.status_code == 403
    assert xmltodict.parse(forbidden.text)["errors"]["error"]["code"] == "403"
    assert post(system, "json", good).status_code == 403  # no key at all
    bad = post(system, "json", {**good, "api_key": api_key, "lat": "north", "long": "1"})
    assert bad.status_code == 400 and "lat" in bad.json()[0]["description"]
    missing = requests.get(f"{system.url()}/open311/v2/requests/LAP-0000000000.xml", timeout=10)
    assert missing.status_code == 404 and xmltodict.parse(missing.text)["errors"]
    discovery = requests.get(f"{system.url()}/open311/v2/discovery.json", timeout=10).json()
    assert discovery["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert requests.get(f"{system.url()}/open311/v2/services.yaml", timeout=10).status_code == 404
