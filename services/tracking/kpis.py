"""KPIs of complaint handling (DOMAIN.md section 7), folded from a report's events.

Pure: no I/O. The live facts table (adapters/kpi_facts.py) and the KPIs as
of a past moment (computed from the log) run the same `fold` and the same
`aggregate`, so they cannot disagree.

Facts of one report (see docs/kpis.md for the definitions):
- one row for the report as a whole (`agency_code` == REPORT_SCOPE), and
- one row per agency that received it: that became its owner (routed,
  assigned, disposed, returned or escalated to it).

>>> facts = fold(events_of_one_report)          # RecordedEvents, stream order
>>> aggregate(facts, "agency")                  # one row per agency
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from lapor.contracts.case import CASE_EVENTS
from lapor.contracts.kpis import GROUP_BY, REGION_LEVELS

REPORT_SCOPE = ""  # agency_code of the facts of the report as a whole
# case events after which a report's facts may change; the others only move clocks
FACT_EVENTS = frozenset(
    (
        "report.submitted",
        "report.routed",
        "report.verified",
        "report.assigned",
        "report.disposed",
        "report.returned",
        "report.escalated",
        "report.responded",
        "report.reopened",
        "report.closed",
    )
)
# actors that are accounts of an agency (not the system, not a reporter)
AGENCY_ROLES = ("national_admin", "coordinator", "officer", "agency_system")


@dataclass(frozen=True)
class Facts:
    tracking_id: str
    agency_code: str  # REPORT_SCOPE: the report as a whole
    region_code: str
    category: str
    received_at: datetime
    verified_at: datetime | None = None
    verified_within: bool | None = None
    responded_at: datetime | None = None
    responded_within: bool | None = None
    resolved_at: datetime | None = None
    reopened: bool = False

    def as_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class _Fold:
    tracking_id: str = ""
    region_code: str = ""
    category: str = ""
    owner: str | None = None
    due_at: datetime | None = None
    facts: dict[str, Facts] = field(default_factory=dict)


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _within(at: datetime, due_at: datetime | None) -> bool:
    """A stage without a clock (routed before deadlines existed) is met."""
    return due_at is None or at <= due_at


def fold(events: Iterable) -> list[Facts]:
    """The facts of one report from its events (RecordedEvents of its stream,
    upcast, in stream order). A report no agency ever received has none."""
    state = _Fold()
    for event in events:
        _step(state, event)
    return list(state.facts.values())


def _step(state: _Fold, event) -> None:
    data, at = event.data, event.recorded_at
    state.tracking_id = data.get("tracking_id", state.tracking_id)
    if event.type == "report.submitted":
        state.region_code, state.category = data["region_code"], data["category"]
        return
    if event.type not in CASE_EVENTS:
        return
    due_before = state.due_at
    owner = data.get("owner")
    if owner and owner != state.owner:
        _received(state, owner, at)
    if event.type == "report.verified":
        state.category = data["category"]
        _verified(state, data.get("owner") or data["agency_code"], at, _time(data["due_at"]))
    elif event.type == "report.responded":
        _responded(state, data["agency_code"], at, due_before)
    elif event.type == "report.reopened":
        _update(state, (REPORT_SCOPE, data["agency_code"]), reopened=True)
    elif event.type == "report.closed":
        for key, facts in list(state.facts.items()):
            if facts.resolved_at is None:
                state.facts[key] = replace(facts, resolved_at=at)
    state.owner, state.due_at = owner, _time(data["due_at"])


def _received(state: _Fold, agency: str, at: datetime) -> None:
    for key in (REPORT_SCOPE, agency):
        if key not in state.facts:
            state.facts[key] = Facts(
                state.tracking_id,
                key,
                state.region_code,
                state.category,
                at,
            )


def _verified(state: _Fold, agency: str, at: datetime, due_at: datetime | None) -> None:
    for key in (REPORT_SCOPE, agency):
        facts = state.facts.get(key)
        if facts is not None and facts.verified_at is None:
            state.facts[key] = replace(facts, verified_at=at, verified_within=_within(at, due_at))
    for key, facts in state.facts.items():  # the verified category counts from now on
        state.facts[key] = replace(facts, category=state.category)


def _responded(state: _Fold, agency: str, at: datetime, due_at: datetime | None) -> None:
    for key in (REPORT_SCOPE, agency):
        facts = state.facts.get(key)
        if facts is not None and facts.responded_at is None:
            state.facts[key] = replace(facts, responded_at=at, responded_within=_within(at, due_at))


def _update(state: _Fold, keys: Iterable[str], **changes) -> None:
    for key in keys:
        if key in state.facts:
            state.facts[key] = replace(state.facts[key], **changes)


# -- aggregation --------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 1)


def _hours(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 3600


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def group_key(group_by: str, region_level: int = 1) -> Callable[[Facts], str]:
    if group_by == "agency":
        return lambda f: f.agency_code
    if group_by == "region":
        width = REGION_LEVELS[region_level]
        return lambda f: f.region_code[:width]
    if group_by == "category":
        return lambda f: f.category
    raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")


def in_scope(facts: Facts, group_by: str) -> bool:
    """Per agency: the agencies' rows; per region or category: each report once."""
    return (facts.agency_code != REPORT_SCOPE) == (group_by == "agency")


