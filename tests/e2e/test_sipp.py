"""SIPP end to end: the demo data, search, compliance, the publication workflow
with agency admins, spreadsheet import and export, all over the gateway."""

from __future__ import annotations

import copy
import io
import json
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import openpyxl
import pytest

from lapor import standard_template as template
from services.sipp.demo.build import demo_standards
from tests.e2e.conftest import _scalar, new_token, run_module, standard_projected, wait_until

BANDUNG_DUKCAPIL = "pemkot-3273-disdukcapil"
KAB_BANDUNG_DUKCAPIL = "pemkab-3204-disdukcapil"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _raw(system, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes]:
    request = Request(system.url() + path, data=body, method=method, headers=headers)
    try:
        with urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def demo(system):
    """The demo data loaded twice: the second run changes nothing."""
    expected = len(demo_standards())
    first = run_module(system, "services.sipp.demo")
    assert f"{expected} demo standards: {expected} published" in first
    assert "profiles set" in first and ", 0 profiles set" not in first
    second = run_module(system, "services.sipp.demo")
    assert "0 newly registered, 0 profiles set" in second
    assert f"0 published, 0 revised, {expected} unchanged" in second
    wait_until(
        lambda: (
            _scalar(system.engine, "SELECT count(*) FROM sipp.standards WHERE demo") >= expected
        ),
        60,
        "the demo standards in the read model",
    )
    return expected


@pytest.fixture(scope="module")
def tokens(system, demo):
    return {
        BANDUNG_DUKCAPIL: new_token(system, BANDUNG_DUKCAPIL),
        KAB_BANDUNG_DUKCAPIL: new_token(system, KAB_BANDUNG_DUKCAPIL),
    }


def test_demo_data_is_marked_as_demo(system, demo):
    status, found = system.api.call("GET", "/api/v1/sipp/standards?q=akta+kelahiran&limit=100")
    assert status == 200 and found["total"] >= 3
    for item in found["standards"]:
        assert item["demo"] is True
    status, one = system.api.call(
        "GET", f"/api/v1/sipp/standards/{found['standards'][0]['standard_id']}"
    )
    assert one["content"]["description"].startswith("[DATA DEMO")
    assert one["content"]["decree"]["number"].startswith("DEMO/")


def test_kartu_keluarga_hilang_ranks_the_kartu_keluarga_standard_first(system, demo):
    status, found = system.api.call(
        "GET", "/api/v1/sipp/standards?q=kartu+keluarga+hilang&limit=100"
    )
    assert status == 200
    names = [s["service_name"] for s in found["standards"]]
    assert names[0] == "Penerbitan Kartu Keluarga karena Hilang atau Rusak", names[:5]
    # other standards that only mention a Kartu Keluarga among their requirements rank lower
    assert "Penerbitan Akta Kelahiran" in names
    assert names.index("Penerbitan Akta Kelahiran") > names.index(names[0])
    status, found = system.api.call(
        "GET", "/api/v1/sipp/standards?q=kartu+keluarga+hilang&region_code=32.73"
    )
    assert found["standards"][0]["standard_id"] == f"{BANDUNG_DUKCAPIL}.kk-hilang"
    assert {s["region_code"] for s in found["standards"]} == {"32.73"}
    # stemming: "kehilangan" finds what "hilang" finds
    status, stemmed = system.api.call(
        "GET", "/api/v1/sipp/standards?q=kehilangan+kartu+keluarga&region_code=32.73"
    )
    assert stemmed["standards"][0]["standard_id"] == f"{BANDUNG_DUKCAPIL}.kk-hilang"
    status, health = system.api.call(
        "GET", "/api/v1/sipp/standards?q=kartu+keluarga&category=kesehatan"
    )
    assert health["total"] > 0
    assert {s["category"] for s in health["standards"]} == {"kesehatan"}


