"""The projection on the real PostgreSQL: events from the real log, applied in
order, shuffled, twice; inbox and feed queries; time travel; tampering."""

from __future__ import annotations

import random
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lapor import eventstore
from lapor.envelope import upcast_recorded
from lapor.eventstore import ANY_VERSION, NewEvent
from services.tracking import commands, domain, handlers
from services.tracking.adapters import projection
from services.tracking.tests.factory import (
    DINAS,
    KOTA,
    NAMES,
    START,
    case,
    lifecycle,
    new_tracking_id,
    submitted,
)

LATER = START + timedelta(days=365)


@contextmanager
def scratch(engine):
    """A projection schema of its own: the same tables under another name."""
    name = f"tracking_test_{uuid.uuid4().hex[:8]}"
    with engine.begin() as tx:
        tx.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        projection.metadata.create_all(
            tx.execution_options(schema_translate_map={"tracking": name})
        )
    try:
        with engine.connect() as conn:
            yield conn.execution_options(schema_translate_map={"tracking": name})
    finally:
        with engine.begin() as tx:
            tx.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))


def logged(engine, events: list[tuple[str, dict]]) -> list:
    """Append to the real log (contracts validate), read back as consumers see them."""
    stream = f"report-{events[0][1]['tracking_id']}"
    with engine.begin() as tx:
        eventstore.append(tx, stream, ANY_VERSION, [NewEvent(t, d) for t, d in events])
        return [upcast_recorded(e) for e in eventstore.read_stream(tx, stream)]


def project_all(conn, events) -> None:
    for event in events:
        with conn.begin():
            projection.apply(conn, event)


def snapshot(conn, tracking_ids) -> tuple:
    reports = conn.execute(
        sa.select(projection.reports).where(projection.reports.c.tracking_id.in_(tracking_ids))
    ).all()
    entries = conn.execute(
        sa.select(projection.timeline).where(projection.timeline.c.tracking_id.in_(tracking_ids))
    ).all()
    key = lambda row: str(row[0])  # noqa: E731
    return sorted(map(tuple, reports), key=key), sorted(map(tuple, entries), key=key)


def test_a_lifecycle_projects_to_what_the_fold_says(engine):
    tid = new_tracking_id()
    events = logged(engine, lifecycle(tid))
    with scratch(engine) as conn:
        project_all(conn, events)
        state = projection.report_state(conn, tid)
        timeline = projection.report_timeline(conn, tid)
    folded, folded_timeline = domain.fold(tid, events)
    assert {k: state[k] for k in folded if k != "status"} == {
        k: v for k, v in folded.items() if k != "status"
    }
    assert state["status"] == "closed" and state["reopen_count"] == 1
    assert [e["event_id"] for e in timeline] == [e["event_id"] for e in folded_timeline]
    assert [e["detail"] for e in timeline] == [e["detail"] for e in folded_timeline]


def test_events_twice_and_out_of_order_across_streams_leave_the_same_rows(engine):
    reports = [new_tracking_id() for _ in range(3)]
    events = [e for tid in reports for e in logged(engine, lifecycle(tid, tid == reports[1]))]
    with scratch(engine) as conn:
        project_all(conn, events)
        expected = snapshot(conn, reports)
    rng = random.Random(42)
    for _ in range(3):
        delivered = events + rng.sample(events, 10)
        rng.shuffle(delivered)
        with scratch(engine) as conn:
            project_all(conn, delivered)
            project_all(conn, delivered[:7])  # redelivered again
            assert snapshot(conn, reports) == expected
    closed = [row for row in expected[0] if row[1] == "closed"]
    assert len(closed) == 3
    for size in (2, 5, len(events)):  # in batches (a rebuild), shuffled, duplicates inside
        delivered = events + rng.sample(events, 10)
        rng.shuffle(delivered)
        with scratch(engine) as conn:
            for start in range(0, len(delivered), size):
                with conn.begin():
                    projection.apply_many(conn, delivered[start : start + size])
            assert snapshot(conn, reports) == expected, size


