"""Sample events for the notify tests, each checked against its contract."""

from __future__ import annotations

from lapor.contracts import contract_for

TRACKING_ID = "LAP-0123456789"
OWNER = "pemkab-3217-disdukcapil"
LONG_AGENCY = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bandung Barat"
PREVIOUS = "pemkab-3217"

_ACTOR = {"role": "coordinator", "agency_code": PREVIOUS, "account": "officer-7"}
_CASE = {
    "tracking_id": TRACKING_ID,
    "agency_code": OWNER,
    "status": "unverified",
    "owner": OWNER,
    "owner_name": LONG_AGENCY,
    "stage": "verification",
    "due_at": "2026-01-08T16:59:59+00:00",
    "actor": _ACTOR,
}
_EXTRA = {
    "report.submitted": {
        "title": "KTP-el belum jadi",
        "description": "Sudah tiga bulan KTP-el saya belum dicetak.",
        "category": "kependudukan",
        "region_code": "32.17",
        "report_type": "pengaduan",
        "incident_date": None,
        "channel": "web",
        "reporter_ref": "r-1",
        "anonymous": False,
        "confidential": False,
    },
    "report.routed": {
        "agency_name": LONG_AGENCY,
        "reason": "kategori kependudukan di Kabupaten Bandung Barat",
        "confidence": 0.9,
    },
    "report.deferred": {
        "status": "deferred",
        "stage": None,
        "due_at": None,
        "note": "Foto KTP-el dan alamat lengkap",
    },  # fmt: skip
    "report.assigned": {
        "status": "assigned",
        "stage": "follow_up",
        "from_agency": PREVIOUS,
        "note": "Mohon segera dicek",
    },  # fmt: skip
    "report.disposed": {"status": "assigned", "stage": "follow_up", "from_agency": PREVIOUS},
    "report.returned": {
        "status": "returned",
        "from_agency": "pemkab-3217-dinkes",
        "reason": "Urusan kependudukan, bukan kesehatan",
        "suggested_agency": OWNER,
    },  # fmt: skip
    "report.escalated": {
        "status": "escalated",
        "from_agency": "pemkab-3217-dinkes",
        "breached_stage": "verification",
        "breached_due_at": "2026-01-05T16:59:59+00:00",
    },  # fmt: skip
    "report.responded": {
        "status": "responded",
        "stage": "closure",
        "message": "Sudah diperbaiki.",
        "attachments": [],
    },  # fmt: skip
    "report.reopened": {"status": "in_progress", "stage": "follow_up", "reason": "dispute"},
    "report.closed": {
        "status": "closed",
        "owner": None,
        "owner_name": None,
        "stage": None,
        "due_at": None,
        "reason": "no_reply",
    },  # fmt: skip
    "report.deadline_approaching": {"status": "in_progress", "stage": "follow_up"},
    "report.archived": {
        "status": "archived",
        "owner": None,
        "owner_name": None,
        "stage": None,
        "due_at": None,
        "reason": "too_general",
    },  # fmt: skip
    "report.privacy_changed": {"anonymous": True, "confidential": True},
    "report.merged": {
        "status": "archived",
        "owner": None,
        "owner_name": None,
        "stage": None,
        "due_at": None,
        "into": "LAP-9876543210",
    },  # fmt: skip
    "inbound.rejected": {
        "channel": "email",
        "channel_name": "email",
        "reporter_ref": "r-1",
        "errors": {
            "region_code": ["Missing: name the regency or city."],
            "attachments": ["Attachment 1 is not a photo."],
        },
        "language": "id",
    },  # fmt: skip
}


def sample(event_type: str, **overrides) -> dict:
    """A valid event of `event_type` (the current version of its contract)."""
    if event_type == "inbound.rejected":  # a refused message: no report, no case
        base = {}
    elif event_type == "report.submitted":
        base = {"tracking_id": TRACKING_ID}
    else:
        base = dict(_CASE)
    data = {**base, **_EXTRA[event_type], **overrides}
    return contract_for(event_type).validate(data)
