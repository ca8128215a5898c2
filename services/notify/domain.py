"""Who is told what. The notify issue extends this table to every trigger."""

from __future__ import annotations

from dataclasses import dataclass

SUBJECTS = {
    ("report_received", "id"): "Laporan {tracking_id} telah diterima",
    ("report_received", "en"): "Report {tracking_id} received",
}


@dataclass(frozen=True)
class Notice:
    template: str
    recipient: str  # a reporter reference, never a contact detail
    channel: str


def notices_for(event_type: str, data: dict) -> list[Notice]:
    if event_type == "report.submitted" and data.get("reporter_ref"):
        return [Notice("report_received", data["reporter_ref"], "email")]
    return []