def test_an_agency_registration_gives_the_owners_tier(engine):
    code = f"dinas-{uuid.uuid4().hex[:6]}"
    agency = {
        "code": code,
        "name": "Dinas Uji",
        "kind": "unit",
        "region_code": "32.73",
        "parent_code": KOTA,
        "unit_type": "disdukcapil",
    }
    with engine.begin() as tx:
        eventstore.append(tx, f"agency-{code}", 0, [NewEvent("agency.registered", agency)])
        [registered] = eventstore.read_stream(tx, f"agency-{code}")
    tid = new_tracking_id()
    events = logged(
        engine,
        [
            ("report.submitted", submitted(tid)),
            ("report.routed", case(tid, "unverified", code, "verification", 3) | ROUTED_EXTRA),
        ],
    )
    with scratch(engine) as conn:
        project_all(conn, [*events, registered, registered])
        assert projection.report_state(conn, tid)["owner_tier"] == "unit"
        view = handlers.public_report(conn, tid, now=LATER)
    assert view["owner"] == {"code": code, "name": None, "tier": "unit"}
    assert view["overdue"] is True and view["status"] == "unverified"


ROUTED_EXTRA = {"agency_name": "x", "reason": "rule", "confidence": 0.9}


def _report(tid, owner, due_days, category="kependudukan", region="32.73", confidential=False):
    return [
        ("report.submitted", submitted(tid, confidential, category=category, region_code=region)),
        ("report.routed", case(tid, "unverified", owner, "verification", due_days) | ROUTED_EXTRA),
    ]


@pytest.fixture
def inbox_db(engine):
    """Seven reports of two owners, due one to seven days after START."""
    owners = ["dinas-a", "dinas-b"]
    made = {}
    with scratch(engine) as conn:
        for n in range(7):
            tid = new_tracking_id()
            category = "kesehatan" if n % 3 == 0 else "kependudukan"
            region = "32.73" if n < 4 else "31.71"
            events = _report(tid, owners[n % 2], n + 1, category, region, confidential=n == 2)
            project_all(conn, logged(engine, events))
            made[tid] = n
        yield conn, made


def test_the_inbox_filters_sorts_by_due_time_and_pages(inbox_db):
    conn, made = inbox_db
    now = START + timedelta(days=3, hours=12)  # reports 0, 1, 2 are overdue
    everything = handlers.inbox(conn, None, {}, 1, 100, now=now)
    assert [made[i["tracking_id"]] for i in everything["items"]] == list(range(7))
    mine = handlers.inbox(conn, ["dinas-a"], {}, 1, 2, now=now)
    assert mine["total"] == 4 and [made[i["tracking_id"]] for i in mine["items"]] == [0, 2]
    page2 = handlers.inbox(conn, ["dinas-a"], {}, 2, 2, now=now)
    assert [made[i["tracking_id"]] for i in page2["items"]] == [4, 6]
    late = handlers.inbox(conn, None, {"overdue": True}, now=now)
    assert [made[i["tracking_id"]] for i in late["items"]] == [0, 1, 2]
    assert all(i["overdue"] for i in late["items"])
    on_time = handlers.inbox(conn, None, {"overdue": False}, now=now)
    assert [made[i["tracking_id"]] for i in on_time["items"]] == [3, 4, 5, 6]
    health = handlers.inbox(conn, None, {"category": "kesehatan", "region_code": "32"}, now=now)
    assert [made[i["tracking_id"]] for i in health["items"]] == [0, 3]
    jakarta = handlers.inbox(conn, None, {"region_code": "31.71", "status": "unverified"}, now=now)
    assert jakarta["total"] == 3
    assert handlers.inbox(conn, None, {"status": "closed"}, now=now)["total"] == 0


def test_the_inbox_filters_by_submission_date(inbox_db):
    conn, made = inbox_db
    today = datetime.now(UTC).date().isoformat()
    assert handlers.inbox(conn, None, {"submitted_from": today})["total"] == 7
    assert handlers.inbox(conn, None, {"submitted_to": "2020-01-01"})["total"] == 0
    soon = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    assert handlers.inbox(conn, None, {"submitted_to": soon})["total"] == 7


