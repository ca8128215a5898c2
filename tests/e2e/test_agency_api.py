"""The agency API end to end: one report's whole journey through the tiers
over HTTP, who may see and act on what, and what never reaches an agency."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import new_token, report_body, wait_until

CITY = "pemkot-3273"
DUKCAPIL = "pemkot-3273-disdukcapil"
DPMPTSP = "pemkot-3273-dpmptsp"
KAB_DUKCAPIL = "pemkab-3204-disdukcapil"


@pytest.fixture(scope="module")
def tokens(system) -> dict[str, str]:
    return {
        "dukcapil": new_token(system, DUKCAPIL),
        "dpmptsp": new_token(system, DPMPTSP, "officer"),
        "city": new_token(system, CITY, "coordinator"),
        "kab_dukcapil": new_token(system, KAB_DUKCAPIL),
        "national": new_token(system, "kemenpanrb"),
        "city_system": new_token(system, CITY, "agency_system"),
    }


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _get(system, token: str, tracking_id: str) -> tuple[int, dict]:
    return system.api.call("GET", f"/api/v1/agency/reports/{tracking_id}", None, _auth(token))


def _act(system, token: str, tracking_id: str, action: str, params=None) -> tuple[int, dict]:
    path = f"/api/v1/agency/reports/{tracking_id}/{action}"
    return system.api.call("POST", path, params or {}, _auth(token))


def _inbox(system, token: str, query: str = "") -> set[str]:
    status, body = system.api.call("GET", f"/api/v1/agency/reports?per_page=100{query}", None,
                                   _auth(token))  # fmt: skip
    assert status == 200, body
    return {item["tracking_id"] for item in body["items"]}


def _in_inbox(system, token: str, tracking_id: str, query: str = "") -> None:
    """The inbox is tracking's projection: it follows routing within moments."""
    wait_until(lambda: tracking_id in _inbox(system, token, query), 30, f"{tracking_id} in inbox")


def _submitted(system, **overrides) -> dict:
    status, accepted = system.api.submit(report_body(**overrides))
    assert status == 201, accepted
    system.api.wait_routed(accepted["tracking_id"], pin=accepted.get("pin"))
    return accepted


def _case_is(system, token, tracking_id, status, owner="any", timeout=30.0) -> dict:
    def reached():
        code, body = _get(system, token, tracking_id)
        case = body.get("case", {}) if code == 200 else {}
        return case if case.get("status") == status and owner in ("any", case["owner"]) else None

    return wait_until(reached, timeout, f"{tracking_id} {status} (owner {owner})")


def _done(answer: tuple[int, dict], status: str, owner: str | None) -> dict:
    code, body = answer
    assert code == 200, body
    assert (body["case"]["status"], body["case"]["owner"]) == (status, owner)
    return body["case"]


def _reporter_says(system, tracking_id: str, kind: str, message: str) -> None:
    status, body = system.api.add_message(tracking_id, {"kind": kind, "message": message})
    assert status == 201, body


