"""The case lifecycle, pure: every action in every status, who may act, the
reporter's messages, the clock, and the owner invariant under random use."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.contracts import contract_for
from lapor.contracts.case import OPEN_STATUSES, STATUSES
from services.routing import actions
from services.routing.lifecycle import Case, CaseError, apply_change, tier_up
from services.routing.tests.tree import AGENCIES, at, context, end_of

NOW = at(2026, 3, 17, 9)  # a Tuesday before the Idul Fitri cuti bersama
OTHER = "LAP-0000000001"
STAGE = {
    "unverified": "verification", "verified": "verification", "returned": "verification",
    "escalated": "verification", "assigned": "follow_up", "in_progress": "follow_up",
    "responded": "closure",
}  # fmt: skip
VALID = {
    "verify": {"report_type": "pengaduan", "category": "kependudukan", "complexity": "standard"},
    "defer": {"note": "Mohon lampirkan nomor antrean."},
    "archive": {"reason": "too_general"},
    "merge": {"into": OTHER},
    "assign": {"agency_code": "pemkot-3273-dinkes"},
    "dispose": {"agency_code": "pemkot-3273-disdukcapil-pendaftaran"},
    "accept": {},
    "return": {"reason": "Bukan wewenang Disdukcapil."},
    "respond": {"message": "KTP-el sudah dicetak.", "attachments": []},
    "change_privacy": {"anonymous": True, "confidential": False},
}
RESULT = {
    "verify": "verified", "defer": "deferred", "archive": "archived", "merge": "archived",
    "assign": "assigned", "dispose": "assigned", "accept": "in_progress",
    "return": "returned", "respond": "responded",
}  # fmt: skip
OPEN_IN = {
    "verify": {"unverified", "returned", "escalated"},
    "defer": {"unverified"},
    "archive": {"unverified", "verified", "returned", "escalated", "deferred"},
    "merge": {"unverified", "verified", "returned", "escalated", "deferred"},
    "assign": {"verified", "returned", "escalated"},
    "dispose": {"verified", "assigned"},
    "accept": {"verified", "assigned"},
    "return": {"unverified", "verified", "assigned", "returned", "escalated"},
    "respond": {"assigned", "in_progress"},
    "change_privacy": set(STATUSES),
}
ADMIN = {"role": "national_admin", "agency_code": "kemenpanrb", "account": "admin-1"}


def officer(agency, role="officer"):
    return {"role": role, "agency_code": agency, "account": f"{role}-1"}


def case_in(status, owner="pemkot-3273-disdukcapil", **kw):
    open_ = status in OPEN_STATUSES
    stage = STAGE.get(status)
    kw = {"report_type": "pengaduan", **kw}
    return Case(
        "LAP-ABCDEFGHJK", submitted=True, category="kependudukan",
        region_code="32.73.01", status=status, owner=owner if open_ else None,
        owner_name="x" if open_ else None, last_agency=owner, stage=stage,
        due_at=end_of(2026, 3, 27) if stage else None, complexity="standard", version=3, **kw,
    )  # fmt: skip


def run(case, action, params=None, actor=ADMIN, now=NOW):
    ctx = context(now, reports=[OTHER])
    return actions.act(case, action, VALID[action] if params is None else params, actor, ctx)


def refused(case, action, params=None, actor=ADMIN) -> CaseError:
    with pytest.raises(CaseError) as raised:
        run(case, action, params, actor)
    return raised.value


def valid_event(change):
    """The change is what its contract accepts (append would refuse it otherwise)."""
    contract_for(change.type).validate(change.data)
    return change.data


# --- every action in every status ---


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(VALID))
def test_every_action_in_every_status(action, status):
    case = case_in(status)
    if status not in OPEN_IN[action]:
        assert refused(case, action).status == 409
        return
    data = valid_event(run(case, action))
    assert data["status"] == RESULT.get(action, status)
    if data["status"] in OPEN_STATUSES:
        assert data["owner"] in AGENCIES and data["agency_code"] == data["owner"]
    else:
        assert data["owner"] is None and data["stage"] is None and data["due_at"] is None
        assert data["agency_code"] == "pemkot-3273-disdukcapil"  # the last owner hears of it


def test_assign_needs_a_classified_report():
    case = case_in("returned")
    case.complexity = None
    assert refused(case, "assign").status == 409


# --- what each action does to owner, stage and clock ---


def test_verify_classifies_and_keeps_the_verification_clock():
    data = run(case_in("unverified"), "verify", {**VALID["verify"], "complexity": "simple"}).data
    assert (data["complexity"], data["stage"], data["due_at"]) == (
        "simple", "verification", end_of(2026, 3, 27).isoformat()
    )  # fmt: skip


def test_defer_stops_the_clock():
    data = run(case_in("unverified"), "defer").data
    assert data["due_at"] is None and data["stage"] is None
    assert data["owner"] == "pemkot-3273-disdukcapil"


@pytest.mark.parametrize(
    "complexity, due", [("simple", end_of(2026, 3, 31)), ("standard", end_of(2026, 4, 14)),
                        ("field_examination", end_of(2026, 6, 26))],
)  # fmt: skip
def test_assign_starts_the_follow_up_clock_by_class(complexity, due):
    case = case_in("verified", owner="pemkot-3273")
    case.complexity = complexity
    data = run(case, "assign", actor=officer("pemkot-3273", "coordinator")).data
    assert data["owner"] == "pemkot-3273-dinkes" and data["from_agency"] == "pemkot-3273"
    assert (data["stage"], data["due_at"]) == ("follow_up", due.isoformat())


def test_an_information_request_gets_five_days_whatever_its_complexity():
    case = case_in("verified", owner="pemkot-3273", report_type="permintaan_informasi")
    data = run(case, "assign").data
    assert data["due_at"] == end_of(2026, 3, 31).isoformat()


def test_dispose_keeps_the_follow_up_deadline():
    data = run(case_in("assigned"), "dispose").data
    assert data["owner"] == "pemkot-3273-disdukcapil-pendaftaran"
    assert data["due_at"] == end_of(2026, 3, 27).isoformat()


def test_dispose_only_to_the_owners_own_sub_units():
    error = refused(case_in("assigned"), "dispose", {"agency_code": "pemkot-3273-dinkes"})
    assert error.status == 400 and "agency_code" in error.errors
    error = refused(case_in("assigned"), "dispose", {"agency_code": "pemkot-3273-disdukcapil"})
    assert error.status == 400


def test_accept_of_a_verified_case_starts_the_follow_up_clock():
    data = run(case_in("verified"), "accept").data
    assert (data["status"], data["stage"]) == ("in_progress", "follow_up")
    assert data["due_at"] == end_of(2026, 4, 14).isoformat()


@pytest.mark.parametrize(
    "owner, up",
    [
        ("pemkot-3273-disdukcapil-pendaftaran", "pemkot-3273"),  # a sub-unit: its government
        ("pemkot-3273-disdukcapil", "pemkot-3273"),
        ("pemkot-3273", "pemprov-32"),
        ("pemprov-32", "kemenpanrb"),
        ("kemenkes", "kemenpanrb"),
        ("not-in-catalogue", "kemenpanrb"),
    ],
)
def test_return_goes_to_the_coordinator_one_tier_up(owner, up):
    data = run(case_in("assigned", owner=owner), "return", actor=ADMIN).data
    assert (data["owner"], data["status"], data["stage"]) == (up, "returned", "verification")
    assert data["due_at"] == end_of(2026, 3, 27).isoformat()
    assert tier_up(owner, context(NOW)) == up


def test_returned_by_every_tier_it_ends_at_the_national_admin():
    case = case_in("assigned", owner="pemkot-3273-disdukcapil")
    owners = []
    while True:
        try:
            change = run(case, "return")
        except CaseError as error:
            assert error.status == 409  # the national admin has no tier above
            break
        case = apply_change(case, change)
        owners.append(case.owner)
    assert owners == ["pemkot-3273", "pemprov-32", "kemenpanrb"]


def test_return_needs_a_reason_and_a_known_suggestion():
    assert refused(case_in("assigned"), "return", {}).errors == {
        "reason": ["Missing data for required field."]
    }
    error = refused(case_in("assigned"), "return", {"reason": "x", "suggested_agency": "nope"})
    assert "suggested_agency" in error.errors


def test_respond_starts_the_ten_day_closure_clock():
    data = run(case_in("in_progress"), "respond").data
    assert (data["status"], data["stage"]) == ("responded", "closure")
    assert data["due_at"] == end_of(2026, 4, 8).isoformat()


def test_merge_needs_another_existing_report():
    assert refused(case_in("unverified"), "merge", {"into": "LAP-ZZZZZZZZZZ"}).status == 400
    assert refused(case_in("unverified"), "merge", {"into": "LAP-ABCDEFGHJK"}).status == 400


@pytest.mark.parametrize("action", ["verify", "archive", "assign", "respond"])
def test_invalid_params_are_field_errors(action):
    status = {"verify": "unverified", "respond": "in_progress"}.get(action, "verified")
    error = refused(case_in(status), action, {})
    assert error.status == 400 and error.errors


# --- who may act ---


@pytest.mark.parametrize(
    "actor, allowed",
    [
        (officer("pemkot-3273-disdukcapil"), True),  # the owner
        (officer("pemkot-3273", "coordinator"), True),  # its government
        (officer("pemprov-32", "coordinator"), True),  # its province
        (officer("pemkot-3273-disdukcapil-pendaftaran"), False),  # a sub-unit of the owner
        (officer("pemkot-3273-dinkes"), False),  # a sibling unit
        (officer("pemkab-3204", "coordinator"), False),  # another regency
        (officer("kemenkes", "agency_system"), False),
        (ADMIN, True),
    ],
)
def test_only_the_owner_and_the_agencies_above_it_act(actor, allowed):
    case = case_in("assigned")
    if allowed:
        assert run(case, "accept", actor=actor).data["status"] == "in_progress"
    else:
        assert refused(case, "accept", actor=actor).status == 403


def test_only_coordinators_assign_and_only_within_their_government():
    case = case_in("verified", owner="pemkot-3273-disdukcapil")
    assert refused(case, "assign", actor=officer("pemkot-3273-disdukcapil")).status == 403
    far = {"agency_code": "pemkab-3204-disdukcapil"}
    assert refused(case, "assign", far, officer("pemkot-3273", "coordinator")).status == 403
    assert run(case, "assign", far, officer("pemprov-32", "coordinator")).type == "report.assigned"


def test_an_actor_must_say_who_it_is():
    assert refused(case_in("assigned"), "accept", actor={"role": "officer"}).status == 400
    assert refused(case_in("assigned"), "accept", actor={"role": "mayor"}).status == 400


def test_unknown_and_unrouted_cases():
    assert refused(Case("LAP-ABCDEFGHJK"), "accept").status == 404
    assert refused(Case("LAP-ABCDEFGHJK", submitted=True), "accept").status == 409
    assert refused(case_in("assigned"), "approve", {}).status == 400


def test_admins_may_strengthen_privacy_but_only_the_reporter_weakens_it():
    case = case_in("in_progress")
    data = valid_event(run(case, "change_privacy", {"anonymous": True, "confidential": True},
                           officer("pemkot-3273-disdukcapil")))  # fmt: skip
    assert (data["anonymous"], data["confidential"], data["status"]) == (True, True, "in_progress")
    case = case_in("closed", anonymous=True, confidential=True)
    weaker = {"anonymous": False, "confidential": True}
    assert refused(case, "change_privacy", weaker).status == 403
    reporter = {"role": "reporter", "agency_code": None, "account": None}
    data = valid_event(run(case, "change_privacy", weaker, reporter))
    assert (data["anonymous"], data["owner"], data["actor"]["role"]) == (False, None, "reporter")
    assert refused(case, "accept", {}, reporter).status == 403


# --- the reporter and the clock ---


def test_information_resumes_a_deferred_case_with_a_new_clock():
    change = actions.on_message(case_in("deferred"), "information", context(NOW))
    data = valid_event(change)
    assert (change.type, data["status"], data["due_at"]) == (
        "report.resumed", "unverified", end_of(2026, 3, 27).isoformat()
    )  # fmt: skip


@pytest.mark.parametrize(
    "kind, reason",
    # an email or SMS answer arrives as `information`: a reply all the same
    [("dispute", "dispute"), ("reply", "reply"), ("information", "reply")],
)
def test_a_reply_or_dispute_reopens_a_responded_case(kind, reason):
    change = actions.on_message(case_in("responded"), kind, context(NOW))
    data = valid_event(change)
    assert (change.type, data["status"], data["reason"], data["stage"]) == (
        "report.reopened", "in_progress", reason, "follow_up"
    )  # fmt: skip
    assert data["owner"] == "pemkot-3273-disdukcapil"
    assert data["actor"]["role"] == "reporter"
    assert data["due_at"] == end_of(2026, 4, 14).isoformat()


def test_a_confirmation_closes_a_responded_case():
    data = valid_event(actions.on_message(case_in("responded"), "confirmation", context(NOW)))
    assert (data["status"], data["owner"], data["reason"]) == (
        "closed", None, "confirmed_by_reporter"
    )  # fmt: skip


@pytest.mark.parametrize("status", [s for s in STATUSES if s not in ("responded", "deferred")])
@pytest.mark.parametrize("kind", ["information", "reply", "dispute", "confirmation"])
def test_other_messages_change_nothing(status, kind):
    assert actions.on_message(case_in(status), kind, context(NOW)) is None


def test_a_late_case_escalates_one_tier_up():
    late = at(2026, 3, 28, 0, 0)
    change = actions.on_clock(case_in("assigned"), context(late), timedelta(hours=24))
    data = valid_event(change)
    assert (change.type, data["status"], data["owner"], data["from_agency"]) == (
        "report.escalated", "escalated", "pemkot-3273", "pemkot-3273-disdukcapil"
    )  # fmt: skip
    assert data["breached_stage"] == "follow_up"
    assert data["due_at"] == end_of(2026, 4, 1).isoformat()


def test_an_unanswered_response_closes_itself():
    change = actions.on_clock(case_in("responded"), context(at(2026, 3, 28)), timedelta(0))
    assert (change.type, change.data["reason"], change.data["owner"]) == (
        "report.closed", "no_reply", None
    )  # fmt: skip


def test_the_owner_is_warned_once_before_the_deadline():
    soon, window = at(2026, 3, 27, 8), timedelta(hours=24)
    assert actions.on_clock(case_in("assigned"), context(at(2026, 3, 26, 8)), window) is None
    case = case_in("assigned")
    change = actions.on_clock(case, context(soon), window)
    assert change.type == "report.deadline_approaching"
    assert valid_event(change)["owner"] == "pemkot-3273-disdukcapil"
    assert actions.on_clock(apply_change(case, change), context(soon), window) is None


@pytest.mark.parametrize("status", ["deferred", "archived", "closed"])
def test_no_clock_runs_on_deferred_archived_or_closed_cases(status):
    assert actions.on_clock(case_in(status), context(at(2027, 1, 1)), timedelta(0)) is None


# --- the invariant ---

ACTORS = [
    ADMIN,
    officer("pemkot-3273", "coordinator"),
    officer("pemprov-32", "coordinator"),
    officer("pemkot-3273-disdukcapil"),
    officer("pemkot-3273-disdukcapil-pendaftaran"),
    officer("pemkot-3273-dinkes"),
    {"role": "reporter", "agency_code": None, "account": None},
]
PARAMS = {
    **{k: [v] for k, v in VALID.items()},
    "assign": [{"agency_code": c} for c in sorted(AGENCIES)],
    "dispose": [{"agency_code": c} for c in sorted(AGENCIES)],
    "change_privacy": [{"anonymous": a, "confidential": c} for a in (0, 1) for c in (0, 1)],
}
KINDS = ["act", "act", "act", "message", "clock", "clock"]
MESSAGES = ["information", "reply", "dispute", "confirmation"]


def step(data, case, now):
    """One random thing happening to the case; mostly actions its status allows."""
    kind = data.draw(st.sampled_from(KINDS))
    if kind == "message":
        return actions.on_message(case, data.draw(st.sampled_from(MESSAGES)), context(now)), now
    if kind == "clock":
        now += timedelta(hours=data.draw(st.integers(1, 10 * 24)))
        return actions.on_clock(case, context(now), timedelta(hours=24)), now
    allowed = sorted(a for a, statuses in actions.ALLOWED.items() if case.status in statuses)
    action = data.draw(st.sampled_from(allowed or sorted(VALID)))
    params = dict(data.draw(st.sampled_from(PARAMS[action])))
    if action == "change_privacy":
        params = {k: bool(v) for k, v in params.items()}
    try:
        return actions.act(case, action, params, data.draw(st.sampled_from(ACTORS)),
                           context(now, reports=[OTHER])), now  # fmt: skip
    except CaseError as error:
        assert error.status in (400, 403, 409)
        return None, now


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["pemkot-3273", "pemkot-3273-disdukcapil", "kemenpanrb"]), st.data())
def test_every_open_case_has_exactly_one_owner_and_no_closed_case_has_one(first, data):
    case, now = Case("LAP-ABCDEFGHJK", submitted=True, report_type="pengaduan"), NOW
    routed = {"tracking_id": case.tracking_id, "agency_code": first, "agency_name": first,
              "reason": "test", "confidence": 0.9, "status": "unverified", "owner": first,
              "owner_name": first, "stage": "verification",
              "due_at": end_of(2026, 3, 27).isoformat(), "actor": actions.SYSTEM_ACTOR}  # fmt: skip
    case.apply("report.routed", valid_event(actions.Change("report.routed", routed)), 2)
    for _ in range(60):
        change, now = step(data, case, now)
        if change is not None:
            valid_event(change)
            case = apply_change(case, change)
        if case.status in OPEN_STATUSES:
            assert case.owner in AGENCIES, case
            assert (case.due_at is None) == (case.status == "deferred")
        else:
            assert case.owner is None and case.due_at is None
            break  # nothing but a privacy change can follow
