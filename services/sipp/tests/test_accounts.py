"""Agency accounts with roles, on the real database: who may hold which role,
and what a token authenticates as."""

from __future__ import annotations

import uuid

import pytest

from services.sipp.adapters import admins
from services.sipp.admins import create_account
from services.sipp.domain import Agency
from services.sipp.handlers import register_agencies
from services.sipp.roles import default_role, role_error


@pytest.fixture
def tree(engine):
    """A city government and one of its units, with codes of this test."""
    suffix = uuid.uuid4().hex[:8]
    city = Agency(f"pemkot-{suffix}", "Pemkot Uji", "city", "32.73", None, None)
    unit = Agency(
        f"pemkot-{suffix}-disdukcapil", "Disdukcapil Uji", "unit", "32.73", city.code, "dukcapil"
    )
    register_agencies(engine, [city, unit])
    return city, unit


def _create(engine, code, role=None):
    with engine.begin() as tx:
        return create_account(tx, code, "Uji", role)


def _whoami(engine, token):
    with engine.connect() as conn:
        return admins.account(conn, token)


def test_an_account_authenticates_with_its_agency_and_role(engine, tree):
    city, unit = tree
    admin_id, token, role = _create(engine, unit.code)
    assert role == "officer"
    assert _whoami(engine, token) == {
        "actor": f"admin-{admin_id}",
        "agency_code": unit.code,
        "role": "officer",
    }
    _, system_token, _ = _create(engine, city.code, "agency_system")
    assert _whoami(engine, system_token)["role"] == "agency_system"
    assert _whoami(engine, token + "x") is None
    assert _whoami(engine, None) is None and _whoami(engine, "") is None


def test_a_revoked_account_no_longer_authenticates(engine, tree):
    admin_id, token, _ = _create(engine, tree[0].code)
    with engine.begin() as tx:
        assert admins.revoke(tx, admin_id)
    assert _whoami(engine, token) is None


@pytest.mark.parametrize(
    ("which", "role"),
    [(0, "officer"), (1, "coordinator"), (0, "national_admin"), (1, "national_admin")],
)
def test_a_role_that_does_not_fit_the_agency_is_refused(engine, tree, which, role):
    code = tree[which].code
    with pytest.raises(ValueError, match=role.split("_")[0]):
        _create(engine, code, role)
    with engine.connect() as conn:
        assert admins.listing(conn, code) == []


def test_an_unknown_agency_gets_no_account(engine):
    with pytest.raises(ValueError, match="no agency"):
        _create(engine, f"pemkot-{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize(
    ("code", "kind", "expected"),
    [
        ("kemenpanrb", "ministry", "national_admin"),
        ("kemenkes", "ministry", "coordinator"),
        ("bpjs-kesehatan", "national_agency", "coordinator"),
        ("pemprov-32", "province", "coordinator"),
        ("pemkab-3204", "regency", "coordinator"),
        ("pemkot-3273-disdukcapil", "unit", "officer"),
    ],
)
def test_the_default_role_is_allowed_for_its_agency(code, kind, expected):
    assert default_role(code, kind) == expected
    assert role_error(expected, code, kind) is None
    assert role_error("agency_system", code, kind) is None


def test_only_kemenpanrb_has_national_admins():
    assert role_error("national_admin", "kemenkes", "ministry")
    assert role_error("superuser", "kemenpanrb", "ministry")