def test_only_the_reporter_closes_a_public_report(system, tokens):
    """Anyone may read a public report and its tracking id; only its reporter,
    with the PIN of the answer, may confirm it solved (or dispute, or reply)."""
    accepted = _submitted(system)
    tracking_id, token = accepted["tracking_id"], tokens["dukcapil"]
    _case_is(system, token, tracking_id, "unverified", DUKCAPIL)
    verify = {"report_type": "pengaduan", "category": "kependudukan", "complexity": "standard"}
    _done(_act(system, token, tracking_id, "verify", verify), "verified", DUKCAPIL)
    _done(_act(system, token, tracking_id, "accept"), "in_progress", DUKCAPIL)
    answer = {"message": "KTP-el sudah jadi, silakan ambil."}
    _done(_act(system, token, tracking_id, "respond", answer), "responded", DUKCAPIL)

    path = f"/api/v1/reports/{tracking_id}/messages"
    closing = {"kind": "confirmation", "message": "Sudah selesai."}
    wrong = "00000000" if accepted["pin"] != "00000000" else "11111111"
    refused = {"pin": ["Only the reporter can add to a report: give its PIN."]}
    for body, headers in ((closing, {}), (closing, {"X-Report-Pin": wrong}),
                          ({**closing, "pin": wrong}, {})):  # fmt: skip
        status, body = system.api.call("POST", path, body, headers)
        assert (status, body) == (403, {"errors": refused})
    dispute = {"kind": "dispute", "message": "Belum selesai."}
    assert system.api.call("POST", path, dispute)[0] == 403
    time.sleep(1)  # what routing would have done by now
    case = _case_is(system, token, tracking_id, "responded", DUKCAPIL, timeout=1)
    assert case["status"] == "responded"
    kinds = [e["type"] for e in _get(system, token, tracking_id)[1]["timeline"]]
    assert "report.message_added" not in kinds

    status, body = system.api.call("POST", path, {**closing, "pin": accepted["pin"]})
    assert status == 201, body
    _case_is(system, token, tracking_id, "closed", None)


def test_one_report_through_every_tier_over_http(system, tokens):
    tracking_id = _submitted(system)["tracking_id"]
    case = _case_is(system, tokens["dukcapil"], tracking_id, "unverified", DUKCAPIL)
    assert case["stage"] == "verification" and case["due_at"]
    _in_inbox(system, tokens["dukcapil"], tracking_id, "&status=unverified")

    verify = {"report_type": "pengaduan", "category": "kependudukan", "complexity": "standard"}
    _done(_act(system, tokens["dukcapil"], tracking_id, "verify", verify), "verified", DUKCAPIL)
    # the city's coordinator takes the case to the government, then disposes it to its unit
    assigned = _act(system, tokens["city"], tracking_id, "assign", {"agency_code": CITY})
    assert _done(assigned, "assigned", CITY)["stage"] == "follow_up"
    disposed = _act(system, tokens["city"], tracking_id, "dispose", {"agency_code": DUKCAPIL})
    _done(disposed, "assigned", DUKCAPIL)
    # not our authority: back to the coordinator one tier up, who re-routes it
    not_ours = {"reason": "Ini soal izin usaha, bukan KTP-el.", "suggested_agency": DPMPTSP}
    returned = _act(system, tokens["dukcapil"], tracking_id, "return", not_ours)
    assert _done(returned, "returned", CITY)["stage"] == "verification"
    assert _get(system, tokens["dukcapil"], tracking_id)[0] == 404  # no longer its case
    _done(_act(system, tokens["city"], tracking_id, "assign", {"agency_code": DPMPTSP}),
          "assigned", DPMPTSP)  # fmt: skip
    _in_inbox(system, tokens["dpmptsp"], tracking_id)

    answer = {"message": "Izin sudah kami proses; silakan ambil di loket 3."}
    responded = _act(system, tokens["dpmptsp"], tracking_id, "respond", answer)
    assert _done(responded, "responded", DPMPTSP)["stage"] == "closure"
    _reporter_says(system, tracking_id, "dispute", "Saya sudah ke loket 3, belum ada.")
    _case_is(system, tokens["dpmptsp"], tracking_id, "in_progress", DPMPTSP)
    again = {"message": "Mohon maaf, izin sudah dicetak hari ini."}
    _done(_act(system, tokens["dpmptsp"], tracking_id, "respond", again), "responded", DPMPTSP)
    _reporter_says(system, tracking_id, "confirmation", "Sudah saya terima, terima kasih.")

    closed = _case_is(system, tokens["dpmptsp"], tracking_id, "closed", None)
    assert closed["stage"] is None and closed["due_at"] is None
    public = wait_until(
        lambda: (r := system.api.report(tracking_id))[1]["status"] == "closed" and r[1],
        30,
        "the public view to show the case closed",
    )
    assert public["tracking_id"] == tracking_id
    timeline = _get(system, tokens["national"], tracking_id)[1]["timeline"]
    kinds = [entry["type"] for entry in timeline]
    for expected in ("report.verified", "report.assigned", "report.disposed", "report.returned",
                     "report.responded", "report.reopened", "report.closed"):  # fmt: skip
        assert expected in kinds


