"""The pure rules: each case event's effect, order independence, what views show."""

import random
from datetime import timedelta

import pytest

from lapor.contracts.case import CASE_EVENTS
from lapor.contracts.case import STATUS_LABELS as CASE_LABELS
from services.tracking import domain, views
from services.tracking.tests.factory import (
    COORDINATOR,
    DINAS,
    KOTA,
    NAMES,
    OFFICER,
    START,
    case,
    lifecycle,
    new_tracking_id,
    recorded,
    submitted,
)

TID = "LAP-0123456789"
LATER = START + timedelta(days=365)

# after submitted + routed(KOTA): each case event, and what the report is then
STEPS = {
    "report.verified": (
        case(TID, "verified", KOTA, "verification", 3, COORDINATOR)
        | {"report_type": "aspirasi", "category": "kesehatan", "complexity": "standard"},
        {"status": "verified", "category": "kesehatan", "report_type": "aspirasi"},
    ),
    "report.deferred": (
        case(TID, "deferred", KOTA, None, None, COORDINATOR, note="Nomor KTP?"),
        {"status": "deferred", "due_at": None, "stage": None},
    ),
    "report.resumed": (
        case(TID, "unverified", KOTA, "verification", 5),
        {"status": "unverified", "stage": "verification"},
    ),
    "report.archived": (
        case(TID, "archived", None, None, None, COORDINATOR, agency_code=KOTA)
        | {"reason": "duplicate"},
        {"status": "archived", "owner": None, "agency_code": KOTA},
    ),
    "report.merged": (
        case(TID, "archived", None, None, None, COORDINATOR, agency_code=KOTA)
        | {"into": "LAP-ABCDEFGHJK"},
        {"status": "archived", "owner": None},
    ),
    "report.assigned": (
        case(TID, "assigned", DINAS, "follow_up", 9, COORDINATOR, from_agency=KOTA),
        {"status": "assigned", "owner": DINAS, "agency_name": NAMES[DINAS]},
    ),
    "report.disposed": (
        case(TID, "assigned", DINAS, "follow_up", 9, COORDINATOR, from_agency=KOTA),
        {"status": "assigned", "owner": DINAS, "stage": "follow_up"},
    ),
    "report.accepted": (
        case(TID, "in_progress", KOTA, "follow_up", 9, OFFICER),
        {"status": "in_progress"},
    ),
    "report.returned": (
        case(TID, "returned", "pemprov-32", "verification", 4, OFFICER, from_agency=KOTA)
        | {"reason": "Bukan wewenang kami", "suggested_agency": None},
        {"status": "returned", "owner": "pemprov-32", "agency_code": "pemprov-32"},
    ),
    "report.responded": (
        case(TID, "responded", KOTA, "closure", 20, OFFICER)
        | {"message": "Sudah dicetak.", "attachments": []},
        {
            "status": "responded",
            "stage": "closure",
            "first_response_at": START + timedelta(hours=3),
        },
    ),
    "report.reopened": (
        case(TID, "in_progress", KOTA, "follow_up", 30, reason="dispute"),
        {"status": "in_progress", "reopen_count": 1},
    ),
    "report.closed": (
        case(TID, "closed", None, None, None, agency_code=KOTA) | {"reason": "no_reply"},
        {"status": "closed", "closed_at": START + timedelta(hours=3), "owner": None},
    ),
    "report.escalated": (
        case(TID, "escalated", "pemprov-32", "verification", 6, from_agency=KOTA)
        | {"breached_stage": "verification", "breached_due_at": START.isoformat()},
        {"status": "escalated", "owner": "pemprov-32"},
    ),
    "report.deadline_approaching": (
        case(TID, "unverified", KOTA, "verification", 3),
        {"status": "unverified"},
    ),
    "report.privacy_changed": (
        case(TID, "unverified", KOTA, "verification", 3, actor=dict(COORDINATOR))
        | {"anonymous": True, "confidential": True},
        {"anonymous": True, "confidential": True},
    ),
}
ROUTED = case(TID, "unverified", KOTA, "verification", 3, agency_name=NAMES[KOTA]) | {
    "reason": "region",
    "confidence": 0.3,
}


def test_every_case_event_has_a_step_here():
    assert set(STEPS) == set(CASE_EVENTS) - {"report.routed"}


