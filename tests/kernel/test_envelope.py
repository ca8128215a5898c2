"""CloudEvents 1.0 structured JSON on the wire, and old versions read as new
(guarantee 9). No database."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.contracts import InvalidEvent, contract_for
from lapor.envelope import CONTENT_TYPE, from_wire, to_wire, upcast_recorded
from lapor.eventstore import RecordedEvent


def recorded(type_: str, data: dict, schema_version: int, **changes) -> RecordedEvent:
    fields = dict(
        event_id=uuid.uuid4(),
        stream="report-T42",
        version=3,
        position=1234,
        type=type_,
        schema_version=schema_version,
        data=data,
        recorded_at=datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC),
        source="/lapor/intake",
        correlation_id="corr-1",
        causation_id="cause-1",
        prev_hash="a" * 64,
        hash="b" * 64,
    )
    fields.update(changes)
    return RecordedEvent(**fields)


@pytest.fixture
def event(routed) -> RecordedEvent:
    version = contract_for("report.routed").version
    return recorded(
        "report.routed", routed("T42", "pemda-3273-dpu").data, version, agency="pemda-3273-dpu"
    )


def test_to_wire_is_a_structured_cloudevent_with_lapor_extensions(event):
    body = json.loads(to_wire(event))

    assert CONTENT_TYPE == "application/cloudevents+json"
    assert body["specversion"] == "1.0"
    assert body["id"] == str(event.event_id)
    assert body["source"] == "/lapor/intake"
    assert body["type"] == "report.routed"
    assert body["subject"] == "report-T42"
    assert datetime.fromisoformat(body["time"].replace("Z", "+00:00")) == event.recorded_at
    assert body["datacontenttype"] == "application/json"
    assert body["data"] == event.data
    assert body["stream"] == "report-T42"
    assert body["streamversion"] == 3
    assert body["position"] == 1234
    assert body["schemaversion"] == event.schema_version
    assert body["agency"] == "pemda-3273-dpu"
    assert body["correlationid"] == "corr-1"
    assert body["causationid"] == "cause-1"
    assert body["hash"] == "b" * 64


def test_from_wire_round_trips(event):
    back = from_wire(to_wire(event))
    # the wire does not carry the predecessor's hash
    assert back == RecordedEvent(**{**event.__dict__, "prev_hash": ""})


def test_from_wire_accepts_text_as_well_as_bytes(event):
    assert from_wire(to_wire(event).decode()).event_id == event.event_id


def test_optional_extensions_may_be_absent(event):
    body = json.loads(to_wire(event))
    del body["correlationid"], body["causationid"]
    back = from_wire(json.dumps(body))
    assert back.correlation_id is None and back.causation_id is None


def test_replay_of_a_v1_event_reads_as_v2(submitted):
    """A v1 report.submitted, written by hand as an old producer would have sent it."""
    event_id = str(uuid.uuid4())
    v1_body = json.dumps(
        {
            "specversion": "1.0",
            "id": event_id,
            "source": "/lapor",
            "type": "report.submitted",
            "subject": "report-TOLD1",
            "time": "2023-01-15T02:00:00Z",
            "datacontenttype": "application/json",
            "stream": "report-TOLD1",
            "streamversion": 1,
            "position": 7,
            "schemaversion": 1,
            "correlationid": event_id,
            "hash": "c" * 64,
            "data": {
                "tracking_id": "TOLD1",
                "title": "Lampu jalan mati",
                "description": "Sudah dua minggu gelap.",
                "category": "infrastruktur",
                "region": "31.71.01",
                "report_type": "pengaduan",
                "incident_date": None,
                "reporter_ref": None,
                "anonymous": False,
                "confidential": False,
            },
        }
    )

    event = from_wire(v1_body)

    assert event.schema_version == contract_for("report.submitted").version
    assert event.data["region_code"] == "31.71.01"
    assert "region" not in event.data
    assert event.data["channel"] == "web"
    assert event.event_id == uuid.UUID(event_id)
    assert event.recorded_at == datetime(2023, 1, 15, 2, 0, tzinfo=UTC)


def test_upcast_recorded_converts_an_event_read_from_the_log(submitted):
    v2 = submitted().data
    v1 = {k: v for k, v in v2.items() if k not in ("region_code", "channel")}
    v1["region"] = v2["region_code"]
    old = recorded("report.submitted", v1, 1)

    new = upcast_recorded(old)

    assert new.schema_version == contract_for("report.submitted").version
    assert new.data == {**v2, "channel": "web"}
    assert new.hash == old.hash and new.event_id == old.event_id


def test_a_future_schema_version_is_rejected(event):
    body = json.loads(to_wire(event))
    body["schemaversion"] = contract_for("report.routed").version + 1
    with pytest.raises(InvalidEvent, match="unknown version"):
        from_wire(json.dumps(body))


def _mutated(event: RecordedEvent, **changes) -> bytes:
    body = json.loads(to_wire(event))
    for key, value in changes.items():
        if value is ...:
            del body[key]
        else:
            body[key] = value
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    "make_body",
    [
        pytest.param(lambda e: b"{not json", id="malformed-json"),
        pytest.param(lambda e: b"\xff\xfe\x00garbage", id="not-utf8"),
        pytest.param(lambda e: b"", id="empty"),
        pytest.param(lambda e: b"[1, 2, 3]", id="json-array"),
        pytest.param(lambda e: b'"a string"', id="json-string"),
        pytest.param(lambda e: b'{"hello": "world"}', id="not-cloudevents"),
        pytest.param(lambda e: _mutated(e, specversion="0.3"), id="old-specversion"),
        pytest.param(lambda e: _mutated(e, type="report.teleported"), id="unknown-type"),
        pytest.param(lambda e: _mutated(e, data={"tracking_id": "T1"}), id="invalid-data"),
        pytest.param(lambda e: _mutated(e, data="text"), id="data-not-object"),
        pytest.param(lambda e: _mutated(e, id="not-a-uuid"), id="bad-id"),
        pytest.param(lambda e: _mutated(e, position=...), id="no-position"),
        pytest.param(lambda e: _mutated(e, stream=...), id="no-stream"),
        pytest.param(lambda e: _mutated(e, schemaversion=...), id="no-schemaversion"),
        pytest.param(lambda e: _mutated(e, schemaversion="two"), id="bad-schemaversion"),
        pytest.param(lambda e: _mutated(e, source=...), id="no-source"),
        pytest.param(lambda e: _mutated(e, time="yesterday"), id="bad-time"),
    ],
)
def test_unusable_bodies_raise_invalid_event(event, make_body):
    with pytest.raises(InvalidEvent):
        from_wire(make_body(event))


def _only_invalid_event(body: bytes | str) -> None:
    try:
        result = from_wire(body)
    except InvalidEvent:
        return
    assert isinstance(result, RecordedEvent)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_from_wire_on_arbitrary_bytes_only_raises_invalid_event(body):
    _only_invalid_event(body)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=512))
def test_from_wire_on_arbitrary_text_only_raises_invalid_event(body):
    _only_invalid_event(body)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
ENVELOPE_KEYS = [
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "data",
    "stream",
    "streamversion",
    "position",
    "schemaversion",
    "correlationid",
    "hash",
]


@settings(max_examples=100, deadline=None)
@given(
    drop=st.sets(st.sampled_from(ENVELOPE_KEYS)),
    replace=st.dictionaries(st.sampled_from(ENVELOPE_KEYS), json_values, max_size=4),
)
def test_from_wire_on_damaged_envelopes_only_raises_invalid_event(drop, replace):
    """A valid envelope with attributes removed or replaced by any JSON value."""
    base = recorded(
        "report.routed",
        {"tracking_id": "T1", "agency_code": "dpu", "agency_name": "DPU", "reason": "jalan"},
        1,
    )
    body = json.loads(to_wire(base))
    for key in drop:
        body.pop(key, None)
    body.update(replace)
    _only_invalid_event(json.dumps(body))