def test_an_agency_sees_and_acts_only_on_its_own_and_its_units_cases(system, tokens):
    city_case = _submitted(system)["tracking_id"]  # to pemkot-3273-disdukcapil
    kab_case = _submitted(system, region_code="32.04")["tracking_id"]  # Kabupaten Bandung
    _case_is(system, tokens["dukcapil"], city_case, "unverified", DUKCAPIL)
    _case_is(system, tokens["kab_dukcapil"], kab_case, "unverified", KAB_DUKCAPIL)

    _in_inbox(system, tokens["dukcapil"], city_case)
    _in_inbox(system, tokens["kab_dukcapil"], kab_case)
    assert city_case in _inbox(system, tokens["dukcapil"]) - _inbox(system, tokens["kab_dukcapil"])
    assert kab_case in _inbox(system, tokens["kab_dukcapil"]) - _inbox(system, tokens["dukcapil"])
    assert {city_case, kab_case} <= _inbox(system, tokens["national"])
    assert city_case in _inbox(system, tokens["city"]) and kab_case not in _inbox(
        system, tokens["city"]
    )

    # another agency's case answers as if it did not exist, and nothing happens to it
    unknown = _get(system, tokens["dukcapil"], "LAP-0000000000")
    assert _get(system, tokens["dukcapil"], kab_case) == unknown and unknown[0] == 404
    for token in (tokens["dukcapil"], tokens["city"], tokens["city_system"]):
        assert _act(system, token, kab_case, "accept")[0] == 404
    assert _get(system, tokens["kab_dukcapil"], kab_case)[1]["case"]["status"] == "unverified"

    # a unit cannot act on its parent's case; the parent and the national admin can
    _done(_act(system, tokens["dukcapil"], city_case, "return", {"reason": "Bukan wewenang."}),
          "returned", CITY)  # fmt: skip
    assert _get(system, tokens["dukcapil"], city_case)[0] == 404
    assert _act(system, tokens["dukcapil"], city_case, "verify", _classified())[0] == 404
    assert _get(system, tokens["city"], city_case)[0] == 200
    assert _act(system, tokens["city_system"], city_case, "verify", _classified())[0] == 200
    # roles count too: only a coordinator or the national admin assigns
    status, body = _act(system, tokens["city_system"], city_case, "assign",
                        {"agency_code": DUKCAPIL})  # fmt: skip
    assert status == 403 and body["errors"]
    _done(_act(system, tokens["national"], kab_case, "verify", _classified()), "verified",
          KAB_DUKCAPIL)  # fmt: skip

    # no token, or a revoked or made-up one: 401
    for headers in ({}, _auth("sipp_made-up")):
        status, _ = system.api.call("GET", "/api/v1/agency/reports", None, headers)
        assert status == 401


def _classified() -> dict:
    return {"report_type": "pengaduan", "category": "kependudukan", "complexity": "simple"}


