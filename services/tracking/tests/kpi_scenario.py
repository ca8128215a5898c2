"""A generated data set for the KPI and rebuild tests: each report's plan is
plain numbers (hours after BASE, agencies), turned into case events under
their contracts and appended with the log's clock set to the planned times.

The tests compute what they expect from the plans, never from the events.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lapor import eventstore
from lapor.contracts.report import report_stream
from lapor.eventstore import ANY_VERSION, NewEvent

BASE = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)  # in the past: catch-up takes only past events
CATEGORIES = ("kependudukan", "kesehatan", "pendidikan")


@dataclass
class Plan:
    tracking_id: str
    region_code: str
    category: str  # as submitted
    routed_h: float
    first: str  # the agency routing chose
    verified_h: float | None = None
    verified_category: str | None = None
    assigned: tuple[float, str] | None = None  # (hour, agency)
    escalated: tuple[float, str] | None = None  # (hour, coordinator)
    responded_h: float | None = None
    reopened_h: float | None = None
    responded_again_h: float | None = None
    closed_h: float | None = None

    def at(self, hours: float) -> datetime:
        return BASE + timedelta(hours=hours)

    @property
    def responder(self) -> str:
        if self.assigned:
            return self.assigned[1]
        return self.escalated[1] if self.escalated else self.first


def make_plans(rng: random.Random, n: int, regions: list[str], agencies: list[str],
               coordinators: list[str]) -> list[Plan]:  # fmt: skip
    plans = []
    for _ in range(n):
        routed = rng.uniform(0, 24 * 60)
        plan = Plan(
            "LAP-" + uuid.uuid4().hex[:10].upper(),
            rng.choice(regions),
            rng.choice(CATEGORIES),
            routed,
            rng.choice(agencies),
        )
        t = routed
        if rng.random() < 0.8:
            t = plan.verified_h = t + rng.uniform(1, 120)  # due: 72 h after routing
            plan.verified_category = rng.choice(CATEGORIES)
            if rng.random() < 0.5:
                other = [a for a in agencies if a != plan.first]
                t += rng.uniform(1, 48)
                plan.assigned = (t, rng.choice(other))
        elif rng.random() < 0.4:
            t += 73
            plan.escalated = (t, rng.choice(coordinators))
        if rng.random() < 0.7:
            t = plan.responded_h = t + rng.uniform(1, 500)
            if rng.random() < 0.25:
                t = plan.reopened_h = t + rng.uniform(1, 100)
                if rng.random() < 0.6:
                    t = plan.responded_again_h = t + rng.uniform(1, 100)
            if rng.random() < 0.6 and (plan.reopened_h is None or plan.responded_again_h):
                plan.closed_h = t + rng.uniform(1, 240)
        plans.append(plan)
    return plans


def follow_up_due(plan: Plan) -> float:
    """The deadline (hours) the first response is measured against."""
    if plan.assigned:
        return plan.assigned[0] + 14 * 24
    if plan.escalated:
        return plan.escalated[0] + 72
    return plan.routed_h + 72


def _actor(agency: str | None, role: str = "officer") -> dict:
    if agency is None:
        return {"role": "system", "agency_code": None, "account": None}
    return {"role": role, "agency_code": agency, "account": f"acct-{agency}"}


def _case(plan: Plan, status, owner, stage, due_h, actor, agency=None, **extra) -> dict:
    return {
        "tracking_id": plan.tracking_id,
        "agency_code": agency or owner,
        "status": status,
        "owner": owner,
        "owner_name": f"Nama {owner}" if owner else None,
        "stage": stage,
        "due_at": plan.at(due_h).isoformat() if due_h is not None else None,
        "actor": actor,
        **extra,
    }


def events_of(plan: Plan) -> list[tuple[float, str, dict]]:
    """(hour, type, data) of the plan, in order."""
    p, out = plan, []
    out.append((p.routed_h - 0.5, "report.submitted", {
        "tracking_id": p.tracking_id, "title": "Jalan rusak", "description": "Sudah lama.",
        "category": p.category, "region_code": p.region_code, "report_type": "pengaduan",
        "incident_date": None, "channel": "web", "reporter_ref": None, "anonymous": True,
        "confidential": False}))  # fmt: skip
    v_due = p.routed_h + 72
    out.append((p.routed_h, "report.routed", _case(
        p, "unverified", p.first, "verification", v_due, _actor(None),
        agency_name=f"Nama {p.first}", reason="aturan", confidence=0.9)))  # fmt: skip
    owner, stage, due = p.first, "verification", v_due
    if p.verified_h is not None:
        out.append((p.verified_h, "report.verified", _case(
            p, "verified", owner, stage, due, _actor(owner), report_type="pengaduan",
            category=p.verified_category, complexity="standard")))  # fmt: skip
    if p.assigned:
        t, to = p.assigned
        owner, stage, due = to, "follow_up", t + 14 * 24
        out.append((t, "report.assigned", _case(
            p, "assigned", owner, stage, due, _actor(p.first, "coordinator"),
            from_agency=p.first)))  # fmt: skip
    if p.escalated:
        t, to = p.escalated
        out.append((t, "report.escalated", _case(
            p, "escalated", to, "verification", t + 72, _actor(None), from_agency=owner,
            breached_stage=stage, breached_due_at=p.at(due).isoformat())))  # fmt: skip
        owner, stage, due = to, "verification", t + 72
    if p.responded_h is not None:
        out.append((p.responded_h, "report.responded", _case(
            p, "responded", owner, "closure", p.responded_h + 240, _actor(owner),
            message="Sudah ditindaklanjuti.", attachments=[])))  # fmt: skip
    if p.reopened_h is not None:
        out.append((p.reopened_h, "report.reopened", _case(
            p, "in_progress", owner, "follow_up", p.reopened_h + 336, _actor(None),
            reason="dispute")))  # fmt: skip
    if p.responded_again_h is not None:
        out.append((p.responded_again_h, "report.responded", _case(
            p, "responded", owner, "closure", p.responded_again_h + 240, _actor(owner),
            message="Jawaban kedua.", attachments=[])))  # fmt: skip
    if p.closed_h is not None:
        out.append((p.closed_h, "report.closed", _case(
            p, "closed", None, None, None, _actor(None), agency=owner,
            reason="confirmed_by_reporter")))  # fmt: skip
    return out


class _Clock(datetime):
    value: datetime = BASE

    @classmethod
    def now(cls, tz=None):
        return cls.value


def append_at(engine, stream: str, at: datetime, type_: str, data: dict, monkeypatch) -> None:
    """Append one event with the log's clock at `at`."""
    with monkeypatch.context() as patched:
        patched.setattr(eventstore, "datetime", _Clock)
        _Clock.value = at
        eventstore.EventStore(engine).append(stream, ANY_VERSION, [NewEvent(type_, data)])


def append_plans(engine, plans: list[Plan], monkeypatch) -> int:
    """Every plan's events, in order of time (streams interleaved)."""
    timed = [(hour, plan, type_, data) for plan in plans for hour, type_, data in events_of(plan)]
    timed.sort(key=lambda item: item[0])
    store = eventstore.EventStore(engine)
    with monkeypatch.context() as patched:
        patched.setattr(eventstore, "datetime", _Clock)
        for hour, plan, type_, data in timed:
            _Clock.value = plan.at(hour)
            store.append(report_stream(plan.tracking_id), ANY_VERSION, [NewEvent(type_, data)])
    return len(timed)
