"""Routing's use cases: route a submitted report, act on a case, react to the
reporter, watch the deadlines. Each runs in one transaction, given as `Ports`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from lapor.contracts.errors import Conflict
from lapor.eventstore import ConcurrencyError, NewEvent, RecordedEvent
from services.routing import actions
from services.routing.calendar import VERIFICATION_DAYS, Calendar
from services.routing.domain import DEFAULT_MIN_CONFIDENCE, NATIONAL_ADMIN, Decision, Rule, decide
from services.routing.lifecycle import (
    SYSTEM_ACTOR,
    Agency,
    Case,
    CaseError,
    Change,
    Context,
    apply_change,
    view,
)
from services.routing.standards import Standard, apply_standard_event, named_service

SOURCE = "/lapor/routing"
NATIONAL_ADMIN_NAME = "Admin Nasional SP4N-LAPOR! (KemenPANRB)"


class Directory(Protocol):
    def add(self, code: str, name: str, kind: str, region_code: str | None,
            parent_code: str | None = None) -> None: ...  # fmt: skip
    def government_of(self, region_code: str) -> str | None: ...
    def exists(self, code: str) -> bool: ...
    def name_of(self, code: str) -> str | None: ...
    def agency(self, code: str) -> Agency | None: ...
    def visible(self, code: str) -> list[str] | None: ...


class Cases(Protocol):
    def load(self, tracking_id: str) -> Case: ...
    def exists(self, tracking_id: str) -> bool: ...
    def append(self, case: Case, events: list[NewEvent], any_version: bool = False) -> None: ...
    def project(self, event: RecordedEvent) -> None: ...
    def due(
        self, now: datetime, warn_before: timedelta, only: list[str] | None = None
    ) -> list[str]: ...


class Standards(Protocol):
    def get(self, standard_id: str) -> Standard | None: ...
    def put(self, standard: Standard) -> None: ...
    def near(self, region_code: str) -> list[Standard]: ...


@dataclass
class Ports:
    cases: Cases
    directory: Directory
    calendar: Calendar
    standards: Standards


Begin = Callable[[], AbstractContextManager[Ports]]


@dataclass(frozen=True)
class Settings:
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    warn_before: timedelta = timedelta(hours=24)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        return cls(
            min_confidence=float(config.get("ROUTING_MIN_CONFIDENCE", DEFAULT_MIN_CONFIDENCE)),
            warn_before=timedelta(hours=float(config.get("ROUTING_WARN_BEFORE_HOURS", 24))),
        )


def context(ports: Ports, now: datetime) -> Context:
    return Context(now, ports.calendar, _agency(ports.directory), ports.cases.exists)


def _agency(directory: Directory) -> Callable[[str], Agency | None]:
    def lookup(code: str) -> Agency | None:
        found = directory.agency(code)
        if found is None and code == NATIONAL_ADMIN:
            return Agency(NATIONAL_ADMIN, NATIONAL_ADMIN_NAME, "ministry", None, None)
        return found

    return lookup


def _append(
    ports: Ports,
    case: Case,
    change: Change,
    cause: RecordedEvent | None = None,
    any_version: bool = False,
) -> None:
    new = NewEvent(
        change.type,
        change.data,
        correlation_id=cause.correlation_id if cause else None,
        causation_id=str(cause.event_id) if cause else None,
        source=SOURCE,
    )
    ports.cases.append(case, [new], any_version)


def record_agency(event: RecordedEvent, directory: Directory) -> None:
    data = event.data
    directory.add(data["code"], data["name"], data["kind"], data["region_code"],
                  data["parent_code"])  # fmt: skip


def record_standard(event: RecordedEvent, standards: Standards) -> None:
    """Keep the catalogue's standard as its last event left it."""
    data = event.data
    standard = apply_standard_event(standards.get(data["standard_id"]), event.type, data)
    if standard is not None:
        standards.put(standard)


