"""SIPP's use cases."""

from __future__ import annotations

import sqlalchemy as sa

from lapor import eventstore
from lapor.contracts.agency import agency_stream
from lapor.eventstore import NO_STREAM, NewEvent, RecordedEvent
from services.sipp.adapters import read_model
from services.sipp.domain import Agency

SOURCE = "/lapor/sipp"


def register_agencies(engine: sa.Engine, agencies: list[Agency], batch: int = 500) -> int:
    """Register each agency once (idempotent: a second run registers none)."""
    registered = 0
    for start in range(0, len(agencies), batch):
        with engine.begin() as tx:
            for agency in agencies[start : start + batch]:
                result = eventstore.append(
                    tx,
                    agency_stream(agency.code),
                    NO_STREAM,
                    [NewEvent("agency.registered", agency.as_event_data(), source=SOURCE)],
                    idempotency_key=f"agency.registered:{agency.code}",
                )
                registered += not result.duplicate
    return registered


def project_agency(event: RecordedEvent, tx: sa.Connection) -> None:
    if event.type == "agency.profile_set":
        read_model.set_profile(tx, event.data)
    else:
        read_model.upsert_agency(tx, event.data)


def set_profiles(engine: sa.Engine, profiles: list[dict]) -> int:
    """Record each agency's profile unless it already says exactly this."""
    changed = 0
    with engine.begin() as tx:
        for data in profiles:
            stream = agency_stream(data["code"])
            events = eventstore.read_stream(tx, stream)
            last = next((e.data for e in reversed(events) if e.type == "agency.profile_set"), None)
            if not events or (last is not None and _same_profile(last, data)):
                continue
            eventstore.append(
                tx,
                stream,
                events[-1].version,
                [NewEvent("agency.profile_set", data, source=SOURCE)],
            )
            changed += 1
    return changed


def _same_profile(recorded: dict, data: dict) -> bool:
    keys = ("coordinator_code", "complaint_team_decree", "categories")
    return all(recorded.get(k) == data.get(k) for k in keys)
