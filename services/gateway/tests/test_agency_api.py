"""The agency API's authentication, authorization and confidentiality rules,
with fake services behind the gateway (no broker, no database)."""

from __future__ import annotations

import json

import pytest
from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.service import GatewayService

CITY, UNIT, OTHER, NATIONAL = "pemkot-3273", "pemkot-3273-disdukcapil", "pemkab-3204", "kemenpanrb"
TREE = {CITY: [CITY, UNIT], UNIT: [UNIT], OTHER: [OTHER]}
TOKENS = {
    "t-city": {"actor": "admin-c1", "agency_code": CITY, "role": "coordinator"},
    "t-unit": {"actor": "admin-u1", "agency_code": UNIT, "role": "officer"},
    "t-other": {"actor": "admin-o1", "agency_code": OTHER, "role": "coordinator"},
    "t-national": {"actor": "admin-n1", "agency_code": NATIONAL, "role": "national_admin"},
}
OWN = "LAP-0000000001"  # owned by the city's unit, named reporter
ANON = "LAP-0000000002"  # owned by the unit, anonymous
CLOSED = "LAP-0000000003"  # closed; its last agency was the unit
PIN = "12345678"


def _case(tracking_id, owner, anonymous=False, status="unverified"):
    return {
        "tracking_id": tracking_id,
        "status": status,
        "owner": owner,
        "owner_name": None,
        "stage": "verification" if owner else None,
        "due_at": None,
        "anonymous": anonymous,
        "confidential": False,
        "report_type": "pengaduan",
        "category": "kependudukan",
        "complexity": None,
    }


class FakeSipp:
    def authenticate(self, token):
        return TOKENS.get(token)


class FakeRouting:
    def __init__(self):
        self.cases = {
            OWN: _case(OWN, UNIT),
            ANON: _case(ANON, UNIT, anonymous=True),
            CLOSED: _case(CLOSED, None, status="closed"),
        }
        self.acts, self.webhooks = [], {}
        self.refusal = None

    def visible_agencies(self, code):
        return None if code == NATIONAL else TREE.get(code, [code])

    def case(self, tracking_id):
        return self.cases.get(tracking_id)

    def act(self, tracking_id, action, params, actor):
        self.acts.append((tracking_id, action, params, actor))
        if self.refusal:
            return {"error": self.refusal}
        return {"case": {**self.cases[tracking_id], **params, "reporter_ref": "leak"}}

    def set_webhook(self, code, url):
        self.webhooks[code] = url
        return {"url": url, "secret": "whsec_x"}

    def rotate_webhook_secret(self, code):
        return (
            {"secret": "whsec_y", "previous_valid_until": None} if code in self.webhooks else None
        )

    def webhook_deliveries(self, code, limit=50):
        return [{"agency_code": code, "limit": limit}]


class FakeTracking:
    def __init__(self):
        self.inbox_calls = []

    def inbox(self, agencies, filters, page=1, per_page=20):
        self.inbox_calls.append((agencies, filters, page, per_page))
        return {"items": [], "total": 0, "page": page, "per_page": per_page}

    def case_detail(self, tracking_id):
        return {
            "tracking_id": tracking_id,
            "agency": {"code": UNIT, "name": "Disdukcapil"},
            "owner": None,
            "title": "KTP-el",
            "reporter_ref": "3f1c-uuid",
            "timeline": [{"type": "report.submitted", "data": {"reporter_ref": "3f1c-uuid"}}],
        }


class FakeIntake:
    def __init__(self):
        self.contacts_asked = []

    def reporter_contact_for_agency(self, tracking_id):
        self.contacts_asked.append(tracking_id)
        return {"name": "Siti", "email": "siti@example.id", "phone": None, "language": None}

    def check_pin(self, tracking_id, pin):
        return pin == PIN


@pytest.fixture
def gateway():
    return worker_factory(
        GatewayService,
        sipp=FakeSipp(),
        routing=FakeRouting(),
        tracking=FakeTracking(),
        intake=FakeIntake(),
    )