def test_compliance_of_a_demo_province(system, demo):
    status, report = system.api.call("GET", "/api/v1/sipp/compliance/32")
    assert status == 200
    by_code = {g["code"]: g for g in report["governments"]}
    assert len(by_code) == 27  # every regency and city of Jawa Barat
    assert by_code["pemkot-3273"]["well_connected"] is True
    assert by_code["pemkot-3273"]["missing_units"] == []
    assert by_code["pemkab-3204"]["well_connected"] is False
    assert by_code["pemkab-3204"]["missing_units"] == ["rsud"]
    assert by_code["pemkot-3275"]["missing_units"] == ["dpmptsp"]
    assert by_code["pemkab-3201"]["missing_units"] == ["disdukcapil", "dpmptsp", "rsud"]
    assert report["well_connected"] == 1 and report["not_well_connected"] == 26
    assert report["published_by_agency"]["pemkot-3273-rsud"] == 4


def test_publish_revise_withdraw_and_another_agencys_admin_is_refused(system, tokens):
    owner, other = _bearer(tokens[BANDUNG_DUKCAPIL]), _bearer(tokens[KAB_BANDUNG_DUKCAPIL])
    content = copy.deepcopy(demo_standards()[0][2])
    content["service_name"] = "Legalisir Dokumen Kependudukan"
    body = {"agency_code": BANDUNG_DUKCAPIL, "slug": "legalisir", "content": content}

    assert system.api.call("POST", "/api/v1/sipp/standards", body)[0] == 401
    bad = {"Authorization": "Bearer sipp_not-a-token"}
    assert system.api.call("POST", "/api/v1/sipp/standards", body, bad)[0] == 401
    status, answer = system.api.call("POST", "/api/v1/sipp/standards", body, other)
    assert status == 403, answer
    sid = f"{BANDUNG_DUKCAPIL}.legalisir"
    assert _stream_version(system, sid) is None

    status, answer = system.api.call("POST", "/api/v1/sipp/standards", body, owner)
    assert status == 201, answer
    assert answer == {
        "standard_id": sid,
        "agency_code": BANDUNG_DUKCAPIL,
        "status": "published",
        "version": 1,
        "changed": True,
    }
    standard_projected(system, sid, 1)

    revised = copy.deepcopy(content)
    revised["completion_time"] = {"value": 3, "unit": "working_days"}
    revised["requirements"].append("Dokumen asli yang akan dilegalisir")
    revision = {"content": revised, "note": "tiga hari kerja"}
    before = _stream_version(system, sid)
    for path, payload in ((f"/{sid}/revisions", revision), (f"/{sid}/withdrawal", {"reason": "x"})):
        status, answer = system.api.call("POST", "/api/v1/sipp/standards" + path, payload, other)
        assert status == 403, answer
        assert "authorization" in answer["errors"]
    assert _stream_version(system, sid) == before
    status, now = system.api.call("GET", f"/api/v1/sipp/standards/{sid}")
    assert now["version"] == 1 and now["content"] == content

    status, answer = system.api.call(
        "POST", f"/api/v1/sipp/standards/{sid}/revisions", revision, owner
    )
    assert status == 200 and answer["version"] == 2, answer
    standard_projected(system, sid, 2)
    status, v1 = system.api.call("GET", f"/api/v1/sipp/standards/{sid}/versions/1")
    assert status == 200 and v1["version"] == 1 and v1["latest_version"] == 2
    assert v1["content"] == content
    status, v2 = system.api.call("GET", f"/api/v1/sipp/standards/{sid}/versions/2")
    assert v2["content"] == revised
    assert system.api.call("GET", f"/api/v1/sipp/standards/{sid}/versions/3")[0] == 404
    status, current = system.api.call("GET", f"/api/v1/sipp/standards/{sid}")
    assert [v["version"] for v in current["versions"]] == [1, 2]
    assert current["versions"][1]["note"] == "tiga hari kerja"
    assert current["versions"][1]["actor"].startswith("admin-")

    status, answer = system.api.call(
        "POST",
        f"/api/v1/sipp/standards/{sid}/withdrawal",
        {"reason": "digabung dengan layanan lain"},
        owner,
    )
    assert status == 200 and answer["status"] == "withdrawn"
    standard_projected(system, sid, 2, "withdrawn")
    status, found = system.api.call("GET", "/api/v1/sipp/standards?q=legalisir")
    assert sid not in [s["standard_id"] for s in found["standards"]]
    assert (
        system.api.call("GET", f"/api/v1/sipp/standards/{sid}/versions/1")[1]["content"] == content
    )
    status, answer = system.api.call(
        "POST", f"/api/v1/sipp/standards/{sid}/withdrawal", {"reason": "again"}, owner
    )
    assert status == 409
    events = _events(system, sid)
    assert [e[0] for e in events] == [
        "standard.published",
        "standard.revised",
        "standard.withdrawn",
    ]
    assert len({e[1] for e in events}) == 1 and events[0][1].startswith("admin-")


