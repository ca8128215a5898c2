"""Register the catalogue's agencies from real region data: `python -m services.sipp.seed`."""

from __future__ import annotations

from lapor.db import create_engine
from services.sipp.adapters import regions
from services.sipp.domain import catalogue
from services.sipp.handlers import register_agencies


def main() -> None:
    agencies = catalogue(
        regions.national_agencies(),
        regions.provinces(),
        regions.regencies_by_province(),
        regions.unit_types(),
    )
    engine = create_engine(pool_size=1)
    added = register_agencies(engine, agencies)
    print(f"sipp: {len(agencies)} agencies in the catalogue, {added} newly registered")


if __name__ == "__main__":
    main()
