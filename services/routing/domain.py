"""Where a report goes: the authorised agency, or the coordinator one tier up.

No wrong door: the candidates run from the most specific (the unit the rule
names in the report's regency or city) to the national admin, and the first
one that exists in the catalogue is chosen. There is always one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

NATIONAL_ADMIN = "kemenpanrb"


@dataclass(frozen=True)
class Rule:
    category: str
    target: str  # "unit:<unit_type>" in the report's regency/city, or "agency:<code>"
    why: str


@dataclass(frozen=True)
class Decision:
    agency_code: str
    reason: str


def regency_code(region_code: str) -> str | None:
    parts = region_code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def candidates(
    category: str,
    region_code: str,
    rules: dict[str, Rule],
    government_of: Callable[[str], str | None],
) -> list[tuple[str, str]]:
    """(agency code, reason) from the most to the least specific."""
    found: list[tuple[str, str]] = []
    regency = regency_code(region_code)
    regency_gov = government_of(regency) if regency else None
    province_gov = government_of(region_code.split(".")[0])
    rule = rules.get(category)
    if rule and rule.target.startswith("unit:") and regency_gov:
        found.append((f"{regency_gov}-{rule.target[5:]}", rule.why))
    if rule and rule.target.startswith("agency:"):
        found.append((rule.target[7:], rule.why))
    if regency_gov:
        found.append((regency_gov, "the coordinator of the report's regency or city verifies it"))
    if province_gov:
        found.append((province_gov, "the coordinator of the report's province verifies it"))
    found.append((NATIONAL_ADMIN, "the national admin verifies reports no agency was found for"))
    return found


def decide(
    category: str,
    region_code: str,
    rules: dict[str, Rule],
    government_of: Callable[[str], str | None],
    exists: Callable[[str], bool],
) -> Decision:
    for code, reason in candidates(category, region_code, rules, government_of):
        if code == NATIONAL_ADMIN or exists(code):
            return Decision(code, reason)
    raise AssertionError("unreachable: the national admin always exists")
