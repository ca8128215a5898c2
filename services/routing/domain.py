"""Where a report goes: the authorised agency, or the coordinator of its region.

No wrong door: the candidates run from the most specific (the agency of a
service the report names, `standards.named_service`; then the unit the rule
names in the report's regency or city) to the national admin, and the first
one that exists in the catalogue is chosen. There is always one.

Each candidate carries a confidence (0 to 1) that it is the agency with the
authority to act, and a reason in English and Indonesian:

| candidate | confidence |
| --- | --- |
| a service the report names, by its name | 0.95 |
| a service the report names, by its words | 0.7 to 0.85 |
| the category's rule finds its agency | 0.9 |
| the same rule on a category intake inferred from the text | 0.5 |
| the agency the reporter named (target agency), alone | 0.5 |
| the coordinator of the report's regency, city or province | 0.3 |
| the national admin | 0.1 |

The reporter's target agency, when the catalogue knows it, is a second
opinion on the candidate chosen: the same agency makes it surer (both
confidences combined as independent evidence, 1 - (1 - a)(1 - b): a rule's 0.9
becomes 0.95, an inferred category's 0.5 becomes 0.75); another agency makes it
doubtful (a x (1 - 0.5): at most 0.475), so the region's coordinator verifies
first, the reason naming both. With no rule or service to agree with, the
reporter's agency stands alone at 0.5. A code the catalogue does not know
changes nothing but the reason. Below the threshold (ROUTING_MIN_CONFIDENCE,
0.6) the report goes to the verification queue of the coordinator of the
report's region, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

NATIONAL_ADMIN = "kemenpanrb"
RULE_CONFIDENCE = 0.9
INFERRED_CATEGORY_CONFIDENCE = 0.5
REPORTER_CONFIDENCE = 0.5
REGION_CONFIDENCE = 0.3
NATIONAL_CONFIDENCE = 0.1
DEFAULT_MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Reason:
    """Why, in English (`en`: agencies' systems, the API) and Indonesian (`id`)."""

    en: str
    id: str

    def then(self, en: str, id: str) -> Reason:
        """This reason followed by more words."""
        return Reason(self.en + en, self.id + id)


@dataclass(frozen=True)
class Rule:
    category: str
    target: str  # "unit:<unit_type>" in the report's regency/city, or "agency:<code>"
    why: str
    why_id: str  # the same in Indonesian


@dataclass(frozen=True)
class Decision:
    agency_code: str
    reason: str
    confidence: float
    reason_id: str  # the reason in Indonesian

    @classmethod
    def of(cls, agency_code: str, reason: Reason, confidence: float) -> Decision:
        return cls(agency_code, reason.en, round(confidence, 3), reason.id)


@dataclass(frozen=True)
class Candidate:
    agency_code: str
    reason: Reason
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
    why = Reason(rule.why, rule.why_id)
    if inferred:
        why = why.then(
            f" (the category {category!r} was inferred from the text)",
            f" (kategori {category!r} disimpulkan dari isi laporan)",
        )
    if rule.target.startswith("unit:") and regency_gov:
        return [Candidate(f"{regency_gov}-{rule.target[5:]}", why, confidence, False)]
    if rule.target.startswith("agency:"):
        return [Candidate(rule.target[7:], why, confidence, False)]
    return []


REGENCY_COORDINATOR = Reason(
    "the coordinator of the report's regency or city verifies it",
    "koordinator kabupaten/kota lokasi laporan memverifikasinya",
)
PROVINCE_COORDINATOR = Reason(
    "the coordinator of the report's province verifies it",
    "koordinator provinsi lokasi laporan memverifikasinya",
)
NATIONAL_VERIFIES = Reason(
    "the national admin verifies reports no agency was found for",
    "admin nasional memverifikasi laporan yang belum ditemukan instansinya",
)


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
        found.append(Candidate(regency_gov, REGENCY_COORDINATOR, REGION_CONFIDENCE, True))
    if province_gov:
        found.append(Candidate(province_gov, PROVINCE_COORDINATOR, REGION_CONFIDENCE, True))
    found.append(Candidate(NATIONAL_ADMIN, NATIONAL_VERIFIES, NATIONAL_CONFIDENCE, True))
    return found


def _either(a: float, b: float) -> float:
    """Two independent opinions for the same agency: wrong only if both are."""
    return 1 - (1 - a) * (1 - b)


def with_target(best: Candidate, target: str | None, known: bool) -> Candidate:
    """The chosen candidate in the light of the agency the reporter named:
    surer when it is the same, doubtful when another; the reporter's agency
    itself when nothing but a coordinator was found. An unknown code only
    adds to the reason."""
    if not target:
        return best
    if not known:
        unknown = best.reason.then(
            f"; the reporter named {target}, which is not in the catalogue",
            f"; pelapor menyebut {target}, yang tidak ada di katalog",
        )
        return replace(best, reason=unknown)
    if target == best.agency_code:
        agreed = best.reason.then(
            "; the reporter named it as the target agency too",
            "; pelapor juga memilihnya sebagai instansi tujuan",
        )
        surer = _either(best.confidence, REPORTER_CONFIDENCE)
        return replace(best, reason=agreed, confidence=surer)
    if best.coordinator:  # no rule or service has an opinion: the reporter's stands
        named_by_reporter = Reason(
            "named by the reporter as the target agency",
            "dipilih pelapor sebagai instansi tujuan",
        )
        return Candidate(target, named_by_reporter, REPORTER_CONFIDENCE, False)
    disputed = best.reason.then(
        f"; but the reporter named {target} as the target agency",
        f"; namun pelapor memilih {target} sebagai instansi tujuan",
    )
    return replace(best, reason=disputed, confidence=best.confidence * (1 - REPORTER_CONFIDENCE))


def _number(value: float, lang: str) -> str:
    shown = f"{value:.2f}"
    return shown.replace(".", ",") if lang == "id" else shown


def decide(
    category: str,
    region_code: str,
    rules: dict[str, Rule],
    government_of: Callable[[str], str | None],
    exists: Callable[[str], bool],
    inferred: bool = False,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    named: Candidate | None = None,
    target: str | None = None,
) -> Decision:
    """The owner of a new report. A match below `min_confidence` names the
    agency in the reason, but the region's coordinator verifies first.
    `named`: the candidate of a service the report names, if any; `target`:
    the agency code the reporter named, if any (known to the catalogue or not)."""

    def known(code: str) -> bool:
        return code == NATIONAL_ADMIN or exists(code)

    found = [
        c
        for c in candidates(category, region_code, rules, government_of, inferred, named)
        if known(c.agency_code)
    ]
    best = with_target(found[0], target, bool(target) and known(target))
    if best.coordinator or best.confidence >= min_confidence:
        return Decision.of(best.agency_code, best.reason, best.confidence)
    coordinator = next(c for c in found if c.coordinator)
    low, threshold = best.confidence, min_confidence
    reason = coordinator.reason.then(
        f": {best.agency_code} is the likeliest agency ({best.reason.en}) with confidence "
        f"{_number(low, 'en')}, below {_number(threshold, 'en')}",
        f": {best.agency_code} paling mungkin berwenang ({best.reason.id}) dengan keyakinan "
        f"{_number(low, 'id')}, di bawah {_number(threshold, 'id')}",
    )
    return Decision.of(coordinator.agency_code, reason, best.confidence)
