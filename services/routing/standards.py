"""The service a report names, among the SIPP catalogue's published standards.

Routing keeps each standard as its last event left it (`standard.published`,
`standard.revised`, `standard.withdrawn`): `apply_standard_event`. A report
names a service when its title or description, normalised like every
Indonesian text here (lower case, Sastrawi stems: `penerbitan` -> `terbit`),

- contains the service's name, its parenthesised remarks left out: "Penerbitan
  KTP-el" in "penerbitan KTP-el saya ditolak" (confidence 0.95); or
- contains every word of the name in any order, or at least half of them
  including two distinctive ones (not a function word like `dan`, nor a word
  most service names share like `penerbitan`, `pelayanan`, `baru`): confidence
  0.55 + 0.3 x the share of the name's words found (0.7 to 0.85).

Only published standards of agencies in the report's region compete: of its
regency or city (and the districts in it), of its province, or national (no
region). The best match wins; on a tie the more local agency, then the
smaller standard id. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from lapor.text import canonical_words, stem, words
from services.routing.domain import Candidate, Reason, regency_code

NAME_CONFIDENCE = 0.95
WORDS_BASE_CONFIDENCE = 0.55
WORDS_CONFIDENCE_SPAN = 0.3
MIN_SHARE = 0.5
MIN_DISTINCTIVE = 2
FUNCTION_WORDS = frozenset(
    "dan atau serta karena akibat yang di ke dari untuk bagi dengan pada oleh dalam "
    "tentang atas per secara".split()
)
# stems most service names share: they name no particular service
GENERIC_WORDS = frozenset(
    "layan terbit urus buat mohon aju daftar baru ulang online daring".split()
)
_REMARK = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Standard:
    standard_id: str
    agency_code: str
    region_code: str | None  # the agency's; None for a national agency
    service_name: str
    category: str
    version: int
    withdrawn: bool = False


def apply_standard_event(current: Standard | None, event_type: str, data: dict) -> Standard | None:
    """The standard as `event_type` leaves it (events come in stream order);
    None for the withdrawal of a standard routing never saw published."""
    if event_type == "standard.withdrawn":
        return replace(current, version=data["version"], withdrawn=True) if current else None
    content = data["content"]
    return Standard(
        data["standard_id"],
        data["agency_code"],
        data["region_code"],
        content["service_name"],
        content["category"],
        data["version"],
    )


def locality(standard_region: str | None, report_region: str) -> int | None:
    """How near the standard's agency is to the report: 0 its regency or city,
    1 its province, 2 national; None outside the report's region."""
    if standard_region is None:
        return 2
    regency = regency_code(report_region)
    if regency and (standard_region == regency or standard_region.startswith(regency + ".")):
        return 0
    return 1 if standard_region == report_region.split(".")[0] else None


@dataclass(frozen=True)
class Match:
    standard: Standard
    confidence: float
    found: tuple[str, ...]  # the name's words the report contains; empty for the whole name


def _contains(sequence: list[str], part: list[str]) -> bool:
    n = len(part)
    return n > 0 and any(sequence[i : i + n] == part for i in range(len(sequence) - n + 1))


def _enough(share: float, distinctive: int) -> bool:
    """All of the name's words, or half of them with two distinctive ones."""
    if distinctive == 0:
        return False
    return share == 1 or (share >= MIN_SHARE and distinctive >= MIN_DISTINCTIVE)


def match(report_words: list[str], standard: Standard) -> Match | None:
    """How the report (its canonical words) names the standard's service, if it does."""
    name = _REMARK.sub(" ", standard.service_name)
    if _contains(report_words, canonical_words(name)):
        return Match(standard, NAME_CONFIDENCE, ())
    pairs = {}  # canonical word -> the word as the name writes it
    for word in words(name):
        pairs.setdefault(stem(word), word)
    named = {w: shown for w, shown in pairs.items() if w not in FUNCTION_WORDS}
    found = [w for w in named if w in set(report_words)]
    distinctive = [w for w in found if w not in GENERIC_WORDS]
    share = len(found) / len(named) if named else 0.0
    if not _enough(share, len(distinctive)):
        return None
    confidence = WORDS_BASE_CONFIDENCE + WORDS_CONFIDENCE_SPAN * share
    return Match(standard, round(confidence, 3), tuple(named[w] for w in found))


def best_match(text: str, region_code: str, standards: Iterable[Standard]) -> Match | None:
    """The published standard in the report's region its text names best."""
    report_words = canonical_words(text)
    ranked = []
    for standard in standards:
        near = locality(standard.region_code, region_code)
        if standard.withdrawn or near is None:
            continue
        found = match(report_words, standard)
        if found:
            ranked.append((-found.confidence, near, standard.standard_id, found))
    return min(ranked, key=lambda r: r[:3])[3] if ranked else None


def named_service(
    text: str,
    region_code: str,
    standards: Iterable[Standard],
    name_of: Callable[[str], str | None],
) -> Candidate | None:
    """The candidate the report's named service makes: its standard's agency."""
    found = best_match(text, region_code, standards)
    if found is None:
        return None
    standard = found.standard
    agency = name_of(standard.agency_code) or standard.agency_code
    reason = Reason(
        f"the report names the service {standard.service_name!r} of {agency} "
        f"(SIPP standard {standard.standard_id})",
        f"laporan menyebut layanan {standard.service_name!r} dari {agency} "
        f"(standar SIPP {standard.standard_id})",
    )
    if found.found:
        mentioned = ", ".join(repr(w) for w in found.found)
        reason = reason.then(f": it mentions {mentioned}", f": memuat kata {mentioned}")
    return Candidate(standard.agency_code, reason, found.confidence, False)
