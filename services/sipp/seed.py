"""Register the catalogue's agencies from real region data: `python -m services.sipp.seed`.

`SIPP_SEED_PROVINCES=32,31` limits the regions to those provinces (tests and
demos); by default all 38 provinces and 514 regencies and cities.
"""

from __future__ import annotations

import os

from lapor.db import create_engine
from services.sipp.adapters import regions
from services.sipp.domain import catalogue
from services.sipp.handlers import register_agencies


def main() -> None:
    only = {code for code in os.environ.get("SIPP_SEED_PROVINCES", "").split(",") if code}
    provinces = [p for p in regions.provinces() if not only or p.code in only]
    agencies = catalogue(
        regions.national_agencies(),
        provinces,
        regions.regencies_by_province(),
        regions.unit_types(),
    )
    engine = create_engine(pool_size=1)
    added = register_agencies(engine, agencies)
    print(f"sipp: {len(agencies)} agencies in the catalogue, {added} newly registered")


if __name__ == "__main__":
    main()
