"""SIPP's use cases for service standards: write (draft, publish, revise,
withdraw, import) through the event log, read from the projection.

Commands load the standard from its own stream and the owning agency from
its `agency-<code>` stream (the log, not the projection, so a standard can be
published right after its agency is registered), let the domain decide, and
append with the stream's version as the expected one: two admins racing on
one standard cannot both win.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from marshmallow import ValidationError

from lapor import eventstore
from lapor import standard_template as template
from lapor.contracts.agency import agency_stream
from lapor.contracts.errors import Invalid
from lapor.contracts.standard import SLUG, StandardContentV1, standard_id, standard_stream
from lapor.eventstore import NewEvent
from lapor.text import search_query
from services.sipp import domain
from services.sipp.adapters import sessions, spreadsheet
from services.sipp.adapters import standards as read_side
from services.sipp.domain import Actor, Agency, Standard

SOURCE = "/lapor/sipp"
_CONTENT = StandardContentV1()


def validate_content(content) -> dict:
    if not isinstance(content, dict):
        raise Invalid({"content": ["Expected an object."]})
    try:
        return _CONTENT.dump(_CONTENT.load(content))
    except ValidationError as exc:
        raise Invalid({"content": exc.messages}) from exc


def authenticate(conn: sa.Connection, token: str | None) -> Actor | None:
    if not token:
        return None
    account = sessions.account(conn, token)  # an API token or an officer's session
    return Actor(account["actor"], account["agency_code"]) if account else None


def load_agency(conn: sa.Connection, code: str) -> Agency | None:
    events = eventstore.read_stream(conn, agency_stream(code))
    if not events:
        return None
    data = events[0].data
    return Agency(**{k: data[k] for k in Agency.__dataclass_fields__})


def load_standard(conn: sa.Connection, sid: str) -> Standard:
    events = eventstore.read_stream(conn, standard_stream(sid))
    return Standard.from_events(sid, [(e.type, e.data) for e in events])


def _append(tx: sa.Connection, state: Standard, decided: list[tuple[str, dict]]) -> int:
    if not decided:
        return 0
    try:
        eventstore.append(
            tx,
            standard_stream(state.standard_id),
            state.stream_version,
            [NewEvent(type_, data, source=SOURCE) for type_, data in decided],
        )
    except eventstore.ConcurrencyError as exc:
        raise domain.Conflict("The standard changed meanwhile; read it and try again.") from exc
    return len(decided)


def _summary(state: Standard, decided: list[tuple[str, dict]]) -> dict:
    for type_, data in decided:
        state.apply(type_, data)
    return {
        "standard_id": state.standard_id,
        "agency_code": state.agency_code,
        "status": state.status,
        "version": state.version,
        "changed": bool(decided),
    }


def create_standard(
    engine: sa.Engine, actor: Actor, agency_code: str, slug: str, content, publish: bool
) -> dict:
    """A new standard of `agency_code`, published at once or kept as a draft."""
    if not isinstance(slug, str) or not re.fullmatch(SLUG, slug):
        raise Invalid({"slug": ["Lower-case letters, digits and single hyphens."]})
    content = validate_content(content)
    with engine.begin() as tx:
        agency = load_agency(tx, agency_code or "")
        if agency is None:
            raise Invalid({"agency_code": ["No such agency in the catalogue."]})
        state = load_standard(tx, standard_id(agency.code, slug))
        decide = domain.publish if publish else domain.draft
        decided = decide(state, actor, agency, content)
        _append(tx, state, decided)
    return _summary(state, decided)


def publish_draft(engine: sa.Engine, actor: Actor, sid: str) -> dict:
    with engine.begin() as tx:
        state = load_standard(tx, sid)
        if state.status == "new":
            raise domain.NotFound(f"No standard {sid}.", field="standard_id")
        agency = load_agency(tx, state.agency_code)
        decided = domain.publish(state, actor, agency, None)
        _append(tx, state, decided)
    return _summary(state, decided)


def revise_standard(engine: sa.Engine, actor: Actor, sid: str, content, note) -> dict:
    content = validate_content(content)
    with engine.begin() as tx:
        state = load_standard(tx, sid)
        decided = domain.revise(state, actor, content, note if isinstance(note, str) else None)
        _append(tx, state, decided)
    return _summary(state, decided)


def withdraw_standard(engine: sa.Engine, actor: Actor, sid: str, reason) -> dict:
    with engine.begin() as tx:
        state = load_standard(tx, sid)
        decided = domain.withdraw(state, actor, reason)
        _append(tx, state, decided)
    return _summary(state, decided)


def put_standard(tx: sa.Connection, actor: Actor, agency: Agency, slug: str, content) -> str:
    """Publish, revise or leave alone, so that the standard says `content`:
    'published', 'revised' or 'unchanged'. Imports and the demo loader use it."""
    state = load_standard(tx, standard_id(agency.code, slug))
    if state.status in ("new", "draft"):
        _append(tx, state, domain.publish(state, actor, agency, content))
        return "published"
    decided = domain.revise(state, actor, content, "imported from a spreadsheet")
    _append(tx, state, decided)
    return "revised" if decided else "unchanged"


def import_standards(engine: sa.Engine, actor: Actor, file: bytes) -> dict:
    """Valid rows become standards (in one transaction), invalid ones are
    reported by row, column and reason and change nothing."""
    try:
        header, rows = spreadsheet.read(file)
    except spreadsheet.UnreadableFile as exc:
        raise Invalid({"file": [str(exc)]}) from exc
    valid, errors = template.parse(header, rows)
    outcome = {"published": 0, "revised": 0, "unchanged": 0}
    with engine.begin() as tx:
        agencies: dict[str, Agency | None] = {}
        for row in valid:
            if row.agency_code not in agencies:
                agencies[row.agency_code] = load_agency(tx, row.agency_code)
            agency = agencies[row.agency_code]
            if agency is None:
                errors.append(template.RowError(row.row, "agency_code", "no such agency"))
                continue
            if actor.agency_code is not None and actor.agency_code != agency.code:
                errors.append(
                    template.RowError(
                        row.row,
                        "agency_code",
                        f"an admin of {actor.agency_code} may not publish for {agency.code}",
                    )
                )
                continue
            outcome[put_standard(tx, actor, agency, row.slug, row.content)] += 1
    errors.sort(
        key=lambda e: (
            e.row,
            template.COLUMNS.index(e.column) if e.column in template.COLUMNS else 99,
        )
    )
    return {
        "rows": len({r.row for r in valid} | {e.row for e in errors if e.row > 1}),
        "imported": outcome["published"] + outcome["revised"] + outcome["unchanged"],
        **outcome,
        "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in errors],
    }


def export_standards(
    conn: sa.Connection, agency_code: str | None, region_code: str | None, fmt: str
) -> bytes:
    rows = [
        template.to_row(r.agency_code, r.slug, r.content)
        for r in read_side.for_export(conn, agency_code, region_code)
    ]
    writer = spreadsheet.write_xlsx if fmt == "xlsx" else spreadsheet.write_csv
    return writer(list(template.COLUMNS), rows)


def search(conn: sa.Connection, q, region_code, agency_code, category, limit, offset) -> dict:
    tsquery = search_query(q) if q else None
    if q and tsquery is None:
        return {"total": 0, "standards": []}
    total, found = read_side.search(
        conn, tsquery, region_code, agency_code, category, limit, offset
    )
    return {"total": total, "standards": found}


def compliance(conn: sa.Connection, region_code: str) -> dict:
    """Which regency and city governments of a region are well connected to SIPP."""
    counts = read_side.published_counts(conn, region_code)
    governments = domain.compliance(read_side.governments_in(conn, region_code), counts)
    return {
        "region_code": region_code,
        "priority_units": list(domain.PRIORITY_UNITS),
        "governments": governments,
        "well_connected": sum(g["well_connected"] for g in governments),
        "not_well_connected": sum(not g["well_connected"] for g in governments),
        "published_by_agency": dict(sorted(counts.items())),
        "published_total": sum(counts.values()),
    }


def providers(conn: sa.Connection, service: str | None, category: str | None, region: str):
    """Which agency provides service `service` (or category) in region `region`:
    the regency or city first, then the province, then national agencies."""
    parts = region.split(".")
    regions = [".".join(parts[:n]) for n in range(min(len(parts), 2), 0, -1)] + [""]
    tsquery = search_query(service) if service else None
    return read_side.providers(conn, tsquery, category, regions)
