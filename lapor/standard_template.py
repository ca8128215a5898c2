"""The spreadsheet template of service standards: one row per standard, the same
columns in CSV and XLSX, for import and export (docs/sipp.md describes it).

In the kernel because two services speak it: sipp imports and exports
spreadsheets in it, and the gateway's standard form (/standar/kelola) is one
row of it, checked by `parse_row` before sipp checks it again.

Pure: rows of text in, standards or precise errors out (row, column, reason).
Lists (requirements, procedure steps, ...) are written one item per line
inside the cell, or separated by ` ; `.

>>> [e.column for e in parse_row(2, {"agency_code": "kemenkes", "slug": "Bad Slug"})][:2]
['slug', 'service_name']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from marshmallow import ValidationError

from lapor.contracts.standard import COMPONENTS, SLUG, StandardContentV1

LIST_COLUMNS = ("requirements", "procedure", "complaint_channels", "legal_basis", "facilities")
# where a content error is reported: content path -> template column
COLUMN_OF = {
    "completion_time.value": "completion_time_value",
    "completion_time.unit": "completion_time_unit",
    "cost.amount": "cost_amount",
    "cost.legal_basis": "cost_legal_basis",
    "complaint_handling.channels": "complaint_channels",
    "complaint_handling.lapor": "complaint_via_lapor",
    "decree.number": "decree_number",
    "decree.date": "decree_date",
}
# each of the 14 components, in order, with the columns that hold it
COMPONENT_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (key, tuple(c for p, c in COLUMN_OF.items() if p.split(".")[0] == key) or (key,))
    for key in COMPONENTS
)
# the template's columns: the row's own fields, the 14 components' columns in
# order, then the decree, the pledge and the demo mark
COLUMNS = (
    "agency_code",
    "slug",
    "service_name",
    "category",
    "description",
    *(column for _, columns in COMPONENT_COLUMNS for column in columns),
    "decree_number",
    "decree_date",
    "pledge",
    "demo",
)
_TRUE, _FALSE = {"ya", "yes", "true", "1", "y"}, {"tidak", "no", "false", "0", "n", ""}
_SCHEMA = StandardContentV1()


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number: the header is row 1
    column: str
    reason: str


@dataclass(frozen=True)
class Row:
    row: int
    agency_code: str
    slug: str
    content: dict


def column_of(path: str) -> str:
    """The column of a content path (`cost.amount` -> `cost_amount`), else its
    first part (`requirements.0` -> `requirements`)."""
    return COLUMN_OF.get(path, path.split(".")[0])


def split_list(cell: str) -> list[str]:
    parts = re.split(r"\s*(?:\n|\s;\s)\s*", cell.strip()) if cell.strip() else []
    return [p.strip() for p in parts if p.strip()]


def join_list(items: list[str]) -> str:
    return "\n".join(items)


def _int(value: str, column: str, errors: list[tuple[str, str]]) -> int | None:
    text = value.strip().replace(".", "").replace(",", "") if column == "cost_amount" else value
    try:
        return int(str(text).strip())
    except ValueError:
        errors.append((column, f"{value!r} is not a whole number"))
        return None


def _bool(value: str, column: str, errors: list[tuple[str, str]]) -> bool | None:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append((column, f"{value!r} is not ya/tidak"))
    return None


def parse_row(number: int, cells: dict[str, str]) -> Row | list[RowError]:
    """One data row: the standard it describes, or every error found in it."""
    get = {c: (cells.get(c) or "").strip() for c in COLUMNS}
    errors: list[tuple[str, str]] = []
    if not re.fullmatch(r"[a-z0-9-]+", get["agency_code"]):
        errors.append(("agency_code", "missing or not an agency code"))
    if not re.fullmatch(SLUG, get["slug"]):
        errors.append(("slug", "missing, or not lower-case letters, digits and hyphens"))
    decree_date = None
    if get["decree_date"]:
        try:
            decree_date = date.fromisoformat(get["decree_date"][:10]).isoformat()
        except ValueError:
            errors.append(("decree_date", f"{get['decree_date']!r} is not a date (YYYY-MM-DD)"))
    content = {
        "service_name": get["service_name"],
        "category": get["category"],
        "description": get["description"] or None,
        "requirements": split_list(get["requirements"]),
        "procedure": split_list(get["procedure"]),
        "completion_time": {
            "value": _int(get["completion_time_value"], "completion_time_value", errors),
            "unit": get["completion_time_unit"],
        },
        "cost": {
            "amount": _int(get["cost_amount"] or "0", "cost_amount", errors),
            "legal_basis": get["cost_legal_basis"] or None,
        },
        "product": get["product"],
        "complaint_handling": {
            "channels": split_list(get["complaint_channels"]),
            "lapor": _bool(get["complaint_via_lapor"], "complaint_via_lapor", errors),
        },
        "legal_basis": split_list(get["legal_basis"]),
        "facilities": split_list(get["facilities"]),
        "staff_competence": get["staff_competence"],
        "internal_supervision": get["internal_supervision"],
        "staff_count": _int(get["staff_count"], "staff_count", errors),
        "service_guarantee": get["service_guarantee"],
        "security_guarantee": get["security_guarantee"],
        "performance_evaluation": get["performance_evaluation"],
        "decree": {"number": get["decree_number"], "date": decree_date},
        "pledge": get["pledge"],
        "demo": _bool(get["demo"], "demo", errors),
    }
    already = {column for column, _ in errors}
    try:
        content = _SCHEMA.dump(_SCHEMA.load(content))
    except ValidationError as exc:
        for path, reason in _flatten(exc.messages):
            column = column_of(path)
            if column not in already:
                errors.append((column, reason))
    if errors:
        order = {c: i for i, c in enumerate(COLUMNS)}
        errors.sort(key=lambda e: order.get(e[0], len(order)))
        return [RowError(number, column, reason) for column, reason in errors]
    return Row(number, get["agency_code"], get["slug"], content)


def _flatten(messages, prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):  # an item of a list: report it against the list
                found.extend(_flatten(value, prefix))
            else:
                found.extend(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    else:
        found.extend((prefix or "_row", str(m)) for m in messages)
    return found


def parse(header: list[str], rows: list[list[str]]) -> tuple[list[Row], list[RowError]]:
    """Every data row (the header is row 1): the valid ones and the errors of the rest."""
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, c, "column missing from the header") for c in missing]
    valid: list[Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any((c or "").strip() for c in cells):
            continue  # blank lines are not rows
        parsed = parse_row(number, dict(zip(header, cells, strict=False)))
        if isinstance(parsed, Row):
            key = (parsed.agency_code, parsed.slug)
            if key in seen:
                errors.append(RowError(number, "slug", f"the same standard as row {seen[key]}"))
                continue
            seen[key] = number
            valid.append(parsed)
        else:
            errors.extend(parsed)
    return valid, errors


def to_row(agency_code: str, slug: str, content: dict) -> list[str]:
    """A standard as one row of the template, in COLUMNS order."""
    ct, cost, ch, decree = (
        content["completion_time"],
        content["cost"],
        content["complaint_handling"],
        content["decree"],
    )
    cells = {
        "agency_code": agency_code,
        "slug": slug,
        "service_name": content["service_name"],
        "category": content["category"],
        "description": content.get("description") or "",
        "requirements": join_list(content["requirements"]),
        "procedure": join_list(content["procedure"]),
        "completion_time_value": str(ct["value"]),
        "completion_time_unit": ct["unit"],
        "cost_amount": str(cost["amount"]),
        "cost_legal_basis": cost.get("legal_basis") or "",
        "product": content["product"],
        "complaint_channels": join_list(ch["channels"]),
        "complaint_via_lapor": "ya" if ch["lapor"] else "tidak",
        "legal_basis": join_list(content["legal_basis"]),
        "facilities": join_list(content["facilities"]),
        "staff_competence": content["staff_competence"],
        "internal_supervision": content["internal_supervision"],
        "staff_count": str(content["staff_count"]),
        "service_guarantee": content["service_guarantee"],
        "security_guarantee": content["security_guarantee"],
        "performance_evaluation": content["performance_evaluation"],
        "decree_number": decree["number"],
        "decree_date": decree["date"],
        "pledge": content["pledge"],
        "demo": "ya" if content["demo"] else "tidak",
    }
    return [cells[c] for c in COLUMNS]
