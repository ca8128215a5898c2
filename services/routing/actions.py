"""What can happen to a case: officers' actions, the reporter's messages and
the clock. Pure; each function returns the one event to append (a `Change`)
or raises a `CaseError` (400 invalid, 403 not allowed, 404, 409 wrong state).

>>> change = act(case, "accept", {}, officer, ctx)
>>> change.type, change.data["status"]
('report.accepted', 'in_progress')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from lapor.contracts.case import ACTOR_ROLES, ARCHIVE_REASONS, COMPLEXITIES, STATUSES
from lapor.contracts.errors import Conflict, Forbidden, Invalid, NotFound
from lapor.contracts.report import ATTACHMENT_SHA256, CATEGORIES, REPORT_TYPES, TRACKING_ID_PATTERN
from services.routing.domain import NATIONAL_ADMIN
from services.routing.lifecycle import (
    COORDINATOR_ROLES,
    REPORTER_ACTOR,
    SYSTEM_ACTOR,
    Case,
    CaseError,
    Change,
    Context,
    closure_due,
    event,
    follow_up_due,
    may_see,
    same_clock,
    tier_up,
    verification_due,
    within,
)

AGENCY_CODE = re.compile(r"^[a-z0-9-]+$")
_QUEUE = ("unverified", "verified", "returned", "escalated")
# the statuses in which each action may be taken
ALLOWED: dict[str, tuple[str, ...]] = {
    "verify": ("unverified", "returned", "escalated"),
    "defer": ("unverified",),
    "archive": _QUEUE + ("deferred",),
    "merge": _QUEUE + ("deferred",),
    "assign": ("verified", "returned", "escalated"),
    "dispose": ("verified", "assigned"),
    "accept": ("verified", "assigned"),
    "return": ("unverified", "verified", "assigned", "returned", "escalated"),
    "respond": ("assigned", "in_progress"),
    "change_privacy": STATUSES,
}


# --- checking the request ---


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise Invalid(dict(self))


def _text(params: dict, key: str, errors: _Errors, max_len: int, required: bool = True):
    value = params.get(key)
    if value is None:
        if required:
            errors.add(key, "Missing data for required field.")
        return None
    if not isinstance(value, str) or not value.strip():
        errors.add(key, "Must be a non-empty string.")
    elif len(value) > max_len:
        errors.add(key, f"Longer than maximum length {max_len}.")
    return value


def _choice(params: dict, key: str, choices: tuple[str, ...], errors: _Errors) -> Any:
    value = params.get(key)
    if value not in choices:
        errors.add(key, f"Must be one of: {', '.join(choices)}.")
    return value


def _agency(params: dict, key: str, errors: _Errors, ctx: Context, required: bool = True):
    code = params.get(key)
    if code is None and not required:
        return None
    if not isinstance(code, str) or not AGENCY_CODE.match(code):
        errors.add(key, "Must be an agency code.")
    elif ctx.agency(code) is None:
        errors.add(key, f"No agency {code!r} in the catalogue.")
    return code


def check_actor(actor: Any) -> dict[str, Any]:
    errors = _Errors()
    if not isinstance(actor, dict) or actor.get("role") not in ACTOR_ROLES:
        raise Invalid({"actor": [f"role must be one of: {', '.join(ACTOR_ROLES)}."]})
    agency = actor.get("agency_code")
    if agency is not None and not (isinstance(agency, str) and AGENCY_CODE.match(agency)):
        errors.add("actor", "agency_code must be an agency code.")
    if agency is None and actor["role"] not in ("system", "national_admin", "reporter"):
        errors.add("actor", f"a {actor['role']} acts for an agency: agency_code is required.")
    account = actor.get("account")
    if account is not None and not (isinstance(account, str) and len(account) <= 100):
        errors.add("actor", "account must be a string of at most 100 characters.")
    errors.raise_if_any()
    role = actor["role"]
    agency = NATIONAL_ADMIN if role == "national_admin" else agency
    return {"role": role, "agency_code": agency, "account": account}


# --- the actions ---


def verify(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    report_type = _choice(params, "report_type", REPORT_TYPES, errors)
    category = _choice(params, "category", CATEGORIES, errors)
    complexity = _choice(params, "complexity", COMPLEXITIES, errors)
    errors.raise_if_any()
    return same_clock(case, "report.verified", actor, ctx, "verified", report_type=report_type,
                 category=category, complexity=complexity)  # fmt: skip


def defer(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    note = _text(params, "note", errors, 4000)
    errors.raise_if_any()
    # no clock runs while the reporter is asked for more information
    return event(case, "report.deferred", actor, status="deferred", owner=case.owner,
                 stage=None, due_at=None, ctx=ctx, note=note)  # fmt: skip


def _closing(case: Case, type_: str, actor: dict, ctx: Context, **extra: Any) -> Change:
    return event(case, type_, actor, status="archived", owner=None, stage=None, due_at=None,
                 ctx=ctx, **extra)  # fmt: skip


def archive(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    reason = _choice(params, "reason", ARCHIVE_REASONS, errors)
    note = _text(params, "note", errors, 4000, required=False)
    errors.raise_if_any()
    return _closing(case, "report.archived", actor, ctx, reason=reason, note=note)


def merge(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    into = params.get("into")
    if not isinstance(into, str) or not re.fullmatch(TRACKING_ID_PATTERN, into):
        errors.add("into", "Must be a tracking id (LAP-...).")
    elif into == case.tracking_id:
        errors.add("into", "A report cannot be merged into itself.")
    elif not ctx.report_exists(into):
        errors.add("into", f"No report {into}.")
    errors.raise_if_any()
    return _closing(case, "report.merged", actor, ctx, into=into)


def _may_assign(case: Case, actor: dict) -> None:
    if actor["role"] not in COORDINATOR_ROLES:
        raise Forbidden({"action": ["Only a coordinator or the national admin assigns."]})
    if case.complexity is None:
        raise Conflict({"status": ["Verify (classify) the report before assigning it."]})


def assign(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()  # the role and the classification: `_may` checked them
    target = _agency(params, "agency_code", errors, ctx)
    note = _text(params, "note", errors, 4000, required=False)
    errors.raise_if_any()
    if actor["role"] == "coordinator" and not within(target, actor["agency_code"], ctx):
        raise Forbidden({"agency_code": ["A coordinator assigns within its own government."]})
    return event(case, "report.assigned", actor, status="assigned", owner=target,
                 stage="follow_up", due_at=follow_up_due(case, ctx), ctx=ctx,
                 from_agency=case.owner, note=note)  # fmt: skip


def _follow_up_clock(case: Case, ctx: Context) -> datetime:
    # a case already in follow-up keeps its deadline; a verified one starts it now
    if case.stage == "follow_up" and case.due_at is not None:
        return case.due_at
    return follow_up_due(case, ctx)


def dispose(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    target = _agency(params, "agency_code", errors, ctx)
    note = _text(params, "note", errors, 4000, required=False)
    errors.raise_if_any()
    if target == case.owner or not within(target, case.owner, ctx):
        raise Invalid({"agency_code": [f"Not a sub-unit of {case.owner}."]})
    return event(case, "report.disposed", actor, status="assigned", owner=target,
                 stage="follow_up", due_at=_follow_up_clock(case, ctx), ctx=ctx,
                 from_agency=case.owner, note=note)  # fmt: skip


def accept(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    return event(case, "report.accepted", actor, status="in_progress", owner=case.owner,
                 stage="follow_up", due_at=_follow_up_clock(case, ctx), ctx=ctx)  # fmt: skip


def _may_return(case: Case) -> None:
    if case.owner == NATIONAL_ADMIN:
        raise Conflict({"status": ["The national admin has no tier above: assign or archive."]})


def return_(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    reason = _text(params, "reason", errors, 2000)
    suggested = _agency(params, "suggested_agency", errors, ctx, required=False)
    errors.raise_if_any()
    return event(case, "report.returned", actor, status="returned",
                 owner=tier_up(case.owner, ctx), stage="verification",
                 due_at=verification_due(ctx), ctx=ctx, from_agency=case.owner,
                 reason=reason, suggested_agency=suggested)  # fmt: skip


def _attachments(value: Any, errors: _Errors) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add("attachments", "Must be a list.")
        return []
    for item in value:
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("sha256"), str)
            and re.fullmatch(ATTACHMENT_SHA256.strip("^$"), item["sha256"])
            and isinstance(item.get("size"), int)
            and item["size"] >= 1
            and isinstance(item.get("media_type"), str)
        )
        if not ok:
            errors.add("attachments", "Each needs sha256 (hex), size (>= 1) and media_type.")
            break
    return value


def respond(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    message = _text(params, "message", errors, 20000)
    attachments = _attachments(params.get("attachments"), errors)
    errors.raise_if_any()
    return event(case, "report.responded", actor, status="responded", owner=case.owner,
                 stage="closure", due_at=closure_due(ctx), ctx=ctx, message=message,
                 attachments=attachments)  # fmt: skip


def change_privacy(case: Case, params: dict, actor: dict, ctx: Context) -> Change:
    errors = _Errors()
    wanted = {}
    for key in ("anonymous", "confidential"):
        wanted[key] = params.get(key)
        if not isinstance(wanted[key], bool):
            errors.add(key, "Must be true or false.")
    errors.raise_if_any()
    current = {"anonymous": case.anonymous, "confidential": case.confidential}
    if wanted == current:
        raise Invalid({"anonymous": ["The report already has this privacy level."]})
    if actor["role"] != "reporter":
        weakened = [k for k in wanted if current[k] and not wanted[k]]
        if weakened:
            raise Forbidden({k: ["Only the reporter may weaken the privacy."] for k in weakened})
    return same_clock(case, "report.privacy_changed", actor, ctx, case.status, **wanted)


ACTIONS: dict[str, Callable[[Case, dict, dict, Context], Change]] = {
    "verify": verify,
    "defer": defer,
    "archive": archive,
    "merge": merge,
    "assign": assign,
    "dispose": dispose,
    "accept": accept,
    "return": return_,
    "respond": respond,
    "change_privacy": change_privacy,
}


def act(case: Case, action: str, params: Any, actor: Any, ctx: Context) -> Change:
    """Check the request, the actor's right and the case's state; then act."""
    if action not in ACTIONS:
        raise Invalid({"action": [f"Must be one of: {', '.join(ACTIONS)}."]})
    if not isinstance(params, dict):
        raise Invalid({"params": ["Must be an object."]})
    actor = check_actor(actor)
    _may(case, action, actor, ctx)
    return ACTIONS[action](case, params, actor, ctx)


def _may(case: Case, action: str, actor: dict, ctx: Context) -> None:
    """Whether `actor` may take `action` on `case` now, whatever the parameters."""
    _may_touch(case, actor, ctx)
    _may_take(case, action, actor)


def _may_touch(case: Case, actor: dict, ctx: Context) -> None:
    """Whether the case is routed and the actor's to act on (any action)."""
    if not case.submitted:
        raise NotFound({"tracking_id": [f"No report {case.tracking_id}."]})
    if case.status is None:
        raise Conflict({"status": ["The report has not been routed yet."]})
    if actor["role"] != "reporter" and not may_see(actor, case, ctx):
        raise Forbidden({"tracking_id": ["The case is not your agency's nor its units'."]})