@pytest.mark.parametrize("event_type", sorted(STEPS))
def test_each_case_event_states_the_case(event_type):
    data, expected = STEPS[event_type]
    events = recorded(
        TID, [("report.submitted", submitted(TID)), ("report.routed", ROUTED), (event_type, data)]
    )
    state, timeline = domain.fold(TID, events)
    assert state == {**state, **expected}
    assert state["due_at"] == domain._time(data["due_at"])
    assert state["updated_at"] == events[-1].recorded_at
    assert [e["type"] for e in timeline] == ["report.submitted", "report.routed", event_type]
    last = timeline[-1]
    assert last["actor_role"] == data["actor"]["role"]
    assert "officer-17" not in str(timeline) and "admin-3" not in str(timeline)


def test_a_report_not_yet_routed_is_submitted_with_its_own_classification():
    state, timeline = domain.fold(TID, recorded(TID, [("report.submitted", submitted(TID))]))
    assert domain.status_of(state) == "submitted" and state["owner"] is None
    assert state["category"] == "kependudukan" and timeline[0]["actor"] == "pelapor"
    assert "ref-secret-123" not in str(timeline)


def test_the_latest_version_wins_in_any_order_and_duplicates_change_nothing():
    tid = new_tracking_id()
    events = recorded(tid, lifecycle(tid))
    expected = domain.fold(tid, events)
    rng = random.Random(6)
    for _ in range(30):
        shuffled = events + rng.sample(events, 5)
        rng.shuffle(shuffled)
        assert domain.fold(tid, shuffled) == expected
    state, _ = expected
    assert domain.status_of(state) == "closed" and state["owner"] is None
    assert state["agency_code"] == DINAS and state["agency_name"] == NAMES[DINAS]
    assert state["reopen_count"] == 1 and state["closed_at"] == events[-1].recorded_at
    assert state["first_response_at"] == events[6].recorded_at
    assert state["complexity"] == "simple"


def test_overdue_means_an_open_case_past_its_due_time():
    events = recorded(TID, [("report.submitted", submitted(TID)), ("report.routed", ROUTED)])
    state, _ = domain.fold(TID, events)
    assert not domain.is_overdue(state, START + timedelta(days=2))
    assert domain.is_overdue(state, START + timedelta(days=4))
    closed = recorded(
        TID, [*[(e.type, e.data) for e in events], ("report.closed", STEPS["report.closed"][0])]
    )
    assert not domain.is_overdue(domain.fold(TID, closed)[0], LATER)


def test_the_public_view_hides_content_of_a_confidential_report():
    tid = new_tracking_id()
    for confidential in (False, True):
        state, timeline = domain.fold(tid, recorded(tid, lifecycle(tid, confidential)))
        view = views.public_report(state, timeline, LATER)
        text = str(view)
        assert ("Silakan ambil di loket 3." in text) is not confidential  # the response
        assert ("Sudah tiga bulan" in text) is not confidential  # the description
        assert "Belum saya terima." not in text  # the reporter's follow-up text: agencies only
        assert "cek ulang" not in text  # an officer's note
        assert "officer-17" not in text and "ref-secret-123" not in text
        assert "report.deadline_approaching" not in [e["type"] for e in view["timeline"]]
        assert view["status_label"]["id"] == CASE_LABELS["closed"]
        # the reporter, who gave the PIN, reads the response to their own report
        own = str(views.public_report(state, timeline, LATER, reporter=True))
        assert "Silakan ambil di loket 3." in own and "Sudah tiga bulan" in own
        assert "Belum saya terima." not in own and "cek ulang" not in own
        detail = views.case_detail(state, timeline, LATER)
        assert "Belum saya terima." in str(detail) and "cek ulang" in str(detail)
        assert "officer-17" not in str(detail) and "ref-secret-123" not in str(detail)


def test_every_status_has_indonesian_and_english_labels_and_every_role_a_word():
    assert set(domain.STATUS_LABELS) == {"submitted", *CASE_LABELS}
    for status, label in domain.STATUS_LABELS.items():
        assert set(label) == {"id", "en"}
        assert status == "submitted" or label["id"] == CASE_LABELS[status]
    from lapor.contracts.case import ACTOR_ROLES

    assert set(domain.ACTOR_WORDS) == set(ACTOR_ROLES)
