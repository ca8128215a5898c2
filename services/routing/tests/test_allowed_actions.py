"""Which actions an actor may take on a case now (what the officers' page
offers): exactly those `act` would take with valid parameters."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lapor.contracts.case import STATUSES
from services.routing import actions
from services.routing.lifecycle import CaseError
from services.routing.tests.test_lifecycle import ADMIN, NOW, OTHER, VALID, case_in, officer
from services.routing.tests.tree import context

REPORTER = {"role": "reporter", "agency_code": None, "account": None}
ACTORS = [
    ADMIN,
    officer("pemkot-3273-disdukcapil"),
    officer("pemkot-3273-disdukcapil", "agency_system"),
    officer("pemkot-3273-disdukcapil-pendaftaran"),
    officer("pemkot-3273", "coordinator"),
    officer("pemprov-32", "coordinator"),
    officer("pemkab-3204", "coordinator"),
    REPORTER,
]


def _acts(case, action, actor) -> bool:
    try:
        actions.act(case, action, VALID[action], actor, context(NOW, reports=[OTHER]))
    except CaseError:
        return False
    return True


@pytest.mark.parametrize("complexity", ["standard", None])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: f"{a['role']}-{a['agency_code']}")
def test_allowed_is_exactly_what_act_accepts(actor, status, complexity):
    case = replace(case_in(status), complexity=complexity)
    allowed = actions.allowed_actions(case, actor, context(NOW, reports=[OTHER]))
    assert allowed == [a for a in actions.ACTIONS if _acts(case, a, actor)]


def test_an_officer_verifies_and_a_coordinator_assigns():
    ctx = context(NOW)
    unverified = replace(case_in("unverified"), complexity=None)
    mine = actions.allowed_actions(unverified, officer("pemkot-3273-disdukcapil"), ctx)
    assert {"verify", "defer", "return", "archive", "merge"} <= set(mine)
    assert "assign" not in mine and "respond" not in mine
    verified = case_in("verified")
    coordinator, unit = officer("pemkot-3273", "coordinator"), officer("pemkot-3273-disdukcapil")
    assert "assign" in actions.allowed_actions(verified, coordinator, ctx)
    assert "assign" not in actions.allowed_actions(verified, unit, ctx)


def test_nothing_for_a_stranger_an_unknown_case_or_a_bad_actor():
    ctx = context(NOW)
    stranger = officer("pemkab-3204-disdukcapil")
    assert actions.allowed_actions(case_in("verified"), stranger, ctx) == []
    unknown = case_in("verified")
    unknown.submitted = False
    assert actions.allowed_actions(unknown, ADMIN, ctx) == []
    assert actions.allowed_actions(case_in("verified"), {"role": "mayor"}, ctx) == []
    assert actions.allowed_actions(case_in("closed"), ADMIN, ctx) == ["change_privacy"]
