"""KPIs on a generated data set equal a computation written here from the
plans (not from the events), live from the facts table and as of a past
moment from the log; events delivered twice leave the facts right."""

from __future__ import annotations

import random
import statistics
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lapor.consumer import EventProcessor
from lapor.envelope import upcast_recorded
from lapor.eventstore import NO_STREAM, EventStore, NewEvent, read_stream
from services.tracking import manifest
from services.tracking.adapters import kpi_facts
from services.tracking.tests import kpi_scenario as sc

PROVINCE = "97"


def apply_kpis(event, tx):  # the live handler
    kpi_facts.apply(tx, event)


REGIONS = ["97.01", "97.02", "97.71"]


@pytest.fixture(scope="module")
def world(engine, request):
    token = uuid.uuid4().hex[:6]
    agencies = [f"dinas-{i}-{token}" for i in range(5)]
    coordinators = [f"pemkab-{i}-{token}" for i in range(2)]
    store = EventStore(engine)
    for i, code in enumerate(coordinators):
        _register(store, code, "regency", REGIONS[i], None)
    for i, code in enumerate(agencies):
        _register(store, code, "unit", REGIONS[i % 3], coordinators[0])
    store.append(f"agency-{coordinators[0]}", 1, [NewEvent("agency.profile_set", {
        "code": coordinators[0], "coordinator_code": None, "categories": [],
        "complaint_team_decree": {"number": "188/Kep.12-Diskominfo/2024", "date": "2024-02-01"},
        "actor": "admin-kemenpanrb"})])  # fmt: skip
    plans = sc.make_plans(random.Random(7), 300, REGIONS, agencies, coordinators)
    with pytest.MonkeyPatch.context() as monkeypatch:
        sc.append_plans(engine, plans, monkeypatch)
    processor = EventProcessor(manifest.KPIS, engine, apply_kpis)
    processor.ensure_checkpoint()
    processor.catch_up(grace_seconds=0)
    return {"plans": plans, "agencies": agencies, "coordinators": coordinators}


def _register(store, code, kind, region, parent):
    store.append(f"agency-{code}", NO_STREAM, [NewEvent("agency.registered", {
        "code": code, "name": f"Nama {code}", "kind": kind, "region_code": region,
        "parent_code": parent, "unit_type": None})])  # fmt: skip


# -- the expected numbers, from the plans ----------------------------------------------


def expected_rows(plans, cutoff_h=None):
    """(scope, group fields) rows of plain values, as the plans say."""

    def seen(hour):
        return hour is not None and (cutoff_h is None or hour <= cutoff_h)

    rows = []
    for p in plans:
        if not seen(p.routed_h):
            continue
        received = {p.first: p.routed_h}
        if p.assigned and seen(p.assigned[0]):
            received[p.assigned[1]] = p.assigned[0]
        if p.escalated and seen(p.escalated[0]):
            received[p.escalated[1]] = p.escalated[0]
        category = p.verified_category if seen(p.verified_h) else p.category
        for scope, start in [("", p.routed_h), *received.items()]:
            row = {"scope": scope, "region": p.region_code, "category": category, "start": start}
            verifier = scope in ("", p.first)
            row["verified_within"] = verifier and seen(p.verified_h) and (
                p.verified_h <= p.routed_h + 72)  # fmt: skip
            responder = scope in ("", p.responder)
            row["responded"] = responder and seen(p.responded_h)
            row["responded_within"] = row["responded"] and p.responded_h <= sc.follow_up_due(p)
            row["first_response_h"] = p.responded_h - start if row["responded"] else None
            row["reopened"] = responder and row["responded"] and seen(p.reopened_h)
            row["resolution_h"] = p.closed_h - start if seen(p.closed_h) else None
            rows.append(row)
    return rows


