"""Events of one report's life, valid under their contracts, for tracking's tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from lapor.contracts import contract_for
from lapor.eventstore import GENESIS_HASH, RecordedEvent

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
KOTA = "pemkot-3273"
DINAS = "pemkot-3273-disdukcapil"
NAMES = {
    KOTA: "Pemerintah Kota Bandung",
    DINAS: "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung",
    "pemprov-32": "Pemerintah Provinsi Jawa Barat",
}
OFFICER = {"role": "officer", "agency_code": DINAS, "account": "officer-17"}
COORDINATOR = {"role": "coordinator", "agency_code": KOTA, "account": "admin-3"}
SYSTEM = {"role": "system", "agency_code": None, "account": None}


def new_tracking_id() -> str:
    return "LAP-" + uuid.uuid4().hex[:10].upper()


def submitted(tracking_id: str, confidential: bool = False, **extra) -> dict:
    return {
        "tracking_id": tracking_id,
        "title": "KTP-el belum jadi",
        "description": "Sudah tiga bulan KTP-el saya belum dicetak.",
        "category": "kependudukan",
        "region_code": "32.73",
        "report_type": "pengaduan",
        "incident_date": None,
        "channel": "web",
        "reporter_ref": "ref-secret-123",
        "anonymous": False,
        "confidential": confidential,
        **extra,
    }


def message(tracking_id: str, kind: str, text: str = "Masih belum jadi.") -> dict:
    return {
        "tracking_id": tracking_id,
        "kind": kind,
        "message": text,
        "channel": "web",
        "attachments": [],
    }


def case(
    tracking_id: str,
    status: str,
    owner: str | None,
    stage: str | None,
    due_days: float | None,
    actor: dict = SYSTEM,
    agency_code: str | None = None,
    **extra,
) -> dict:
    due = (START + timedelta(days=due_days)).isoformat() if due_days is not None else None
    return {
        "tracking_id": tracking_id,
        "agency_code": agency_code or owner,
        "status": status,
        "owner": owner,
        "owner_name": NAMES.get(owner) if owner else None,
        "stage": stage,
        "due_at": due,
        "actor": actor,
        **extra,
    }


def lifecycle(tid: str, confidential: bool = False) -> list[tuple[str, dict]]:
    """Routed to the city, verified, dispatched to a unit, answered, disputed,
    answered again, confirmed: every kind of step a typical case takes."""
    return [
        ("report.submitted", submitted(tid, confidential)),
        (
            "report.routed",
            case(tid, "unverified", KOTA, "verification", 3, agency_name=NAMES[KOTA])
            | {"reason": "region 32.73: its coordinator", "confidence": 0.4},
        ),
        (
            "report.verified",
            case(tid, "verified", KOTA, "verification", 3, COORDINATOR)
            | {"report_type": "pengaduan", "category": "kependudukan", "complexity": "simple"},
        ),
        (
            "report.disposed",
            case(tid, "assigned", DINAS, "follow_up", 8, COORDINATOR, from_agency=KOTA),
        ),
        ("report.deadline_approaching", case(tid, "assigned", DINAS, "follow_up", 8)),
        ("report.accepted", case(tid, "in_progress", DINAS, "follow_up", 8, OFFICER)),
        (
            "report.responded",
            case(tid, "responded", DINAS, "closure", 20, OFFICER, note="cek ulang")
            | {"message": "KTP-el Anda sudah dicetak.", "attachments": []},
        ),
        ("report.message_added", message(tid, "dispute", "Belum saya terima.")),
        (
            "report.reopened",
            case(tid, "in_progress", DINAS, "follow_up", 30, SYSTEM, reason="dispute"),
        ),
        (
            "report.responded",
            case(tid, "responded", DINAS, "closure", 40, OFFICER)
            | {"message": "Silakan ambil di loket 3.", "attachments": []},
        ),
        ("report.message_added", message(tid, "confirmation", "Sudah saya ambil, terima kasih.")),
        (
            "report.closed",
            case(tid, "closed", None, None, None, SYSTEM, agency_code=DINAS)
            | {"reason": "confirmed_by_reporter"},
        ),
    ]


def recorded(tracking_id: str, events: list[tuple[str, dict]], hours: float = 1.0):
    """The events as the log would record them, an hour apart, without a database."""
    found = []
    for version, (type_, data) in enumerate(events, start=1):
        contract = contract_for(type_)
        found.append(
            RecordedEvent(
                event_id=uuid.uuid4(),
                stream=f"report-{tracking_id}",
                version=version,
                position=version,
                type=type_,
                schema_version=contract.version,
                data=contract.validate(data),
                recorded_at=START + timedelta(hours=hours * version),
                source="/test",
                correlation_id=None,
                causation_id=None,
                prev_hash=GENESIS_HASH,
                hash=GENESIS_HASH,
            )
        )
    return found