def assign_report(
    event: RecordedEvent, ports: Ports, rules: dict[str, Rule], settings: Settings
) -> Decision:
    """Decide the agency for a submitted report and record `report.routed`,
    with the verification deadline counted from the submission."""
    report = event.data
    named = named_service(
        f"{report['title']}\n{report['description']}",
        report["region_code"],
        ports.standards.near(report["region_code"]),
        ports.directory.name_of,
    )
    decision = decide(
        report["category"],
        report["region_code"],
        rules,
        ports.directory.government_of,
        ports.directory.exists,
        inferred=bool(report.get("category_inferred")),
        min_confidence=settings.min_confidence,
        named=named,
        target=report.get("target_agency"),
    )
    case = ports.cases.load(report["tracking_id"])
    if case.status is not None:
        return decision  # routed already
    ctx = context(ports, event.recorded_at)
    change = actions.event(case, "report.routed", SYSTEM_ACTOR, status="unverified",
                           owner=decision.agency_code, stage="verification",
                           due_at=ctx.calendar.due_at(ctx.now, VERIFICATION_DAYS), ctx=ctx,
                           reason=decision.reason, reason_id=decision.reason_id,
                           confidence=decision.confidence)  # fmt: skip
    change.data["agency_name"] = change.data["owner_name"]
    # after whatever the stream holds by now: a reporter's message may have come
    # first and changes nothing routed says; the consumer's inbox makes it once
    _append(ports, case, change, event, any_version=True)
    return decision


def act(
    ports: Ports, tracking_id: str, action: str, params: Any, actor: Any, now: datetime
) -> dict:
    """`{"case": ...}` after the action, or `{"error": {"status", "errors"}}`."""
    case = ports.cases.load(tracking_id)
    try:
        change = actions.act(case, action, params, actor, context(ports, now))
        _append(ports, case, change)
    except CaseError as exc:
        return exc.answer()
    except ConcurrencyError:
        message = "The case changed while you acted; reload it and try again."
        return Conflict(message, field="tracking_id").answer()
    return {"case": view(apply_change(case, change))}


def allowed_actions(ports: Ports, tracking_id: str, actor: Any, now: datetime) -> list[str]:
    """The actions `actor` may take on the case now (none on an unknown case)."""
    case = ports.cases.load(tracking_id)
    return actions.allowed_actions(case, actor, context(ports, now))


def case_view(ports: Ports, tracking_id: str) -> dict | None:
    case = ports.cases.load(tracking_id)
    return view(case) if case.submitted else None


def on_case_event(event: RecordedEvent, ports: Ports) -> None:
    """routing's own subscription: keep `routing.cases`, react to the reporter."""
    if event.type == "report.message_added":
        on_reporter_message(event, ports)
    else:
        ports.cases.project(event)


def on_reporter_message(event: RecordedEvent, ports: Ports) -> Change | None:
    """Information resumes a deferred case; a reply or a dispute reopens a
    responded one; a confirmation closes it. Clocks start at the message."""
    case = ports.cases.load(event.data["tracking_id"])
    change = actions.on_message(case, event.data["kind"], context(ports, event.recorded_at))
    if change is not None:
        _append(ports, case, change, event)
    return change


@dataclass
class Outcome:
    escalated: list[tuple[str, str]] = field(default_factory=list)  # (tracking id, stage)
    warned: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


def check_deadlines(
    begin: Begin, now: datetime, settings: Settings, only: list[str] | None = None
) -> Outcome:
    """Escalate late cases one tier up, warn owners, close unanswered responses
    (of the cases `only` names, if given). A case an officer changes at the
    same moment is left for the next run."""
    with begin() as ports:
        due = ports.cases.due(now, settings.warn_before, only)
    outcome = Outcome()
    for tracking_id in due:
        try:
            with begin() as ports:
                case = ports.cases.load(tracking_id)
                change = actions.on_clock(case, context(ports, now), settings.warn_before)
                if change is not None:
                    _append(ports, case, change)
        except ConcurrencyError:
            continue
        if change is None:
            continue
        if change.type == "report.escalated":
            outcome.escalated.append((tracking_id, change.data["breached_stage"]))
        elif change.type == "report.deadline_approaching":
            outcome.warned.append((tracking_id, case.stage))
        else:
            outcome.closed.append(tracking_id)
    return outcome


def visible_agencies(directory: Directory, agency_code: str) -> list[str] | None:
    return directory.visible(agency_code)