def summarise(rows: list[Facts]) -> dict:
    """The KPIs of one group of facts."""
    received = len(rows)
    responded = [f for f in rows if f.responded_at is not None]
    first_response = [_hours(f.received_at, f.responded_at) for f in responded]
    resolution = [_hours(f.received_at, f.resolved_at) for f in rows if f.resolved_at is not None]
    reopened = sum(1 for f in responded if f.reopened)
    verified_within = sum(1 for f in rows if f.verified_within)
    responded_within = sum(1 for f in rows if f.responded_within)
    return {
        "received": received,
        "verified_within_sla": verified_within,
        "followed_up": len(responded),
        "followed_up_within_sla": responded_within,
        "resolved": len(resolution),
        "reopened": reopened,
        "verified_within_sla_pct": _pct(verified_within, received),
        "followed_up_pct": _pct(len(responded), received),
        "followed_up_within_sla_pct": _pct(responded_within, received),
        "resolved_pct": _pct(len(resolution), received),
        "reopened_pct": _pct(reopened, len(responded)),
        "first_response_median_h": _rounded(
            statistics.median(first_response) if first_response else None
        ),
        "first_response_p90_h": _rounded(percentile(first_response, 90)),
        "resolution_median_h": _rounded(statistics.median(resolution) if resolution else None),
        "resolution_p90_h": _rounded(percentile(resolution, 90)),
    }


def aggregate(
    facts: Iterable[Facts],
    group_by: str,
    period_from: datetime | None = None,
    period_to: datetime | None = None,
    region_level: int = 1,
    region_prefix: str | None = None,
) -> list[dict]:
    """KPIs per group, of the reports received in [period_from, period_to)."""
    key = group_key(group_by, region_level)
    groups: dict[str, list[Facts]] = {}
    for f in facts:
        if not in_scope(f, group_by):
            continue
        if period_from is not None and f.received_at < period_from:
            continue
        if period_to is not None and f.received_at >= period_to:
            continue
        if region_prefix and not f.region_code.startswith(region_prefix):
            continue
        groups.setdefault(key(f), []).append(f)
    return [{"group": name, **summarise(rows)} for name, rows in sorted(groups.items())]


# -- the "good region" indicators (DOMAIN.md section 7) -------------------------

GOVERNMENT_KINDS = ("province", "regency", "city")


def region_indicators(
    region_code: str,
    agencies: Iterable[dict],
    accounts: Iterable[dict],
    facts: Iterable[Facts],
) -> dict:
    """`agencies`: {code, name, kind, region_code, decree_number, decree_date};
    `accounts`: {agency_code, account} that acted in the period; `facts`: the
    report-level facts of the period's reports."""
    in_region = [a for a in agencies if (a["region_code"] or "").startswith(region_code)]
    governments = [
        a for a in in_region if a["kind"] in GOVERNMENT_KINDS and a["region_code"] == region_code
    ]
    codes = {a["code"] for a in in_region}
    active = sorted({a["account"] for a in accounts if a["agency_code"] in codes})
    reports = [
        f for f in facts if f.agency_code == REPORT_SCOPE and f.region_code.startswith(region_code)
    ]
    kpis = summarise(reports)
    decrees = [
        {"agency_code": a["code"], "number": a["decree_number"], "date": a["decree_date"]}
        for a in governments
        if a["decree_number"]
    ]
    followed = kpis["followed_up_pct"]
    return {
        "region_code": region_code,
        "governments": sorted(a["code"] for a in governments),
        "complaint_team_decree": decrees,
        "active_accounts": len(active),
        "received": kpis["received"],
        "followed_up_pct": followed,
        "indicators": {
            "complaint_team_decree": bool(decrees),
            "active_accounts": bool(active),
            "followed_up_over_half": followed is not None and followed > 50.0,
        },
        "good": bool(decrees) and bool(active) and followed is not None and followed > 50.0,
    }


# -- what agency and actor events add -------------------------------------------

JAKARTA = ZoneInfo("Asia/Jakarta")


def agency_changes(event) -> dict | None:
    """The columns of an agency's row that its event sets (each event replaces them)."""
    data = event.data
    if event.type == "agency.registered":
        return {
            "name": data["name"],
            "kind": data["kind"],
            "region_code": data["region_code"],
            "parent_code": data["parent_code"],
        }
    if event.type == "agency.profile_set":
        decree = data["complaint_team_decree"] or {}
        return {"decree_number": decree.get("number"), "decree_date": decree.get("date")}
    return None


def account_activity(event) -> dict | None:
    """An agency account acting on a case: who (account id, never a person's
    name), for which agency, on which day (Asia/Jakarta)."""
    if event.type not in CASE_EVENTS:
        return None
    actor = event.data.get("actor") or {}
    if actor.get("role") not in AGENCY_ROLES or not actor.get("account"):
        return None
    if not actor.get("agency_code"):
        return None
    return {
        "agency_code": actor["agency_code"],
        "account": actor["account"],
        "role": actor["role"],
        "day": event.recorded_at.astimezone(JAKARTA).date(),
    }