def test_bad_filters_get_field_messages(inbox_db):
    conn, _ = inbox_db
    answer = handlers.inbox(
        conn,
        None,
        {"status": "lost", "overdue": "maybe", "submitted_from": "yesterday", "colour": "red"},
        0,
        1000,
    )
    errors = answer["error"]["errors"]
    assert answer["error"]["status"] == 400
    assert set(errors) == {"status", "overdue", "submitted_from", "colour", "page", "per_page"}
    reversed_range = {"submitted_from": "2026-03-05", "submitted_to": "2026-03-01"}
    assert "submitted_to" in handlers.inbox(conn, None, reversed_range)["error"]["errors"]
    assert "_schema" in handlers.public_feed(conn, ["status"])["error"]["errors"]


def test_the_public_feed_has_no_confidential_report(inbox_db):
    conn, made = inbox_db
    feed = handlers.public_feed(conn, {}, 1, 100, now=LATER)
    shown = {made[i["tracking_id"]] for i in feed["items"]}
    assert shown == {0, 1, 3, 4, 5, 6} and feed["total"] == 6
    assert "ref-secret-123" not in str(feed)
    assert handlers.public_feed(conn, {"category": "kesehatan"}, now=LATER)["total"] == 3
    assert handlers.public_feed(conn, {"open": False}, now=LATER)["total"] == 0


def test_status_as_of_a_past_moment(engine):
    tid = new_tracking_id()
    stream = f"report-{tid}"
    before = datetime.now(UTC)
    time.sleep(0.01)
    steps = lifecycle(tid)
    logged(engine, steps[:2])
    time.sleep(0.01)
    routed_at = datetime.now(UTC)
    time.sleep(0.01)
    with engine.begin() as tx:
        eventstore.append(tx, stream, 2, [NewEvent(t, d) for t, d in steps[2:]])
    with engine.connect() as conn:
        assert handlers.status_as_of(conn, tid, before.isoformat()) is None
        then = handlers.status_as_of(conn, tid, routed_at.isoformat())
        now = handlers.status_as_of(conn, tid, datetime.now(UTC).isoformat())
        bad = handlers.status_as_of(conn, tid, "last tuesday")
    assert then["status"] == "unverified" and then["owner"]["code"] == KOTA
    assert [e["type"] for e in then["timeline"]] == ["report.submitted", "report.routed"]
    assert then["overdue"] is (START + timedelta(days=3) < routed_at)  # judged as of then
    assert then["as_of"] == routed_at.isoformat()
    assert now["status"] == "closed" and now["agency"] == {"code": DINAS, "name": NAMES[DINAS]}
    assert "at" in bad["error"]["errors"]


def test_a_tampered_event_fails_verification_and_is_named(engine, pg_url, monkeypatch, capsys):
    tid = new_tracking_id()
    events = logged(engine, lifecycle(tid))
    with engine.connect() as conn:
        assert handlers.verify_report(conn, tid)["intact"] is True
        assert handlers.verify_report(conn, new_tracking_id()) is None
    target = events[5]
    with engine.begin() as tx:
        tx.execute(
            sa.text(
                "UPDATE lapor.events SET data = jsonb_set(data, '{status}', '\"closed\"') "
                "WHERE event_id = :id"
            ),
            {"id": target.event_id},
        )
    with engine.connect() as conn:
        result = handlers.verify_report(conn, tid)
    assert result["intact"] is False
    assert result["first_bad_event"]["event_id"] == str(target.event_id)
    assert result["first_bad_event"]["version"] == 6
    monkeypatch.setenv("DATABASE_URL", pg_url)
    assert commands.verify_report([tid.lower()]) == 1
    printed = capsys.readouterr().out
    assert str(target.event_id) in printed and "NOT intact" in printed
    assert commands.verify_report([new_tracking_id()]) == 2