def _request(method, path, token=None, body=None, query=None, headers=None):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    builder = EnvironBuilder(
        method=method, path=path, data=data, query_string=query, headers=headers
    )
    return Request(builder.get_environ())


def _json(response):
    return response.status_code, json.loads(response.get_data())


def _get(gateway, tracking_id, token):
    return _json(gateway.agency_report(_request("GET", "/", token), tracking_id))


def _act(gateway, tracking_id, action, token, body=None):
    request = _request("POST", "/", token, body)
    return _json(gateway.agency_act(request, tracking_id, action))


@pytest.mark.parametrize("token", [None, "wrong"])
def test_no_valid_token_is_401_everywhere(gateway, token):
    for response in (
        gateway.agency_inbox(_request("GET", "/", token)),
        gateway.agency_report(_request("GET", "/", token), OWN),
        gateway.agency_act(_request("POST", "/", token, {}), OWN, "accept"),
        gateway.set_webhook(_request("PUT", "/", token, {"url": "https://x.id/h"})),
        gateway.rotate_webhook_secret(_request("POST", "/", token)),
        gateway.webhook_deliveries(_request("GET", "/", token)),
    ):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert gateway.routing.acts == [] and gateway.routing.webhooks == {}


def test_the_inbox_asks_for_the_agencys_tree_with_the_filters(gateway):
    query = {"status": "unverified", "overdue": "true", "submitted_from": "2025-03-01", "page": "2"}
    status, body = _json(gateway.agency_inbox(_request("GET", "/", "t-city", query=query)))
    assert status == 200 and body["page"] == 2
    filters = {"status": "unverified", "overdue": True, "submitted_from": "2025-03-01"}
    assert gateway.tracking.inbox_calls == [([CITY, UNIT], filters, 2, 20)]
    gateway.agency_inbox(_request("GET", "/", "t-national"))
    assert gateway.tracking.inbox_calls[-1] == (None, {}, 1, 20)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"overdue": "maybe"}, "overdue"),
        ({"category": "sport"}, "category"),
        ({"region_code": "Bandung"}, "region_code"),
        ({"submitted_from": "2025-03-02", "submitted_to": "2025-03-01"}, "submitted_to"),
        ({"per_page": "1000"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"owner": "kemenkes"}, "owner"),
    ],
)
def test_bad_inbox_filters_are_400_by_field(gateway, query, field):
    status, body = _json(gateway.agency_inbox(_request("GET", "/", "t-city", query=query)))
    assert status == 400 and field in body["errors"]
    assert gateway.tracking.inbox_calls == []


def test_a_case_is_seen_by_its_owner_and_the_owners_ancestors_only(gateway):
    for token in ("t-unit", "t-city", "t-national"):
        status, body = _get(gateway, OWN, token)
        assert (status, body["tracking_id"], body["case"]["owner"]) == (200, OWN, UNIT)
    hidden = _get(gateway, OWN, "t-other")
    assert hidden == _get(gateway, "LAP-0000000009", "t-other")  # as if it did not exist
    assert hidden[0] == 404
    assert _get(gateway, "not-an-id", "t-city")[0] == 404


def test_a_closed_case_stays_visible_to_its_last_agency(gateway):
    assert _get(gateway, CLOSED, "t-unit")[0] == 200
    assert _get(gateway, CLOSED, "t-other")[0] == 404


def test_the_reporter_is_named_only_for_a_report_that_is_not_anonymous(gateway):
    _, named = _get(gateway, OWN, "t-unit")
    assert named["reporter"]["email"] == "siti@example.id"
    _, anonymous = _get(gateway, ANON, "t-unit")
    assert anonymous["reporter"] is None
    assert gateway.intake.contacts_asked == [OWN]
    for body in (named, anonymous):
        assert "reporter_ref" not in json.dumps(body) and "3f1c-uuid" not in json.dumps(body)


def test_an_action_goes_to_routing_with_the_account_as_actor(gateway):
    status, body = _act(gateway, OWN.lower(), "return", "t-unit", {"reason": "Bukan wewenang."})
    assert status == 200 and body["case"]["tracking_id"] == OWN
    assert "reporter_ref" not in body["case"]
    actor = {"role": "officer", "agency_code": UNIT, "account": "admin-u1"}
    assert gateway.routing.acts == [(OWN, "return", {"reason": "Bukan wewenang."}, actor)]
    assert _act(gateway, OWN, "accept", "t-unit")[0] == 200  # no body: no parameters


