"""What a report's history means for the people following it.

Statuses (the routing issue adds the rest of the lifecycle):
- `submitted`: Belum Terverifikasi (received, not yet verified)
- `routed`: Terdisposisi - Belum Ditindaklanjuti (with an agency, not yet followed up)
"""

from __future__ import annotations

STATUS_LABELS = {
    "submitted": {"id": "Belum Terverifikasi", "en": "Not yet verified"},
    "routed": {"id": "Terdisposisi - Belum Ditindaklanjuti", "en": "Assigned, awaiting follow-up"},
}
STATUS_AFTER = {"report.submitted": "submitted", "report.routed": "routed"}
# who acted, by role: the timeline never names the reporter or an officer
ACTOR_OF = {
    "report.submitted": "pelapor",
    "report.routed": "sistem",
    "report.message_added": "pelapor",
}


def public_detail(event_type: str, data: dict) -> dict:
    """What the timeline may show of an event: no identity, no report content."""
    if event_type == "report.routed":
        return {
            "agency_code": data["agency_code"],
            "agency_name": data["agency_name"],
            "reason": data["reason"],
        }
    if event_type == "report.submitted":
        return {"channel": data["channel"]}
    if event_type == "report.message_added":  # the kind, never the text
        return {"kind": data["kind"], "channel": data["channel"]}
    return {}