def _stream_version(system, sid: str):
    return _scalar(
        system.engine, "SELECT version FROM lapor.streams WHERE stream = :s", s=f"standard-{sid}"
    )


def _events(system, sid: str) -> list[tuple[str, str]]:
    import sqlalchemy as sa

    with system.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT type, data->>'actor' FROM lapor.events WHERE stream = :s ORDER BY version"
            ),
            {"s": f"standard-{sid}"},
        )
        return [tuple(r) for r in rows]


BAD_ROWS = {  # row number in the file (header = 1) -> (column, bad value)
    7: ("category", "gosip"),
    58: ("completion_time_value", "tiga"),
    120: ("completion_time_unit", "fortnights"),
    201: ("cost_legal_basis", ""),  # a charge without a legal basis
    333: ("requirements", ""),
    402: ("decree_date", "2026-13-40"),
    499: ("staff_count", "-4"),
}


def _import_file() -> list[list[str]]:
    base = [c for a, s, c in demo_standards() if a.endswith("-disdukcapil")]
    rows = []
    for n in range(500):
        content = copy.deepcopy(base[n % len(base)])
        content["service_name"] = f"{content['service_name']} (impor {n:03d})"
        row = template.to_row(KAB_BANDUNG_DUKCAPIL, f"impor-{n:03d}", content)
        rows.append(row)
    for number, (column, value) in BAD_ROWS.items():
        rows[number - 2][template.COLUMNS.index(column)] = value
        if column == "cost_legal_basis":
            rows[number - 2][template.COLUMNS.index("cost_amount")] = "10000"
    return rows


def test_import_500_rows_with_7_bad_ones_then_export(system, tokens):
    from services.sipp.adapters import spreadsheet

    token = _bearer(tokens[KAB_BANDUNG_DUKCAPIL])
    csv_file = spreadsheet.write_csv(list(template.COLUMNS), _import_file())
    headers = {"Content-Type": "text/csv", **token}
    status, body = _raw(
        system, "POST", "/api/v1/sipp/imports", csv_file, {"Content-Type": "text/csv"}
    )
    assert status == 401
    other = {"Content-Type": "text/csv", **_bearer(tokens[BANDUNG_DUKCAPIL])}
    status, body = _raw(system, "POST", "/api/v1/sipp/imports", csv_file, other)
    result = json.loads(body)
    assert status == 200 and result["imported"] == 0 and result["rows"] == 500
    assert {e["column"] for e in result["errors"]} == {
        "agency_code",
        *[c for c, _ in BAD_ROWS.values()],
    }

    status, body = _raw(system, "POST", "/api/v1/sipp/imports", csv_file, headers)
    result = json.loads(body)
    assert status == 200, result
    assert result["rows"] == 500 and result["imported"] == 493 and result["published"] == 493
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (row, column) for row, (column, _) in BAD_ROWS.items()
    ]
    assert all(e["reason"] for e in result["errors"])
    imported = _scalar(
        system.engine,
        "SELECT count(*) FROM lapor.streams WHERE stream LIKE :p",
        p=f"standard-{KAB_BANDUNG_DUKCAPIL}.impor-%",
    )
    assert imported == 493
    for row in BAD_ROWS:
        assert _stream_version(system, f"{KAB_BANDUNG_DUKCAPIL}.impor-{row - 2:03d}") is None

    wait_until(
        lambda: (
            _scalar(system.engine, "SELECT count(*) FROM sipp.standards WHERE slug LIKE 'impor-%'")
            == 493
        ),
        60,
        "the imported standards in the read model",
    )
    status, xlsx = _raw(
        system,
        "GET",
        f"/api/v1/sipp/exports?agency_code={KAB_BANDUNG_DUKCAPIL}&format=xlsx",
        None,
        {},
    )
    assert status == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(template.COLUMNS)
    slugs = {r[1] for r in rows[1:]}
    assert len([s for s in slugs if s.startswith("impor-")]) == 493
    # the export imports again as it is: nothing changes
    status, body = _raw(system, "POST", "/api/v1/sipp/imports", xlsx, token)
    again = json.loads(body)
    assert again["errors"] == [] and again["unchanged"] == len(rows) - 1
    assert again["published"] == 0 and again["revised"] == 0