def test_an_action_on_a_case_the_account_may_not_see_is_404_and_not_done(gateway):
    assert _act(gateway, OWN, "accept", "t-other")[0] == 404
    assert _act(gateway, OWN, "fly", "t-unit")[0] == 404
    assert gateway.routing.acts == []


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("verify", {"report_type": "pengaduan", "category": "kependudukan"}, "complexity"),
        ("archive", {"reason": "boring"}, "reason"),
        ("assign", {"agency_code": "Kemenkes!"}, "agency_code"),
        ("return", {}, "reason"),
        ("respond", {"message": ""}, "message"),
        ("merge", {"into": "LAP-1"}, "into"),
        ("accept", {"extra": 1}, "extra"),
        ("change_privacy", {"anonymous": False}, "anonymous"),
        ("change_privacy", {}, "_schema"),
        ("accept", [1], "_body"),
    ],
)
def test_bad_parameters_are_400_by_field_and_nothing_is_done(gateway, action, body, field):
    status, answer = _act(gateway, OWN, action, "t-unit", body)
    assert status == 400 and field in answer["errors"]
    assert gateway.routing.acts == []


@pytest.mark.parametrize(("status", "field"), [(403, "actor"), (409, "status")])
def test_routings_refusal_keeps_its_status_and_fields(gateway, status, field):
    gateway.routing.refusal = {"status": status, "errors": {field: ["No."]}}
    assert _act(gateway, OWN, "accept", "t-unit") == (status, {"errors": {field: ["No."]}})


def test_an_agency_can_only_strengthen_privacy(gateway):
    status, _ = _act(gateway, ANON, "change_privacy", "t-unit", {"confidential": True})
    assert status == 200
    params = gateway.routing.acts[-1][2]
    assert params == {"anonymous": True, "confidential": True}


def test_the_reporter_changes_privacy_only_with_the_pin(gateway):
    def change(body, headers=None):
        request = _request("POST", "/", body=body, headers=headers)
        return _json(gateway.change_privacy(request, ANON))

    assert change({"anonymous": False})[0] == 403
    assert change({"anonymous": False, "pin": "00000000"})[0] == 403
    assert gateway.routing.acts == []
    status, body = change({"anonymous": False}, {"X-Report-Pin": PIN})
    assert status == 200
    assert body == {"tracking_id": ANON, "anonymous": False, "confidential": False}
    reporter = {"role": "reporter", "agency_code": None, "account": None}
    assert gateway.routing.acts == [
        (ANON, "change_privacy", {"anonymous": False, "confidential": False}, reporter)
    ]
    assert change({"pin": PIN})[0] == 400


def test_webhooks_are_the_accounts_own_agencys(gateway):
    request = _request("PUT", "/", "t-unit", {"url": "ftp://x"})
    assert _json(gateway.set_webhook(request))[0] == 400
    assert _json(gateway.rotate_webhook_secret(_request("POST", "/", "t-unit")))[0] == 404
    request = _request("PUT", "/", "t-unit", {"url": "http://127.0.0.1:9000/hook"})
    assert _json(gateway.set_webhook(request)) == (
        200,
        {"url": "http://127.0.0.1:9000/hook", "secret": "whsec_x"},
    )
    assert gateway.routing.webhooks == {UNIT: "http://127.0.0.1:9000/hook"}
    assert _json(gateway.rotate_webhook_secret(_request("POST", "/", "t-unit")))[0] == 200
    request = _request("GET", "/", "t-unit", query={"limit": "5"})
    assert _json(gateway.webhook_deliveries(request))[1]["deliveries"][0] == {
        "agency_code": UNIT,
        "limit": 5,
    }
    request = _request("GET", "/", "t-unit", query={"limit": "0"})
    assert _json(gateway.webhook_deliveries(request))[0] == 400
