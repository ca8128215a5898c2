"""Fixtures for the kernel's tests: event data that passes the contracts, and
unique names, since every test of the session shares one database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from lapor.eventstore import EventStore, NewEvent


def _tracking_id() -> str:
    return "T" + uuid.uuid4().hex[:12].upper()


def submitted_data(tracking_id: str | None = None, **changes: Any) -> dict[str, Any]:
    data = {
        "tracking_id": tracking_id or _tracking_id(),
        "title": "Jalan berlubang di Jl. Merdeka",
        "description": "Lubang besar di depan pasar, sudah tiga minggu.",
        "category": "infrastruktur",
        "region_code": "32.73",
        "report_type": "pengaduan",
        "incident_date": "2025-03-01",
        "channel": "sms",
        "reporter_ref": None,
        "anonymous": True,
        "confidential": False,
    }
    data.update(changes)
    return data


def routed_data(tracking_id: str, agency_code: str) -> dict[str, Any]:
    return {
        "tracking_id": tracking_id,
        "agency_code": agency_code,
        "agency_name": "Dinas Pekerjaan Umum",
        "reason": "jalan kota adalah kewenangan dinas PU kota",
        "confidence": 0.9,
        "status": "unverified",
        "owner": agency_code,
        "owner_name": "Dinas Pekerjaan Umum",
        "stage": "verification",
        "due_at": "2026-03-04T23:59:59+07:00",
        "actor": {"role": "system", "agency_code": None, "account": None},
    }


@pytest.fixture
def store(engine) -> EventStore:
    return EventStore(engine)


@pytest.fixture
def unique() -> Callable[[str], str]:
    """unique("report") -> "report-<hex>": names no other test of the session uses."""
    return lambda prefix: f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def submitted() -> Callable[..., NewEvent]:
    """submitted(tracking_id=None, **data_changes) -> a valid report.submitted NewEvent."""
    return lambda tracking_id=None, **changes: NewEvent(
        "report.submitted", submitted_data(tracking_id, **changes)
    )


@pytest.fixture
def routed() -> Callable[[str, str], NewEvent]:
    """routed(tracking_id, agency_code) -> a valid report.routed NewEvent."""
    return lambda tracking_id, agency_code: NewEvent(
        "report.routed", routed_data(tracking_id, agency_code)
    )