def test_who_provides_a_service_in_a_region(system, demo):
    status, answer = system.api.call(
        "GET", "/api/v1/sipp/providers?region_code=32.73.01&service=akta+kelahiran"
    )
    assert status == 200
    assert answer["providers"][0]["agency_code"] == BANDUNG_DUKCAPIL
    status, answer = system.api.call(
        "GET", "/api/v1/sipp/providers?region_code=51.71&category=kesehatan"
    )
    assert {p["agency_code"] for p in answer["providers"]} == {"pemkot-5171-rsud"}


def test_a_draft_is_not_public_until_it_is_published(system, tokens):
    owner = _bearer(tokens[BANDUNG_DUKCAPIL])
    content = copy.deepcopy(demo_standards()[0][2])
    content["service_name"] = "Penerbitan Surat Keterangan Tempat Tinggal"
    body = {"agency_code": BANDUNG_DUKCAPIL, "slug": "sktt", "content": content, "publish": False}
    status, answer = system.api.call("POST", "/api/v1/sipp/standards", body, owner)
    assert status == 201 and answer["status"] == "draft" and answer["version"] == 0
    sid = answer["standard_id"]
    standard_projected(system, sid, 0, "draft")
    assert system.api.call("GET", f"/api/v1/sipp/standards/{sid}")[0] == 404
    other = _bearer(tokens[KAB_BANDUNG_DUKCAPIL])
    path = f"/api/v1/sipp/standards/{sid}/publication"
    assert system.api.call("POST", path, None, other)[0] == 403
    status, answer = system.api.call("POST", path, None, owner)
    assert status == 200 and answer["version"] == 1
    standard_projected(system, sid, 1)
    status, published = system.api.call("GET", f"/api/v1/sipp/standards/{sid}")
    assert status == 200 and published["content"] == content


def test_a_demo_government_has_its_coordinator_team_decree_and_authorised_units(system, demo):
    wait_until(
        lambda: system.api.call("GET", "/api/v1/sipp/agencies/pemkot-3273")[1].get("profile"),
        30,
        "the profile of Kota Bandung",
    )
    status, kota = system.api.call("GET", "/api/v1/sipp/agencies/pemkot-3273")
    assert status == 200 and kota["parent_code"] == "pemprov-32"
    assert kota["profile"]["coordinator_code"] == "pemkot-3273-diskominfo"
    assert kota["profile"]["complaint_team_decree"]["number"].startswith("DEMO/")
    units = {c["code"]: c for c in kota["children"]}
    assert units["pemkot-3273-disdukcapil"]["profile"]["categories"] == ["kependudukan"]
    assert units["pemkot-3273-dpmptsp"]["profile"]["categories"] == ["perizinan", "ketenagakerjaan"]
    assert system.api.call("GET", "/api/v1/sipp/agencies/pemkot-9999")[0] == 404
