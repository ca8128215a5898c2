"""Agencies of the catalogue, derived from Kemendagri regions and two data tables.

Codes use only `[a-z0-9-]` so that an agency code can end a topic routing key:
`pemprov-32`, `pemkot-3273`, `pemkab-3204`, `pemkot-3273-disdukcapil`, `kemenkes`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Region:
    code: str  # Kemendagri code, e.g. "32.73"
    name: str  # e.g. "Kota Bandung", "Jawa Barat"
    type: str  # provinsi | kabupaten | kota


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    kind: str
    region_code: str | None
    parent_code: str | None
    unit_type: str | None

    def as_event_data(self) -> dict:
        return asdict(self)


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
