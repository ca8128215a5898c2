"""The acceptance journey and the SLA timer, at the handler level, against the
real PostgreSQL: one report through verify -> assign -> dispose -> return ->
re-route -> respond -> dispute -> respond -> confirm, across the Idul Fitri
cuti bersama of 2026; and a breach that escalates one tier up."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lapor import eventstore
from lapor.contracts.report import report_stream
from lapor.eventstore import NO_STREAM, NewEvent
from services.routing import commands, handlers
from services.routing.adapters import cases
from services.routing.adapters.agencies import AgencyDirectory, load_rules
from services.routing.tests.tree import AGENCIES, at, end_of, tracking_id

SETTINGS = handlers.Settings(min_confidence=0.6, warn_before=timedelta(hours=24))


def coordinator(code):
    return {"role": "coordinator", "agency_code": code, "account": "koordinator-1"}


def officer(code):
    return {"role": "officer", "agency_code": code, "account": "penghubung-1"}


@pytest.fixture(scope="module")
def tree(engine):
    with engine.begin() as tx:
        directory = AgencyDirectory(tx)
        for a in AGENCIES.values():
            directory.add(a.code, a.name, a.kind, a.region_code, a.parent_code)


class Report:
    """One report's stream, with routing's subscriptions applied by hand."""

    def __init__(self, engine, **overrides):
        self.engine, self.id = engine, tracking_id()
        self.stream, self.applied = report_stream(self.id), 0
        data = {
            "tracking_id": self.id, "title": "KK belum terbit", "description": "Sudah sebulan.",
            "category": "kependudukan", "region_code": "32.73.01", "report_type": "pengaduan",
            "incident_date": None, "channel": "web", "reporter_ref": None,
            "anonymous": True, "confidential": False, **overrides,
        }  # fmt: skip
        with engine.begin() as tx:
            eventstore.append(tx, self.stream, NO_STREAM, [NewEvent("report.submitted", data)])

    def events(self):
        return eventstore.EventStore(self.engine).read_stream(self.stream)

    def route(self, when):
        submitted = replace(self.events()[0], recorded_at=when)
        with self.engine.begin() as tx:
            decision = handlers.assign_report(submitted, cases.ports(tx), load_rules(), SETTINGS)
        self.follow()
        return decision

    def act(self, action, params, actor, when):
        with cases.begin(self.engine) as ports:
            answer = handlers.act(ports, self.id, action, params, actor, when)
        self.follow()
        assert "case" in answer, answer
        return answer["case"]

    def message(self, kind, when):
        data = {"tracking_id": self.id, "kind": kind, "message": "Belum beres.",
                "channel": "web", "attachments": []}  # fmt: skip
        with self.engine.begin() as tx:
            eventstore.append(
                tx, self.stream, eventstore.ANY_VERSION, [NewEvent("report.message_added", data)]
            )
        self.follow(when)
        return self.case()

    def follow(self, when=None):
        """What routing's `cases` subscription does with each new event
        (including those its own reactions append)."""
        while len(self.events()) > self.applied:
            event = self.events()[self.applied]
            self.applied += 1
            if event.type == "report.submitted":
                continue
            if when is not None:
                event = replace(event, recorded_at=when)
            with self.engine.begin() as tx:
                handlers.on_case_event(event, cases.ports(tx))

    def case(self):
        with cases.begin(self.engine) as ports:
            return handlers.case_view(ports, self.id)

    def row(self):
        with self.engine.connect() as tx:
            return tx.execute(
                sa.select(cases.cases).where(cases.cases.c.tracking_id == self.id)
            ).one()


def owner_due(case):
    return case["status"], case["owner"], case["due_at"]


def test_one_report_through_every_tier_across_idul_fitri(engine, tree):
    report = Report(engine, category_inferred=True)
    # Monday 16 March 2026; the 18th to the 24th are Nyepi, Idul Fitri and cuti bersama
    decision = report.route(at(2026, 3, 16, 10))
    assert decision.agency_code == "pemkot-3273" and decision.confidence < 0.6
    routed = report.events()[-1]
    assert routed.type == "report.routed" and routed.agency == "pemkot-3273"
    assert "pemkot-3273-disdukcapil" in routed.data["reason"]
    assert owner_due(report.case()) == (
        "unverified",
        "pemkot-3273",
        end_of(2026, 3, 26).isoformat(),  # 17, 25, 26 March
    )

    city = coordinator("pemkot-3273")
    verified = report.act(
        "verify",
        {"report_type": "pengaduan", "category": "kependudukan", "complexity": "standard"},
        city,
        at(2026, 3, 17, 9),
    )
    assert owner_due(verified) == ("verified", "pemkot-3273", end_of(2026, 3, 26).isoformat())

    assigned = report.act(
        "assign", {"agency_code": "pemkot-3273-disdukcapil"}, city, at(2026, 3, 17, 10)
    )
    # 14 working days from 17 March: 25-27, 30-31 March, 1-2, 6-10, 13-14 April (3 April
    # is Good Friday)
    follow_up_due = end_of(2026, 4, 14).isoformat()
    assert owner_due(assigned) == ("assigned", "pemkot-3273-disdukcapil", follow_up_due)

    disposed = report.act(
        "dispose",
        {"agency_code": "pemkot-3273-disdukcapil-pendaftaran"},
        officer("pemkot-3273-disdukcapil"),
        at(2026, 3, 25, 9),
    )
    assert owner_due(disposed) == ("assigned", "pemkot-3273-disdukcapil-pendaftaran", follow_up_due)

    returned = report.act(
        "return",
        {"reason": "Penerbitan KK di kecamatan.", "suggested_agency": "pemkot-3273-dpmptsp"},
        officer("pemkot-3273-disdukcapil-pendaftaran"),
        at(2026, 3, 26, 9),
    )
    # back to the coordinator one tier up (the city, not the Disdukcapil above the
    # sub-unit), 3 working days: 27, 30, 31 March
    assert owner_due(returned) == ("returned", "pemkot-3273", end_of(2026, 3, 31).isoformat())

    rerouted = report.act(
        "assign", {"agency_code": "pemkot-3273-dpmptsp"}, city, at(2026, 3, 27, 9)
    )
    assert owner_due(rerouted) == (
        "assigned",
        "pemkot-3273-dpmptsp",
        end_of(2026, 4, 17).isoformat(),
    )

    dpmptsp = officer("pemkot-3273-dpmptsp")
    responded = report.act(
        "respond",
        {"message": "KK sudah dapat diambil.", "attachments": []},
        dpmptsp,
        at(2026, 4, 1, 9),
    )
    # closure: 10 working days from 1 April: 2, 6-10, 13-16 April
    assert owner_due(responded) == (
        "responded",
        "pemkot-3273-dpmptsp",
        end_of(2026, 4, 16).isoformat(),
    )

    reopened = report.message("dispute", at(2026, 4, 2, 9))
    assert owner_due(reopened) == (
        "in_progress",
        "pemkot-3273-dpmptsp",
        end_of(2026, 4, 23).isoformat(),
    )

    again = report.act(
        "respond", {"message": "Sudah kami antar.", "attachments": []}, dpmptsp, at(2026, 4, 6, 9)
    )
    assert owner_due(again) == ("responded", "pemkot-3273-dpmptsp", end_of(2026, 4, 20).isoformat())

    closed = report.message("confirmation", at(2026, 4, 7, 9))
    assert owner_due(closed) == ("closed", None, None)

    events = report.events()
    assert [e.type for e in events] == [
        "report.submitted", "report.routed", "report.verified", "report.assigned",
        "report.disposed", "report.returned", "report.assigned", "report.responded",
        "report.message_added", "report.reopened", "report.responded",
        "report.message_added", "report.closed",
    ]  # fmt: skip
    assert events[-1].data["reason"] == "confirmed_by_reporter"
    assert events[-1].agency == "pemkot-3273-dpmptsp"  # the last owner hears of it
    assert eventstore.EventStore(engine).verify_stream(report.stream).intact
    row = report.row()
    assert (row.status, row.owner, row.due_at, row.version) == ("closed", None, None, 13)


def test_concurrent_actions_on_one_case_conflict(engine, tree):
    report = Report(engine)
    report.route(at(2026, 3, 16, 10))
    unit = officer("pemkot-3273-disdukcapil")
    with cases.begin(engine) as ports:
        stale = ports.cases.load(report.id)  # a second officer reads the case...
    report.act("defer", {"note": "Nomor antrean?"}, unit, at(2026, 3, 17, 9))
    with cases.begin(engine) as ports:
        ports.cases.load = lambda _id: stale  # ...and verifies it after the first deferred it
        verify = {"report_type": "pengaduan", "category": "kependudukan", "complexity": "simple"}
        answer = handlers.act(ports, report.id, "verify", verify, unit, at(2026, 3, 17, 9))
    assert answer["error"]["status"] == 409
    assert "changed" in answer["error"]["errors"]["tracking_id"][0]
    assert report.case()["status"] == "deferred"


def test_errors_are_answers_with_a_status(engine, tree):
    report = Report(engine)
    report.route(at(2026, 3, 16, 10))
    with cases.begin(engine) as ports:
        stranger = handlers.act(
            ports, report.id, "accept", {}, officer("pemkot-3273-dinkes"), at(2026, 3, 17, 9)
        )
        missing = handlers.act(
            ports, tracking_id(), "accept", {}, officer("pemkot-3273"), at(2026, 3, 17, 9)
        )
        assert handlers.case_view(ports, tracking_id()) is None
    assert stranger["error"]["status"] == 403 and missing["error"]["status"] == 404


def test_a_breach_warns_once_then_escalates_one_tier_up(engine, tree, monkeypatch, pg_url, capsys):
    report = Report(engine)
    report.route(at(2026, 3, 16, 10))  # to the city's Disdukcapil, due 26 March
    assert report.case()["owner"] == "pemkot-3273-disdukcapil"
    begin = lambda: cases.begin(engine)  # noqa: E731

    eve = at(2026, 3, 26, 8)
    first = handlers.check_deadlines(begin, eve, SETTINGS)
    assert (report.id, "verification") in first.warned
    report.follow()
    assert report.row().warned
    second = handlers.check_deadlines(begin, eve, SETTINGS)
    assert report.id not in [t for t, _ in second.warned]

    # the operator's command, at a moment after the deadline
    monkeypatch.setenv("DATABASE_URL", pg_url)
    late = "2026-03-27T00:00:05+07:00"
    assert commands.sla_check(["--now", late, "--report", "LAP-0000000000"]) == 0
    assert "0 escalated" in capsys.readouterr().out  # another report named: this one waits
    assert commands.sla_check(["--now", late, "--report", report.id]) == 0
    assert f"escalated\t{report.id}\tverification" in capsys.readouterr().out
    escalated = report.events()[-1]
    assert escalated.type == "report.escalated" and escalated.agency == "pemkot-3273"
    assert escalated.data["from_agency"] == "pemkot-3273-disdukcapil"
    assert escalated.data["breached_due_at"] == end_of(2026, 3, 26).isoformat()
    # the coordinator gets 3 working days after the 27th: 30, 31 March, 1 April
    assert owner_due(report.case()) == ("escalated", "pemkot-3273", end_of(2026, 4, 1).isoformat())
    # the timer runs again before routing.cases caught up: nothing happens twice
    again = handlers.check_deadlines(begin, at(2026, 3, 27, 0, 1), SETTINGS)
    assert report.id not in [t for t, _ in again.escalated]
    report.follow()
    assert (report.row().owner, report.row().warned) == ("pemkot-3273", False)
    # still late after that: up again, to the province
    later = handlers.check_deadlines(begin, at(2026, 4, 2, 0, 0, 1), SETTINGS)
    assert (report.id, "verification") in later.escalated
    assert report.case()["owner"] == "pemprov-32"


def test_an_unanswered_response_closes_itself_after_ten_working_days(engine, tree):
    report = Report(engine)
    report.route(at(2026, 3, 16, 10))
    unit = officer("pemkot-3273-disdukcapil")
    verify = {"report_type": "pengaduan", "category": "kependudukan", "complexity": "simple"}
    report.act("verify", verify, unit, at(2026, 3, 17, 9))
    report.act("accept", {}, unit, at(2026, 3, 17, 9))
    report.act("respond", {"message": "Selesai."}, unit, at(2026, 4, 1, 9))
    begin = lambda: cases.begin(engine)  # noqa: E731
    assert report.id not in handlers.check_deadlines(begin, at(2026, 4, 16, 23), SETTINGS).closed
    report.follow()
    done = handlers.check_deadlines(begin, at(2026, 4, 17, 0, 0, 1), SETTINGS)
    assert report.id in done.closed
    assert report.events()[-1].data["reason"] == "no_reply"
    assert report.case()["owner"] is None


def test_a_late_holiday_entered_by_command_moves_new_deadlines(engine, tree, monkeypatch, pg_url):
    monkeypatch.setenv("DATABASE_URL", pg_url)
    assert commands.holidays_command(["add", "2027-03-02", "Libur tambahan"]) == 0
    report = Report(engine)
    report.route(at(2027, 3, 1, 10))  # Monday; Tuesday 2nd is now off
    assert report.case()["due_at"] == end_of(2027, 3, 5).isoformat()
    assert commands.holidays_command(["cancel", "2027-03-02", "Batal"]) == 0
    with cases.begin(engine) as ports:
        assert ports.calendar.is_working_day(at(2027, 3, 2).date())
