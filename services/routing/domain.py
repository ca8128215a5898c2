"""Where a report goes: the authorised agency, or the coordinator of its region.

No wrong door: the candidates run from the most specific (the agency of a
service the report names, `standards.named_service`; then the unit the rule
names in the report's regency or city) to the national admin, and the first
one that exists in the catalogue is chosen. There is always one.

Each candidate carries a confidence (0 to 1) that it is the agency with the
authority to act. A service the report names is surest (0.95 by its name,
0.7 to 0.85 by its words). An explicit rule that finds its agency is sure
(0.9); the same rule on a category intake inferred from the text is not (0.5); a
coordinator chosen only by region knows nothing of the authority (0.3), the
national admin even less (0.1). Below the threshold the report goes to the
verification queue of the coordinator of the report's region, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

NATIONAL_ADMIN = "kemenpanrb"
RULE_CONFIDENCE = 0.9
INFERRED_CATEGORY_CONFIDENCE = 0.5
REGION_CONFIDENCE = 0.3
NATIONAL_CONFIDENCE = 0.1
DEFAULT_MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Rule:
    category: str
    target: str  # "unit:<unit_type>" in the report's regency/city, or "agency:<code>"
    why: str


@dataclass(frozen=True)
class Decision:
    agency_code: str
    reason: str
    confidence: float = REGION_CONFIDENCE


@dataclass(frozen=True)
class Candidate:
    agency_code: str
    reason: str
    confidence: float
    coordinator: bool  # a government's (or the national) verification queue


def regency_code(region_code: str) -> str | None:
    parts = region_code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def _rule_candidates(
    category: str, rule: Rule | None, regency_gov: str | None, inferred: bool
) -> list[Candidate]:
    if rule is None:
        return []
    confidence = INFERRED_CATEGORY_CONFIDENCE if inferred else RULE_CONFIDENCE
    why = rule.why
    if inferred:
        why += f" (the category {category!r} was inferred from the text)"
    if rule.target.startswith("unit:") and regency_gov:
        return [Candidate(f"{regency_gov}-{rule.target[5:]}", why, confidence, False)]
    if rule.target.startswith("agency:"):
        return [Candidate(rule.target[7:], why, confidence, False)]
    return []


def candidates(
    category: str,
    region_code: str,
    rules: dict[str, Rule],
    government_of: Callable[[str], str | None],
    inferred: bool = False,
    named: Candidate | None = None,
) -> list[Candidate]:
    """From the most to the least specific (a named service before the
    category's rule); the national admin closes the list."""
    regency = regency_code(region_code)
    regency_gov = government_of(regency) if regency else None
    province_gov = government_of(region_code.split(".")[0])
    found = [named] if named else []
    found += _rule_candidates(category, rules.get(category), regency_gov, inferred)
    if regency_gov:
        found.append(
            Candidate(
                regency_gov,
                "the coordinator of the report's regency or city verifies it",
                REGION_CONFIDENCE,
                True,
            )
        )
    if province_gov:
        found.append(
            Candidate(
                province_gov,
                "the coordinator of the report's province verifies it",
                REGION_CONFIDENCE,
                True,
            )
        )
    found.append(
        Candidate(
            NATIONAL_ADMIN,
            "the national admin verifies reports no agency was found for",
            NATIONAL_CONFIDENCE,
            True,
        )
    )
    return found


def decide(
    category: str,
    region_code: str,
    rules: dict[str, Rule],
    government_of: Callable[[str], str | None],
    exists: Callable[[str], bool],
    inferred: bool = False,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    named: Candidate | None = None,
) -> Decision:
    """The owner of a new report. A match below `min_confidence` names the
    agency in the reason, but the region's coordinator verifies first.
    `named`: the candidate of a service the report names, if any."""
    found = [
        c
        for c in candidates(category, region_code, rules, government_of, inferred, named)
        if c.agency_code == NATIONAL_ADMIN or exists(c.agency_code)
    ]
    best = found[0]
    if best.coordinator or best.confidence >= min_confidence:
        return Decision(best.agency_code, best.reason, best.confidence)
    coordinator = next(c for c in found if c.coordinator)
    reason = (
        f"{coordinator.reason}: the rules point to {best.agency_code} ({best.reason}) "
        f"with confidence {best.confidence:.1f}, below {min_confidence:.1f}"
    )
    return Decision(coordinator.agency_code, reason, best.confidence)
