"""Standards on the real event log and read model (no services running)."""

from __future__ import annotations

import copy
import uuid

import pytest

from lapor import eventstore
from lapor import standard_template as template
from lapor.contracts.standard import standard_stream
from services.sipp import domain, standards
from services.sipp.adapters import admins, spreadsheet
from services.sipp.adapters import standards as read_side
from services.sipp.demo.build import demo_standards
from services.sipp.domain import Agency
from services.sipp.handlers import register_agencies

CONTENT = demo_standards()[0][2]


@pytest.fixture
def agency(engine):
    suffix = uuid.uuid4().hex[:8]
    unit = Agency(
        f"pemkot-{suffix}-disdukcapil",
        "Disdukcapil Uji",
        "unit",
        "32.73",
        f"pemkot-{suffix}",
        "disdukcapil",
    )
    register_agencies(engine, [unit])
    return unit


def _admin(engine, agency_code):
    with engine.begin() as tx:
        admin_id, token = admins.create(tx, agency_code, "Uji")
    return admin_id, token


def _actor(engine, token):
    with engine.connect() as conn:
        return standards.authenticate(conn, token)


def _project_all(engine, sid):
    with engine.begin() as tx:
        for event in eventstore.read_stream(tx, standard_stream(sid)):
            read_side.project(tx, event.type, event.data, event.recorded_at)


def test_tokens_authenticate_until_revoked(engine, agency):
    admin_id, token = _admin(engine, agency.code)
    actor = _actor(engine, token)
    assert actor == domain.Actor(f"admin-{admin_id}", agency.code)
    assert _actor(engine, token + "x") is None and _actor(engine, None) is None
    with engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT token_hash FROM sipp.admins WHERE id = %s", (admin_id,)
        ).scalar()
    assert token not in stored and stored == admins.token_hash(token)
    with engine.begin() as tx:
        assert admins.revoke(tx, admin_id)
    assert _actor(engine, token) is None


def test_versions_are_kept_exactly_and_a_stale_change_loses(engine, agency):
    _, token = _admin(engine, agency.code)
    actor = _actor(engine, token)
    made = standards.create_standard(engine, actor, agency.code, "kk", CONTENT, publish=True)
    sid = made["standard_id"]
    with engine.connect() as conn:
        stale = standards.load_standard(conn, sid)
    changed = copy.deepcopy(CONTENT)
    changed["staff_count"] = 99
    assert standards.revise_standard(engine, actor, sid, changed, "more staff")["version"] == 2
    with engine.begin() as tx, pytest.raises(domain.Conflict):
        standards._append(tx, stale, domain.revise(stale, actor, changed, "late"))
    _project_all(engine, sid)
    with engine.connect() as conn:
        assert read_side.get(conn, sid, 1)["content"] == CONTENT
        assert read_side.get(conn, sid, 2)["content"] == changed
        assert read_side.get(conn, sid)["version"] == 2
        assert read_side.get(conn, sid, 3) is None


def test_another_agencys_admin_changes_nothing(engine, agency):
    _, token = _admin(engine, agency.code)
    owner = _actor(engine, token)
    sid = standards.create_standard(engine, owner, agency.code, "kk", CONTENT, True)["standard_id"]
    _, other_token = _admin(engine, "pemkab-3204-disdukcapil")
    other = _actor(engine, other_token)
    with pytest.raises(domain.Forbidden):
        standards.revise_standard(engine, other, sid, CONTENT | {"staff_count": 1}, None)
    with pytest.raises(domain.Forbidden):
        standards.withdraw_standard(engine, other, sid, "not mine")
    with pytest.raises(domain.Forbidden):
        standards.create_standard(engine, other, agency.code, "other", CONTENT, True)
    with engine.connect() as conn:
        assert len(eventstore.read_stream(conn, standard_stream(sid))) == 1
        assert eventstore.read_stream(conn, standard_stream(f"{agency.code}.other")) == []


def test_import_reports_unknown_and_foreign_agencies_per_row(engine, agency):
    _, token = _admin(engine, agency.code)
    actor = _actor(engine, token)
    rows = [
        template.to_row(agency.code, "a", CONTENT),
        template.to_row("pemkot-0000-nope", "b", CONTENT),
        template.to_row("pemkab-3204-disdukcapil", "c", CONTENT),
    ]
    header = list(template.COLUMNS)
    result = standards.import_standards(engine, actor, spreadsheet.write_csv(header, rows))
    assert result["imported"] == 1 and result["rows"] == 3
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (3, "agency_code"),
        (4, "agency_code"),
    ]
    again = standards.import_standards(engine, actor, spreadsheet.write_csv(header, rows[:1]))
    assert again["unchanged"] == 1 and again["published"] == 0
