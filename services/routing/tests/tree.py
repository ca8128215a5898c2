"""A small agency tree for the routing tests: two tiers of government, units
and a sub-unit, a ministry and the national admin."""

from __future__ import annotations

import random
from datetime import datetime

from services.routing.calendar import JAKARTA, Calendar
from services.routing.lifecycle import Agency, Context

AGENCIES = {
    a.code: a
    for a in [
        Agency("kemenpanrb", "KemenPANRB", "ministry", None, None),
        Agency("kemenkes", "Kementerian Kesehatan", "ministry", None, None),
        Agency("pemprov-32", "Pemerintah Provinsi Jawa Barat", "province", "32", None),
        Agency("pemkot-3273", "Pemerintah Kota Bandung", "city", "32.73", "pemprov-32"),
        Agency("pemkab-3204", "Pemerintah Kabupaten Bandung", "regency", "32.04", "pemprov-32"),
        Agency("pemkot-3273-disdukcapil", "Disdukcapil Kota Bandung", "unit", "32.73",
               "pemkot-3273"),
        Agency("pemkot-3273-disdukcapil-pendaftaran", "Bidang Pendaftaran Penduduk", "unit",
               "32.73", "pemkot-3273-disdukcapil"),
        Agency("pemkot-3273-dpmptsp", "DPMPTSP Kota Bandung", "unit", "32.73", "pemkot-3273"),
        Agency("pemkot-3273-dinkes", "Dinas Kesehatan Kota Bandung", "unit", "32.73",
               "pemkot-3273"),
        Agency("pemkab-3204-disdukcapil", "Disdukcapil Kabupaten Bandung", "unit", "32.04",
               "pemkab-3204"),
    ]
}  # fmt: skip
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def tracking_id() -> str:
    return "LAP-" + "".join(random.choice(CROCKFORD) for _ in range(10))


def at(*args: int) -> datetime:
    """A moment in Jakarta time: at(2026, 3, 17, 9) is 17 March 2026, 09:00 WIB."""
    return datetime(*args, tzinfo=JAKARTA)


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=JAKARTA)


def context(now: datetime, calendar: Calendar | None = None, reports=()) -> Context:
    return Context(now, calendar or Calendar(), AGENCIES.get, set(reports).__contains__)
