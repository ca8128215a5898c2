"""Load the demo data into the running system: `python -m services.sipp.demo`."""

from __future__ import annotations

import sys

from lapor.db import create_engine
from services.sipp.adapters import regions
from services.sipp.demo.build import demo_profiles, demo_standards
from services.sipp.demo.services import PROVINCES
from services.sipp.domain import Actor, catalogue
from services.sipp.handlers import register_agencies, set_profiles
from services.sipp.standards import load_agency, put_standard

DEMO_ACTOR = Actor("system-demo", None)


def main() -> int:
    engine = create_engine(pool_size=1)
    try:
        provinces = [p for p in regions.provinces() if p.code in PROVINCES]
        agencies = catalogue(
            regions.national_agencies(),
            provinces,
            regions.regencies_by_province(),
            regions.unit_types(),
        )
        added = register_agencies(engine, agencies)
        profiled = set_profiles(engine, demo_profiles(agencies, regions.unit_categories()))
        counts = {"published": 0, "revised": 0, "unchanged": 0}
        with engine.begin() as tx:
            for agency_code, slug, content in demo_standards():
                agency = load_agency(tx, agency_code)
                counts[put_standard(tx, DEMO_ACTOR, agency, slug, content)] += 1
        print(
            f"sipp demo: {len(agencies)} agencies ({added} newly registered, "
            f"{profiled} profiles set); "
            f"{sum(counts.values())} demo standards: {counts['published']} published, "
            f"{counts['revised']} revised, {counts['unchanged']} unchanged"
        )
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