def test_nothing_that_reaches_an_agency_names_an_anonymous_reporter(system, tokens):
    named = _submitted(system)
    anonymous = _submitted(system, anonymous=True)
    reporter = report_body()["reporter"]["name"]
    _case_is(system, tokens["dukcapil"], anonymous["tracking_id"], "unverified", DUKCAPIL)

    status, body = _get(system, tokens["dukcapil"], named["tracking_id"])
    assert status == 200 and body["reporter"]["name"] == reporter  # the control
    _act(system, tokens["dukcapil"], anonymous["tracking_id"], "verify", _classified())
    status, body = _get(system, tokens["dukcapil"], anonymous["tracking_id"])
    assert status == 200 and body["reporter"] is None
    text = json.dumps(body)
    ref = _reporter_ref(system, anonymous["tracking_id"])
    assert ref and ref not in text and reporter not in text and "@example.id" not in text
    _in_inbox(system, tokens["dukcapil"], anonymous["tracking_id"])
    inbox = system.api.call("GET", "/api/v1/agency/reports?per_page=100", None,
                            _auth(tokens["dukcapil"]))[1]  # fmt: skip
    assert ref not in json.dumps(inbox) and reporter not in json.dumps(inbox)
    # every event published with an agency's routing key carries no identity either
    for data in _agency_events(system, anonymous["tracking_id"]):
        assert ref not in data and reporter not in data and "@example.id" not in data


def test_agencies_can_only_make_a_report_more_private_and_confidential_is_never_public(
    system, tokens
):
    accepted = _submitted(system)
    tracking_id = accepted["tracking_id"]
    _case_is(system, tokens["dukcapil"], tracking_id, "unverified", DUKCAPIL)
    assert system.api.report(tracking_id)[0] == 200

    status, body = _act(system, tokens["dukcapil"], tracking_id, "change_privacy",
                        {"anonymous": False})  # fmt: skip
    assert status == 400 and "anonymous" in body["errors"]
    status, body = _act(system, tokens["dukcapil"], tracking_id, "change_privacy",
                        {"confidential": True})  # fmt: skip
    assert status == 200 and body["case"]["confidential"] is True
    wait_until(lambda: system.api.report(tracking_id)[0] == 403, 30, "the report to be hidden")
    status, _ = system.api.call("GET", f"/open311/v2/requests/{tracking_id}.json")
    assert status == 404
    status, feed = system.api.call("GET", "/api/v1/feed?per_page=100")
    assert status == 200 and tracking_id not in {i["tracking_id"] for i in feed["items"]}
    # and the agency can no longer undo it: only the reporter could, with the PIN
    status, _ = _act(system, tokens["national"], tracking_id, "change_privacy",
                     {"confidential": False})  # fmt: skip
    assert status == 400


def test_only_the_reporter_with_the_pin_makes_a_report_less_private(system, tokens):
    accepted = _submitted(system, confidential=True)
    tracking_id, pin = accepted["tracking_id"], accepted["pin"]
    path = f"/api/v1/reports/{tracking_id}/privacy"
    assert system.api.call("POST", path, {"confidential": False})[0] == 403
    assert system.api.call("POST", path, {"confidential": False, "pin": "00000000"})[0] == 403
    assert system.api.report(tracking_id)[0] == 403
    status, body = system.api.call("POST", path, {"confidential": False}, {"X-Report-Pin": pin})
    assert status == 200, body
    assert body == {"tracking_id": tracking_id, "anonymous": False, "confidential": False}
    wait_until(lambda: system.api.report(tracking_id)[0] == 200, 30, "the report to be public")
    timeline = _get(system, tokens["dukcapil"], tracking_id)[1]["timeline"]
    change = [e for e in timeline if e["type"] == "report.privacy_changed"]
    assert change and change[-1]["actor_role"] == "reporter"


def _reporter_ref(system, tracking_id: str) -> str | None:
    with system.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT data->>'reporter_ref' FROM lapor.events "
                "WHERE stream = :s AND type = 'report.submitted'"
            ),
            {"s": f"report-{tracking_id}"},
        ).scalar()


def _agency_events(system, tracking_id: str) -> list[str]:
    """The data of the report's events that are published to agencies: all but
    the submission, which no agency key carries."""
    with system.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT type, data::text FROM lapor.events WHERE stream = :s ORDER BY version"),
            {"s": f"report-{tracking_id}"},
        ).all()
    assert [t for t, _ in rows][:2] == ["report.submitted", "report.routed"]
    return [data for type_, data in rows if type_ != "report.submitted"]
