"""Routing's use cases."""

from __future__ import annotations

from typing import Protocol

from lapor.eventstore import ANY_VERSION, NewEvent, RecordedEvent
from services.routing.domain import NATIONAL_ADMIN, Decision, Rule, decide

SOURCE = "/lapor/routing"
NATIONAL_ADMIN_NAME = "Admin Nasional SP4N-LAPOR! (KemenPANRB)"


class Directory(Protocol):
    def add(self, code: str, name: str, kind: str, region_code: str | None) -> None: ...
    def government_of(self, region_code: str) -> str | None: ...
    def exists(self, code: str) -> bool: ...
    def name_of(self, code: str) -> str | None: ...


class ReportLog(Protocol):
    def append(self, stream: str, expected_version: int | None, events: list[NewEvent]) -> None: ...


def record_agency(event: RecordedEvent, directory: Directory) -> None:
    data = event.data
    directory.add(data["code"], data["name"], data["kind"], data["region_code"])


def assign_report(
    event: RecordedEvent, directory: Directory, rules: dict[str, Rule], log: ReportLog
) -> Decision:
    """Decide the agency for a submitted report and record `report.routed`."""
    report = event.data
    decision = decide(
        report["category"], report["region_code"], rules, directory.government_of, directory.exists
    )
    name = directory.name_of(decision.agency_code)
    if name is None and decision.agency_code == NATIONAL_ADMIN:
        name = NATIONAL_ADMIN_NAME
    # after whatever the stream holds by now (a follow-up may have come first);
    # the consumer's inbox, not the stream version, makes this happen once
    log.append(
        event.stream,
        ANY_VERSION,
        [
            NewEvent(
                "report.routed",
                {
                    "tracking_id": report["tracking_id"],
                    "agency_code": decision.agency_code,
                    "agency_name": name,
                    "reason": decision.reason,
                    "confidence": None,
                    "status": "unverified",
                    "owner": decision.agency_code,
                    "owner_name": name,
                    "stage": "verification",
                    "due_at": None,
                    "actor": {"role": "system", "agency_code": None, "account": None},
                },
                correlation_id=event.correlation_id,
                causation_id=str(event.event_id),
                source=SOURCE,
            )
        ],
    )
    return decision
