"""Agencies of the catalogue, derived from Kemendagri regions and two data tables.

Codes use only `[a-z0-9-]` so that an agency code can end a topic routing key:
`pemprov-32`, `pemkot-3273`, `pemkab-3204`, `pemkot-3273-disdukcapil`, `kemenkes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lapor.contracts.agency import Agency
from lapor.contracts.errors import Conflict, Forbidden, Invalid, NotFound


@dataclass(frozen=True)
class Region:
    code: str  # Kemendagri code, e.g. "32.73"
    name: str  # e.g. "Kota Bandung", "Jawa Barat"
    type: str  # provinsi | kabupaten | kota


def government_code(region: Region) -> str:
    prefix = {"provinsi": "pemprov", "kabupaten": "pemkab", "kota": "pemkot"}[region.type]
    return f"{prefix}-{region.code.replace('.', '')}"


def government(region: Region, parent_code: str | None) -> Agency:
    if region.type == "provinsi":
        return Agency(
            government_code(region),
            f"Pemerintah Provinsi {region.name}",
            "province",
            region.code,
            parent_code,
            None,
        )
    kind = "city" if region.type == "kota" else "regency"
    return Agency(
        government_code(region), f"Pemerintah {region.name}", kind, region.code, parent_code, None
    )


def units(region: Region, unit_types: list[tuple[str, str]]) -> list[Agency]:
    """The standard OPD of a regency or city, e.g. its Disdukcapil and RSUD."""
    parent = government_code(region)
    return [
        Agency(
            f"{parent}-{unit_type}", f"{name} {region.name}", "unit", region.code, parent, unit_type
        )
        for unit_type, name in unit_types
    ]


def catalogue(
    national: list[Agency],
    provinces: list[Region],
    regencies: dict[str, list[Region]],
    unit_types: list[tuple[str, str]],
) -> list[Agency]:
    """Every agency: national ones, then each province with its regencies and their units."""
    agencies = list(national)
    for province in provinces:
        agencies.append(government(province, None))
        for regency in regencies.get(province.code, []):
            agencies.append(government(regency, government_code(province)))
            agencies.extend(units(regency, unit_types))
    return agencies


# --- service standards: draft -> published -> revised (new versions) -> withdrawn ---

PRIORITY_UNITS = ("disdukcapil", "dpmptsp", "rsud")  # the "well connected" rule


@dataclass
class Standard:
    """A standard as its own events leave it (stream `standard-<id>`)."""

    standard_id: str
    agency_code: str | None = None
    region_code: str | None = None
    status: str = "new"  # new | draft | published | withdrawn
    version: int = 0  # the last published version; 0 before the first
    content: dict | None = None
    stream_version: int = 0

    @classmethod
    def from_events(cls, standard_id: str, events: list[tuple[str, dict]]) -> Standard:
        state = cls(standard_id)
        for type_, data in events:
            state.apply(type_, data)
        return state

    def apply(self, type_: str, data: dict) -> None:
        self.stream_version += 1
        self.agency_code, self.region_code = data["agency_code"], data["region_code"]
        if type_ == "standard.drafted":
            self.status, self.content = "draft", data["content"]
        elif type_ in ("standard.published", "standard.revised"):
            self.status, self.version, self.content = "published", data["version"], data["content"]
        elif type_ == "standard.withdrawn":
            self.status = "withdrawn"


@dataclass(frozen=True)
class Actor:
    """Who acts: an agency admin (`admin-<id>`, bound to one agency) or a loader."""

    id: str
    agency_code: str | None  # None: a system loader that may act for any agency


def _owner_check(actor: Actor, agency_code: str) -> None:
    if actor.agency_code is not None and actor.agency_code != agency_code:
        raise Forbidden(
            f"An admin of {actor.agency_code} may not change the standards of {agency_code}."
        )


def _base(state: Standard, actor: Actor) -> dict:
    return {
        "standard_id": state.standard_id,
        "agency_code": state.agency_code,
        "region_code": state.region_code,
        "actor": actor.id,
    }


def draft(state: Standard, actor: Actor, agency: Agency, content: dict) -> list[tuple[str, dict]]:
    _owner_check(actor, agency.code)
    if state.status not in ("new", "draft"):
        raise Conflict(f"{state.standard_id} is {state.status}; revise it instead.")
    state.agency_code, state.region_code = agency.code, agency.region_code
    return [("standard.drafted", {**_base(state, actor), "content": content})]


def publish(
    state: Standard, actor: Actor, agency: Agency, content: dict | None
) -> list[tuple[str, dict]]:
    """Publish a new standard, or the draft (with `content` replacing the draft's)."""
    _owner_check(actor, agency.code)
    if state.status in ("published", "withdrawn"):
        raise Conflict(f"{state.standard_id} is already {state.status}; revise it instead.")
    content = content if content is not None else state.content
    if content is None:
        raise Invalid("Nothing to publish: give the standard's content.")
    state.agency_code, state.region_code = agency.code, agency.region_code
    return [("standard.published", {**_base(state, actor), "version": 1, "content": content})]


def revise(
    state: Standard, actor: Actor, content: dict, note: str | None
) -> list[tuple[str, dict]]:
    """A new version; every earlier one stays readable. A withdrawn standard may
    come back through a revision."""
    if state.status == "new":
        raise NotFound(f"No standard {state.standard_id}.", field="standard_id")
    _owner_check(actor, state.agency_code)
    if state.status == "draft":
        raise Conflict(f"{state.standard_id} is a draft; publish it first.")
    if content == state.content and state.status == "published":
        return []  # nothing changed: no new version
    return [
        (
            "standard.revised",
            {**_base(state, actor), "version": state.version + 1, "content": content, "note": note},
        )
    ]


WITHDRAW_REASON_MAX = 2000  # the contract's limit (standard.withdrawn)


def withdraw(state: Standard, actor: Actor, reason: object) -> list[tuple[str, dict]]:
    """Take a published standard out of the catalogue; the reason (required)
    tells its readers why. Its versions stay readable."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise Invalid({"reason": ["Say why the standard is withdrawn."]})
    if len(reason) > WITHDRAW_REASON_MAX:
        raise Invalid({"reason": [f"Length must be between 1 and {WITHDRAW_REASON_MAX}."]})
    if state.status == "new":
        raise NotFound(f"No standard {state.standard_id}.", field="standard_id")
    _owner_check(actor, state.agency_code)
    if state.status != "published":
        raise Conflict(f"{state.standard_id} is {state.status}; only a published one is withdrawn.")
    return [
        ("standard.withdrawn", {**_base(state, actor), "version": state.version, "reason": reason})
    ]


def compliance(governments: list[dict], published_by_unit: dict[str, int]) -> list[dict]:
    """Each regency or city government: is each priority unit publishing standards?

    `governments`: {code, name, region_code}; `published_by_unit`: agency code ->
    number of published standards. A government is well connected when its
    Disdukcapil, DPMPTSP and RSUD each have at least one.
    """
    report = []
    for gov in governments:
        counts = {
            unit: published_by_unit.get(f"{gov['code']}-{unit}", 0) for unit in PRIORITY_UNITS
        }
        missing = [unit for unit, n in counts.items() if n == 0]
        report.append(
            {
                **gov,
                "well_connected": not missing,
                "missing_units": missing,
                "published": counts,
            }
        )
    return report
