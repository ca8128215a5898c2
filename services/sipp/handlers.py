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
    read_model.upsert_agency(tx, event.data)