def p90(values):
    ordered = sorted(values)
    k = -(-len(ordered) * 90 // 100)
    return ordered[max(k, 1) - 1]


def expected_kpis(rows):
    n = len(rows)
    responded = [r for r in rows if r["responded"]]
    first = [r["first_response_h"] for r in responded]
    resolution = [r["resolution_h"] for r in rows if r["resolution_h"] is not None]

    def pct(a, b):
        return round(100 * a / b, 1) if b else None

    def h(x):
        return round(x, 2) if x is not None else None

    reopened = sum(r["reopened"] for r in rows)
    return {
        "received": n,
        "verified_within_sla_pct": pct(sum(r["verified_within"] for r in rows), n),
        "followed_up_pct": pct(len(responded), n),
        "followed_up_within_sla_pct": pct(sum(r["responded_within"] for r in rows), n),
        "resolved_pct": pct(len(resolution), n),
        "reopened_pct": pct(reopened, len(responded)),
        "first_response_median_h": h(statistics.median(first)) if first else None,
        "first_response_p90_h": h(p90(first)) if first else None,
        "resolution_median_h": h(statistics.median(resolution)) if resolution else None,
        "resolution_p90_h": h(p90(resolution)) if resolution else None,
    }


def grouped(rows, key):
    groups = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {name: expected_kpis(members) for name, members in groups.items()}


def actual(table, keys=None):
    fields = list(expected_kpis([]).keys())
    return {
        row["group"]: {f: row[f] for f in fields}
        for row in table
        if keys is None or row["group"] in keys
    }


# -- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [False, True])
def test_kpis_per_agency_equal_the_plans(engine, world, as_of):
    cutoff_h = 24 * 40 if as_of else None
    expected_all = expected_rows(world["plans"], cutoff_h)
    expected = grouped([r for r in expected_all if r["scope"]], lambda r: r["scope"])
    when = sc.BASE + timedelta(hours=cutoff_h) if as_of else None
    with engine.connect() as conn:
        table = kpi_facts.kpi_table(conn, "agency", as_of=when)
    assert actual(table, set(expected)) == expected
    assert len(expected) == len(world["agencies"]) + len(world["coordinators"])


@pytest.mark.parametrize("as_of", [False, True])
def test_kpis_per_region_and_category_count_each_report_once(engine, world, as_of):
    cutoff_h = 24 * 30 if as_of else None
    reports = [r for r in expected_rows(world["plans"], cutoff_h) if r["scope"] == ""]
    when = sc.BASE + timedelta(hours=cutoff_h) if as_of else None
    with engine.connect() as conn:
        regions = kpi_facts.kpi_table(
            conn, "region", as_of=when, region_level=2, region_code=PROVINCE
        )
        categories = kpi_facts.kpi_table(conn, "category", as_of=when, region_code=PROVINCE)
    assert actual(regions) == grouped(reports, lambda r: r["region"])
    assert actual(categories) == grouped(reports, lambda r: r["category"])


def test_a_period_counts_the_reports_received_in_it(engine, world):
    start, end = 24 * 10, 24 * 20
    reports = [
        r for r in expected_rows(world["plans"]) if r["scope"] == "" and start <= r["start"] < end
    ]
    with engine.connect() as conn:
        table = kpi_facts.kpi_table(
            conn, "region", sc.BASE + timedelta(hours=start), sc.BASE + timedelta(hours=end),
            region_level=1, region_code=PROVINCE,
        )  # fmt: skip
    assert actual(table) == {PROVINCE: expected_kpis(reports)}
    assert 0 < len(reports) < len(world["plans"])


def test_good_region_indicators(engine, world):
    coordinator = world["coordinators"][0]
    reports = [r for r in expected_rows(world["plans"]) if r["scope"] == ""]
    in_region = [r for r in reports if r["region"] == REGIONS[0]]
    followed = expected_kpis(in_region)["followed_up_pct"]
    acting = {p.first for p in world["plans"] if p.verified_h is not None}
    acting |= {p.responder for p in world["plans"] if p.responded_h is not None}
    acting |= {p.first for p in world["plans"] if p.assigned}  # the coordinator role assigns
    in_region_agencies = {world["coordinators"][0]} | {
        a for i, a in enumerate(world["agencies"]) if i % 3 == 0
    }
    with engine.connect() as conn:
        live = kpi_facts.region_report(conn, REGIONS[0])
        past = kpi_facts.region_report(conn, REGIONS[0], as_of=datetime.now(UTC))
    assert live == past
    assert live["governments"] == [coordinator]
    assert live["complaint_team_decree"] == [
        {"agency_code": coordinator, "number": "188/Kep.12-Diskominfo/2024", "date": "2024-02-01"}
    ]
    assert live["active_accounts"] == len(acting & in_region_agencies)
    assert live["received"] == len(in_region)
    assert live["followed_up_pct"] == followed
    assert live["good"] == (followed > 50 and live["active_accounts"] > 0)
    with engine.connect() as conn:
        other = kpi_facts.region_report(conn, REGIONS[1])
    assert other["complaint_team_decree"] == [] and other["good"] is False


def test_events_delivered_twice_leave_the_facts_right(engine, world):
    fresh = [f"dinas-{i}-{uuid.uuid4().hex[:6]}" for i in range(3)]
    plans = sc.make_plans(random.Random(11), 20, ["97.09"], fresh, ["pemkab-x"])
    with pytest.MonkeyPatch.context() as monkeypatch:
        sc.append_plans(engine, plans, monkeypatch)
    processor = EventProcessor(manifest.KPIS, engine, apply_kpis)
    with engine.connect() as conn:
        streams = [read_stream(conn, f"report-{p.tracking_id}") for p in plans]
    history = [upcast_recorded(e) for s in streams for e in s]
    subscribed = [e for e in history if e.type in manifest.KPIS.event_types]
    outcomes = [processor.process(e) for e in subscribed]
    again = [processor.process(e) for e in reversed(subscribed)]
    assert set(outcomes) == {"applied"} and set(again) == {"duplicate"}
    for event in subscribed[::3]:  # the effect itself, applied twice, changes nothing
        with engine.begin() as tx:
            kpi_facts.apply(tx, event)
    expected = grouped([r for r in expected_rows(plans) if r["scope"] == ""], lambda r: "97")
    with engine.connect() as conn:
        table = kpi_facts.kpi_table(conn, "region", region_code="97.09")
        count = conn.execute(
            sa.select(sa.func.count()).select_from(kpi_facts.facts_table).where(
                kpi_facts.facts_table.c.tracking_id.in_([p.tracking_id for p in plans]))
        ).scalar()  # fmt: skip
    assert actual(table) == expected
    assert count == len(expected_rows(plans))


def test_facts_applied_in_shuffled_batches_with_duplicates_equal_one_by_one(engine, world):
    """What a rebuild does: apply_many over batches in any order."""
    plans = sc.make_plans(random.Random(13), 15, ["97.09"], world["agencies"], ["pemkab-y"])
    with pytest.MonkeyPatch.context() as monkeypatch:
        sc.append_plans(engine, plans, monkeypatch)
    ids = [p.tracking_id for p in plans]
    with engine.connect() as conn:
        history = [upcast_recorded(e) for i in ids for e in read_stream(conn, f"report-{i}")]
    subscribed = [e for e in history if e.type in manifest.KPIS.event_types]
    mine = kpi_facts.facts_table.c.tracking_id.in_(ids)

    def facts() -> list:
        with engine.connect() as conn:
            return sorted(map(tuple, conn.execute(sa.select(kpi_facts.facts_table).where(mine))))

    for event in subscribed:
        with engine.begin() as tx:
            kpi_facts.apply(tx, event)
    expected = facts()
    assert len({row[0] for row in expected}) == len(plans)
    rng = random.Random(5)
    for size in (3, 10, len(subscribed)):
        with engine.begin() as tx:
            tx.execute(kpi_facts.facts_table.delete().where(mine))
        delivered = subscribed + rng.sample(subscribed, 8)
        rng.shuffle(delivered)
        for start in range(0, len(delivered), size):
            with engine.begin() as tx:
                kpi_facts.apply_many(tx, delivered[start : start + size])
        assert facts() == expected, size
