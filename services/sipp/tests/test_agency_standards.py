"""An agency's own standards for its admins' pages: drafts included, others' not."""

from __future__ import annotations

import uuid

import pytest

from lapor import eventstore
from lapor.contracts.standard import standard_stream
from services.sipp import standards
from services.sipp.adapters import admins
from services.sipp.adapters import standards as read_side
from services.sipp.demo.build import demo_standards
from services.sipp.domain import Agency
from services.sipp.handlers import register_agencies

CONTENT = demo_standards()[0][2]


def _unit(engine) -> Agency:
    suffix = uuid.uuid4().hex[:8]
    unit = Agency(
        f"pemkot-{suffix}-disdukcapil", "Disdukcapil Uji", "unit", "32.73", f"pemkot-{suffix}",
        "disdukcapil",
    )  # fmt: skip
    register_agencies(engine, [unit])
    return unit


@pytest.fixture
def two_agencies(engine):
    return _unit(engine), _unit(engine)


def _actor(engine, agency_code):
    with engine.begin() as tx:
        _, token = admins.create(tx, agency_code, "Uji")
    with engine.connect() as conn:
        return standards.authenticate(conn, token)


def _project(engine, sid):
    with engine.begin() as tx:
        for event in eventstore.read_stream(tx, standard_stream(sid)):
            read_side.project(tx, event.type, event.data, event.recorded_at)


def test_an_agencys_standards_include_its_drafts_and_not_others(engine, two_agencies):
    mine, other = two_agencies
    me, them = _actor(engine, mine.code), _actor(engine, other.code)
    made = [
        standards.create_standard(engine, me, mine.code, "terbit", CONTENT, publish=True),
        standards.create_standard(engine, me, mine.code, "draf", CONTENT, publish=False),
        standards.create_standard(engine, them, other.code, "lain", CONTENT, publish=True),
    ]
    for answer in made:
        _project(engine, answer["standard_id"])
    with engine.connect() as conn:
        found = read_side.of_agency(conn, mine.code)
    assert [(s["standard_id"], s["status"], s["version"]) for s in found] == [
        (f"{mine.code}.draf", "draft", 0),
        (f"{mine.code}.terbit", "published", 1),
    ]
    assert all(s["content"] == CONTENT for s in found)
    with engine.connect() as conn:  # the public search still does not show the draft
        public = standards.search(conn, None, None, mine.code, None, 10, 0)
    assert [s["standard_id"] for s in public["standards"]] == [f"{mine.code}.terbit"]