def _may_take(case: Case, action: str, actor: dict) -> None:
    """Whether this action fits the actor's role and the case's state."""
    if actor["role"] == "reporter" and action != "change_privacy":
        raise Forbidden({"action": ["A reporter may only change the privacy."]})
    if case.status not in ALLOWED[action]:
        raise Conflict({"status": [f"Cannot {action} a case that is {case.status}."]})
    if action == "assign":
        _may_assign(case, actor)
    elif action == "return":
        _may_return(case)


def allowed_actions(case: Case, actor: Any, ctx: Context) -> list[str]:
    """The actions `actor` may take on `case` now, whatever their parameters
    (what the officers' page offers); `act` still checks the parameters."""
    try:
        actor = check_actor(actor)
        _may_touch(case, actor, ctx)  # once: it reads the agency tree
    except CaseError:
        return []
    allowed = []
    for action in ACTIONS:
        try:
            _may_take(case, action, actor)
        except CaseError:
            continue
        allowed.append(action)
    return allowed


# --- the reporter and the clock ---


def on_message(case: Case, kind: str, ctx: Context) -> Change | None:
    """A reporter's message resumes a deferred case, reopens or closes a responded one.

    On a responded case anything but a confirmation is a reply that keeps the
    case open (DOMAIN.md section 6): email and SMS replies come in as
    `information`, and must not let the case close as unanswered."""
    if case.status == "deferred" and kind == "information":
        return event(case, "report.resumed", REPORTER_ACTOR, status="unverified", owner=case.owner,
                     stage="verification", due_at=verification_due(ctx), ctx=ctx)  # fmt: skip
    if case.status != "responded":
        return None
    if kind == "confirmation":
        return _closed(case, ctx, "confirmed_by_reporter", REPORTER_ACTOR)
    return event(case, "report.reopened", REPORTER_ACTOR, status="in_progress", owner=case.owner,
                 stage="follow_up", due_at=follow_up_due(case, ctx), ctx=ctx,
                 reason="dispute" if kind == "dispute" else "reply")  # fmt: skip


def _closed(case: Case, ctx: Context, reason: str, actor: dict = SYSTEM_ACTOR) -> Change:
    return event(case, "report.closed", actor, status="closed", owner=None, stage=None,
                 due_at=None, ctx=ctx, reason=reason)  # fmt: skip


def on_clock(case: Case, ctx: Context, warn_before: timedelta) -> Change | None:
    """At `ctx.now`: close an unanswered response, escalate a late case one
    tier up, or warn its owner once per stage and deadline."""
    if not case.open or case.due_at is None:
        return None
    if ctx.now > case.due_at:
        if case.stage == "closure":
            return _closed(case, ctx, "no_reply")
        return event(case, "report.escalated", SYSTEM_ACTOR, status="escalated",
                     owner=tier_up(case.owner, ctx), stage="verification",
                     due_at=verification_due(ctx), ctx=ctx, from_agency=case.owner,
                     breached_stage=case.stage,
                     breached_due_at=case.due_at.isoformat())  # fmt: skip
    if ctx.now >= case.due_at - warn_before and case.warned_for != (case.stage, case.due_at):
        return same_clock(case, "report.deadline_approaching", SYSTEM_ACTOR, ctx, case.status)
    return None
