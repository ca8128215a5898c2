"""Events on the wire: CloudEvents 1.0, structured JSON mode.

Extensions carry what a consumer needs to place the event in the log:
`stream`, `streamversion`, `position` (global order), `schemaversion`,
`correlationid`, `causationid`, `hash`, and `agency` for an event that
concerns an agency (the last word of its routing key).

>>> body = to_wire(recorded)
>>> from_wire(body).event_id == recorded.event_id
True
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import Any

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from lapor.contracts import InvalidEvent, contract_for
from lapor.eventstore import RecordedEvent

CONTENT_TYPE = JSONFormat.CONTENT_TYPE  # application/cloudevents+json
_FORMAT = JSONFormat()


def to_wire(event: RecordedEvent) -> bytes:
    attributes: dict[str, Any] = {
        "id": str(event.event_id),
        "source": event.source,
        "type": event.type,
        "subject": event.stream,
        "time": event.recorded_at,
        "datacontenttype": "application/json",
        "stream": event.stream,
        "streamversion": event.version,
        "position": event.position,
        "schemaversion": event.schema_version,
        "hash": event.hash,
    }
    if event.correlation_id:
        attributes["correlationid"] = event.correlation_id
    if event.causation_id:
        attributes["causationid"] = event.causation_id
    if event.agency:
        attributes["agency"] = event.agency
    return _FORMAT.write(CloudEvent(attributes, event.data))


def from_wire(body: bytes | str) -> RecordedEvent:
    """Parse, check and upcast an event; anything unusable raises `InvalidEvent`."""
    try:
        raw = json.loads(body)
        if not isinstance(raw, dict) or raw.get("specversion") != "1.0":
            raise InvalidEvent("not a CloudEvents 1.0 structured event")
        cloud = _FORMAT.read(None, body)
        attrs = cloud.get_attributes()
        contract = contract_for(cloud.get_type())
        data = contract.upcast(int(attrs["schemaversion"]), cloud.get_data())
        return RecordedEvent(
            event_id=uuid.UUID(cloud.get_id()),
            stream=str(attrs["stream"]),
            version=int(attrs["streamversion"]),
            position=int(attrs["position"]),
            type=cloud.get_type(),
            schema_version=contract.version,
            data=data,
            recorded_at=cloud.get_time(),
            source=cloud.get_source(),
            correlation_id=attrs.get("correlationid"),
            causation_id=attrs.get("causationid"),
            prev_hash="",
            hash=str(attrs.get("hash", "")),
            agency=attrs.get("agency"),
        )
    except InvalidEvent:
        raise
    except Exception as exc:  # malformed JSON, missing attribute, wrong type...
        raise InvalidEvent(f"malformed envelope: {type(exc).__name__}: {exc}") from exc


def upcast_recorded(event: RecordedEvent) -> RecordedEvent:
    """An event read from the log, with its data in the contract's current version."""
    contract = contract_for(event.type)
    if event.schema_version == contract.version:
        return event
    return replace(
        event,
        data=contract.upcast(event.schema_version, event.data),
        schema_version=contract.version,
    )
