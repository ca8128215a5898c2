"""A refused follow-up (not the reporter) counts as a wrong PIN guess of its
client; once the client has used up its guesses, even the reporter's PIN waits."""

from __future__ import annotations

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from services.gateway import reports_api
from services.gateway.reports_api import ReportsApi
from services.gateway.tracking_api import PinGuesses


class Intake:
    """ReportsApi with intake's answers given: 403 (not the reporter) or 201."""

    def __init__(self, statuses):
        self.statuses = list(statuses)

    def _to_rest_channel(self, request):
        return Response("{}", status=self.statuses.pop(0), content_type="application/json")


def _post(ip: str) -> Request:
    environ = EnvironBuilder(
        method="POST",
        path="/api/v1/reports/LAP-7K3M9QXT2B/messages",
        json={"kind": "confirmation", "message": "Selesai.", "pin": "00000000"},
        environ_base={"REMOTE_ADDR": ip},
    ).get_environ()
    return Request(environ)


def test_wrong_pins_on_follow_ups_are_limited_per_client(monkeypatch):
    monkeypatch.setattr(reports_api, "PIN_GUESSES", PinGuesses(rate_per_minute=0.001, burst=2))
    api = Intake([403, 403, 201])
    statuses = [
        ReportsApi.add_message(api, _post("10.0.0.1"), "LAP-7K3M9QXT2B").status_code
        for _ in range(3)
    ]
    assert statuses == [403, 403, 429]  # the third is not even asked
    assert api.statuses == [201]
    other = ReportsApi.add_message(api, _post("10.0.0.2"), "LAP-7K3M9QXT2B")
    assert other.status_code == 201  # another client has its own guesses
