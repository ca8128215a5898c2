import pytest

from services.sipp import domain
from services.sipp.demo.build import demo_standards
from services.sipp.domain import Actor, Agency, Standard

AGENCY = Agency(
    "pemkot-3273-disdukcapil",
    "Disdukcapil Kota Bandung",
    "unit",
    "32.73",
    "pemkot-3273",
    "disdukcapil",
)
OWNER = Actor("admin-1", AGENCY.code)
OTHER = Actor("admin-2", "pemkab-3204-disdukcapil")
CONTENT = demo_standards()[0][2]


def _applied(state, decided):
    for type_, data in decided:
        state.apply(type_, data)
    return state


def test_publish_revise_withdraw_keeps_versions_and_actor():
    state = Standard("pemkot-3273-disdukcapil.kk-baru")
    published = domain.publish(state, OWNER, AGENCY, CONTENT)
    assert published[0][0] == "standard.published" and published[0][1]["version"] == 1
    assert published[0][1]["actor"] == "admin-1"
    _applied(state, published)
    changed = {**CONTENT, "completion_time": {"value": 2, "unit": "working_days"}}
    revised = domain.revise(state, OWNER, changed, "two days now")
    assert revised[0][1]["version"] == 2 and revised[0][1]["note"] == "two days now"
    _applied(state, revised)
    assert domain.revise(state, OWNER, changed, None) == []  # nothing changed, no version
    withdrawn = domain.withdraw(state, OWNER, "service merged")
    assert withdrawn[0][1]["version"] == 2
    _applied(state, withdrawn)
    assert state.status == "withdrawn"
    with pytest.raises(domain.Conflict):
        domain.withdraw(state, OWNER, "again")


def test_another_agencys_admin_is_forbidden_everything():
    state = Standard("pemkot-3273-disdukcapil.kk-baru")
    with pytest.raises(domain.Forbidden):
        domain.publish(state, OTHER, AGENCY, CONTENT)
    _applied(state, domain.publish(state, OWNER, AGENCY, CONTENT))
    with pytest.raises(domain.Forbidden):
        domain.revise(state, OTHER, CONTENT, None)
    with pytest.raises(domain.Forbidden):
        domain.withdraw(state, OTHER, "not mine")


def test_draft_then_publish_and_no_revision_of_unknown():
    state = Standard("pemkot-3273-disdukcapil.kk-baru")
    with pytest.raises(domain.NotFound):
        domain.revise(state, OWNER, CONTENT, None)
    _applied(state, domain.draft(state, OWNER, AGENCY, CONTENT))
    with pytest.raises(domain.Conflict):
        domain.revise(state, OWNER, CONTENT, None)
    decided = domain.publish(state, OWNER, AGENCY, None)
    assert decided[0][1]["content"] == CONTENT


def test_well_connected_needs_all_three_priority_units():
    governments = [
        {"code": "pemkot-3273", "name": "Kota Bandung", "region_code": "32.73"},
        {"code": "pemkab-3204", "name": "Kab. Bandung", "region_code": "32.04"},
    ]
    counts = {
        "pemkot-3273-disdukcapil": 3,
        "pemkot-3273-dpmptsp": 1,
        "pemkot-3273-rsud": 2,
        "pemkab-3204-disdukcapil": 4,
        "pemkab-3204-dinsos": 1,
    }
    kota, kab = domain.compliance(governments, counts)
    assert kota["well_connected"] and kota["missing_units"] == []
    assert not kab["well_connected"] and kab["missing_units"] == ["dpmptsp", "rsud"]


def test_a_withdrawal_needs_a_reason_of_at_most_2000_characters():
    state = _applied(
        Standard("pemkot-3273-disdukcapil.kk-baru"),
        domain.publish(Standard("pemkot-3273-disdukcapil.kk-baru"), OWNER, AGENCY, CONTENT),
    )
    for reason in (None, "", "   "):
        with pytest.raises(domain.Invalid) as refused:
            domain.withdraw(state, OWNER, reason)
        assert list(refused.value.errors) == ["reason"]
    with pytest.raises(domain.Invalid):
        domain.withdraw(state, OWNER, "x" * 2001)
    withdrawn = domain.withdraw(state, OWNER, "  Layanan digabung.  ")
    assert withdrawn[0][1]["reason"] == "Layanan digabung."
