"""The case of a report: its state, folded from the report's stream, and the
rules of who may do what to it, when (see `lapor.contracts.case`).

Pure: every function takes the case, the request and a `Context` (the clock,
the working-day calendar and a read-only view of the agency tree) and returns
the event to append, or raises a `CaseError` with an HTTP-like status.

Who may act: an actor acts on a case whose owner is its own agency or one of
that agency's descendants (units under their government, regencies under
their province); the national admin on every case. Only coordinators and the
national admin assign; any owner may dispose, but only to its own sub-units.
Only the reporter may weaken the report's privacy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from lapor.contracts.agency import Agency
from lapor.contracts.case import OPEN_STATUSES
from lapor.contracts.errors import DomainError
from services.routing.calendar import CLOSURE_DAYS, VERIFICATION_DAYS, Calendar, follow_up_days
from services.routing.domain import NATIONAL_ADMIN

SYSTEM_ACTOR = {"role": "system", "agency_code": None, "account": None}
# the reporter acting through a message on any channel: no account, no identity
REPORTER_ACTOR = {"role": "reporter", "agency_code": None, "account": None}
COORDINATOR_ROLES = ("coordinator", "national_admin", "system")
MAX_TREE_DEPTH = 16  # guards the walk up the agency tree against a cycle in the data


# a refused action on a case: 400 invalid, 403 not allowed, 404, 409 wrong state
CaseError = DomainError


@dataclass(frozen=True)
class Context:
    now: datetime
    calendar: Calendar
    agency: Callable[[str], Agency | None]  # the catalogue, by code
    report_exists: Callable[[str], bool] = lambda tracking_id: False


@dataclass(frozen=True)
class Change:
    """One event to append: its type and its data (the contract's shape)."""

    type: str
    data: dict[str, Any]


@dataclass
class Case:
    tracking_id: str
    submitted: bool = False
    report_type: str | None = None
    category: str | None = None
    region_code: str | None = None
    anonymous: bool = False
    confidential: bool = False
    status: str | None = None  # None: submitted, not routed yet
    owner: str | None = None
    owner_name: str | None = None
    last_agency: str | None = None  # the agency the latest case event concerned
    stage: str | None = None
    due_at: datetime | None = None
    complexity: str | None = None
    warned_for: tuple[str | None, datetime | None] | None = None
    version: int = 0  # the stream's version this state was folded from
    history: list[str] = field(default_factory=list)  # owners so far, oldest first

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    def apply(self, type_: str, data: dict[str, Any], version: int | None = None) -> None:
        if version is not None:
            self.version = version
        if type_ == "report.submitted":
            self.submitted = True
            for key in ("report_type", "category", "region_code", "anonymous", "confidential"):
                setattr(self, key, data[key])
            return
        if "status" not in data:
            return  # not a case event (a reporter's message)
        self.status, self.stage = data["status"], data["stage"]
        self.owner, self.owner_name = data["owner"], data["owner_name"]
        self.last_agency = data["agency_code"]
        self.due_at = _parse(data["due_at"])
        if self.owner and (not self.history or self.history[-1] != self.owner):
            self.history.append(self.owner)
        if type_ == "report.verified":
            self.report_type, self.category = data["report_type"], data["category"]
            self.complexity = data["complexity"]
        elif type_ == "report.privacy_changed":
            self.anonymous, self.confidential = data["anonymous"], data["confidential"]
        elif type_ == "report.deadline_approaching":
            self.warned_for = (self.stage, self.due_at)


def fold(tracking_id: str, events: list[tuple[str, dict[str, Any]]]) -> Case:
    case = Case(tracking_id)
    for version, (type_, data) in enumerate(events, start=1):
        case.apply(type_, data, version)
    return case


def _parse(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def view(case: Case) -> dict[str, Any]:
    """The case as the `case` RPC answers it."""
    return {
        "tracking_id": case.tracking_id,
        "status": case.status,
        "owner": case.owner,
        "owner_name": case.owner_name,
        "stage": case.stage,
        "due_at": case.due_at.isoformat() if case.due_at else None,
        "anonymous": case.anonymous,
        "confidential": case.confidential,
        "report_type": case.report_type,
        "category": case.category,
        "complexity": case.complexity,
    }


# --- the agency tree ---


def ancestors(code: str, ctx: Context) -> list[str]:
    """`code` and the agencies above it, nearest first."""
    chain = [code]
    agency = ctx.agency(code)
    while agency and agency.parent_code and len(chain) < MAX_TREE_DEPTH:
        if agency.parent_code in chain:
            break
        chain.append(agency.parent_code)
        agency = ctx.agency(agency.parent_code)
    return chain


def tier_up(code: str | None, ctx: Context) -> str:
    """The coordinator one tier above `code`: the government (or ministry) a
    unit belongs to, however deep the unit; a regency's or city's province;
    above a province, ministry or national agency, and above anything
    unknown, the national admin."""
    if code is None or code == NATIONAL_ADMIN:
        return NATIONAL_ADMIN
    for above in ancestors(code, ctx)[1:]:
        agency = ctx.agency(above)
        if agency is not None and agency.kind != "unit":
            return above
    return NATIONAL_ADMIN


def within(code: str, ancestor: str, ctx: Context) -> bool:
    return ancestor in ancestors(code, ctx)


def may_see(actor: dict[str, Any], case: Case, ctx: Context) -> bool:
    if actor["role"] in ("system", "national_admin"):
        return True
    agency = actor.get("agency_code")
    subject = case.owner or case.last_agency
    return bool(agency and subject and within(subject, agency, ctx))


# --- building events ---


def _name(code: str | None, ctx: Context) -> str | None:
    if code is None:
        return None
    agency = ctx.agency(code)
    return agency.name if agency else code


def event(
    case: Case,
    type_: str,
    actor: dict[str, Any],
    *,
    status: str,
    owner: str | None,
    stage: str | None,
    due_at: datetime | None,
    ctx: Context,
    **extra: Any,
) -> Change:
    """A case event stating the case as it leaves it."""
    data = {
        "tracking_id": case.tracking_id,
        "agency_code": owner or case.owner or case.last_agency,
        "status": status,
        "owner": owner,
        "owner_name": _name(owner, ctx),
        "stage": stage,
        "due_at": due_at.isoformat() if due_at else None,
        "actor": actor,
        **extra,
    }
    return Change(type_, data)


def same_clock(
    case: Case, type_: str, actor: dict, ctx: Context, status: str, **extra: Any
) -> Change:
    """The same owner, stage and clock; a new status."""
    return event(
        case,
        type_,
        actor,
        status=status,
        owner=case.owner,
        stage=case.stage,
        due_at=case.due_at,
        ctx=ctx,
        **extra,
    )


def verification_due(ctx: Context) -> datetime:
    return ctx.calendar.due_at(ctx.now, VERIFICATION_DAYS)


def follow_up_due(case: Case, ctx: Context, report_type: str | None = None) -> datetime:
    return ctx.calendar.due_at(ctx.now, follow_up_days(report_type or case.report_type,
                                                       case.complexity))  # fmt: skip


def closure_due(ctx: Context) -> datetime:
    return ctx.calendar.due_at(ctx.now, CLOSURE_DAYS)


def apply_change(case: Case, change: Change) -> Case:
    """The case after `change` (for answering without reading the stream again)."""
    after = replace(case, history=list(case.history))
    after.apply(change.type, change.data, case.version + 1)
    return after
