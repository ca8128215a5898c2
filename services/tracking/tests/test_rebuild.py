"""The rebuilt projections equal the live ones (live applied through the
consumer path, rebuilt through rebuild.py), and the swap keeps serving: an
event applied live during the rebuild is there exactly once afterwards.

In a database of its own: a rebuild reads the whole log, and the session's
log holds every other test's events too (the full scale is `make bench`)."""

from __future__ import annotations

import random
import uuid

import eventlet
import pytest
import sqlalchemy as sa

from lapor.consumer import EventProcessor
from lapor.db import create_engine
from lapor.envelope import upcast_recorded
from lapor.eventstore import read_stream
from lapor.testing import isolation
from services.tracking import rebuild
from services.tracking.tests import kpi_scenario as sc


def processors(engine):
    found = [EventProcessor(p.subscription, engine, p.apply) for p in rebuild.projections()]
    for processor in found:
        processor.ensure_checkpoint()
    return found


def apply_live(engine):
    for processor in processors(engine):
        processor.catch_up(grace_seconds=0)


def all_rows(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {
            name: sorted(
                conn.execute(sa.text(f'SELECT to_jsonb(t)::text FROM tracking."{name}" t'))
                .scalars()
                .all()
            )
            for name in rebuild.projection_tables()
        }


@pytest.fixture(scope="module")
def engine():
    name = isolation.unique_name("lapor_test_rebuild")
    engine = create_engine(isolation.create_database(name), pool_size=5)
    yield engine
    engine.dispose()
    isolation.drop_database(name)


@pytest.fixture(scope="module")
def generated(engine):
    token = uuid.uuid4().hex[:6]
    agencies = [f"dinas-{i}-{token}" for i in range(6)]
    plans = sc.make_plans(random.Random(3), 200, ["96.01", "96.02"], agencies, [f"pemkab-{token}"])
    with pytest.MonkeyPatch.context() as monkeypatch:
        count = sc.append_plans(engine, plans, monkeypatch)
    apply_live(engine)
    return {"plans": plans, "events": count}


def test_compare_finds_no_difference_after_live_application(engine, generated):
    assert generated["events"] > 800
    found = rebuild.differences(engine)
    assert set(found) == set(rebuild.projection_tables())
    assert {t: s for t, s in found.items() if s["live_only"] or s["rebuilt_only"]} == {}
    with engine.connect() as conn:
        facts = conn.execute(sa.text("SELECT count(*) FROM tracking.kpi_facts")).scalar()
    assert facts >= len(generated["plans"])


def test_compare_reports_a_row_that_differs(engine, generated, capsys, monkeypatch):
    plan = generated["plans"][0]
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE tracking.kpi_facts SET reopened = NOT reopened WHERE tracking_id = :t"),
            {"t": plan.tracking_id},
        )
    try:
        monkeypatch.setattr(rebuild, "create_engine", lambda **kw: engine_like(engine))
        assert rebuild.compare_command([]) == 1
        out = capsys.readouterr().out
        assert "kpi_facts\tlive_only\t" in out and plan.tracking_id in out
        assert "kpi_facts\trebuilt_only\t" in out
    finally:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE tracking.kpi_facts SET reopened = NOT reopened WHERE tracking_id = :t"
                ),
                {"t": plan.tracking_id},
            )
    assert not any(s["live_only"] for s in rebuild.differences(engine).values())


class engine_like:
    """The session engine for a command, whose dispose() must not close it."""

    def __init__(self, engine):
        self._engine = engine

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def dispose(self):
        pass


def test_rebuild_swaps_while_live_events_keep_coming(engine, generated, monkeypatch):
    before = all_rows(engine)
    extra = sc.make_plans(
        random.Random(5), 2, ["96.03"], ["dinas-late", "dinas-late-2"], ["pemkab-late"]
    )
    early, late = extra
    late.verified_h = late.responded_h = late.reopened_h = None
    late.responded_again_h = late.closed_h = late.assigned = late.escalated = None
    late_events = sc.events_of(late)
    blocked = []

    def on_phase(phase):
        if phase == "built":  # committed and applied live before the swap's lock
            with pytest.MonkeyPatch.context() as patched:
                sc.append_plans(engine, [early], patched)
                for hour, type_, data in late_events:
                    sc.append_at(engine, f"report-{late.tracking_id}", late.at(hour), type_,
                                 data, patched)  # fmt: skip
            apply_live(engine)
        if phase == "locked":  # a consumer claims an event now: it must wait for the swap
            with pytest.MonkeyPatch.context() as patched:
                sc.append_at(engine, f"report-{late.tracking_id}", late.at(late.routed_h + 1),
                             "report.verified", verified_data(late), patched)  # fmt: skip
            with engine.connect() as conn:
                event = upcast_recorded(read_stream(conn, f"report-{late.tracking_id}")[-1])
            for processor in processors(engine):
                blocked.append(eventlet.spawn(processor.process, event))
            eventlet.sleep(0.5)
            assert not any(g.dead for g in blocked)  # waiting on lapor.inbox

    result = rebuild.rebuild(engine, say=lambda _: None, on_phase=on_phase)
    assert [g.wait() for g in blocked] == ["applied", "applied"]
    assert result["copied"] == ["alembic_version"]
    with engine.connect() as conn:
        schemas = conn.execute(
            sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tracking%'")
        ).scalars()
        assert sorted(schemas) == ["tracking"]
        assert conn.execute(sa.text("SELECT count(*) FROM tracking.alembic_version")).scalar() == 1
        verified = conn.execute(
            sa.text("SELECT count(*) FROM tracking.timeline WHERE tracking_id = :t AND type = :y"),
            {"t": late.tracking_id, "y": "report.verified"},
        ).scalar()
        late_facts = conn.execute(
            sa.text("SELECT verified_at IS NOT NULL FROM tracking.kpi_facts "
                    "WHERE tracking_id = :t"),
            {"t": late.tracking_id},
        ).scalars().all()  # fmt: skip
        early_rows = conn.execute(
            sa.text("SELECT count(*) FROM tracking.timeline WHERE tracking_id = :t"),
            {"t": early.tracking_id},
        ).scalar()
    assert verified == 1
    assert late_facts and all(late_facts)
    assert early_rows == len(sc.events_of(early))
    after = all_rows(engine)
    for name, rows in before.items():
        assert set(rows) <= set(after[name]), name
    assert not any(
        s["live_only"] or s["rebuilt_only"] for s in rebuild.differences(engine).values()
    )


def verified_data(plan) -> dict:
    return {
        "tracking_id": plan.tracking_id,
        "agency_code": plan.first,
        "status": "verified",
        "owner": plan.first,
        "owner_name": f"Nama {plan.first}",
        "stage": "verification",
        "due_at": plan.at(plan.routed_h + 72).isoformat(),
        "actor": {"role": "officer", "agency_code": plan.first, "account": "acct-late"},
        "report_type": "pengaduan",
        "category": "kesehatan",
        "complexity": "simple",
    }
