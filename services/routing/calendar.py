"""Indonesian working days and the case deadlines counted in them.

A working day is Monday to Friday, except national holidays and cuti bersama
(collective leave, the `government` category of `holidays`), plus the days in
routing's table of holidays announced late (`added`), minus those cancelled
late (`cancelled`). A deadline of n working days ends at 23:59:59 Asia/Jakarta
of the n-th working day after the day the stage starts.

>>> cal = Calendar()
>>> cal.due_at(datetime(2026, 3, 17, 9, 0, tzinfo=JAKARTA), 3).isoformat()
'2026-03-27T23:59:59+07:00'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

JAKARTA = ZoneInfo("Asia/Jakarta")
END_OF_DAY = time(23, 59, 59)

# DOMAIN.md section 6: deadlines in working days
VERIFICATION_DAYS = 3  # verification and dispatch
CLOSURE_DAYS = 10  # closure after a response the reporter did not answer
FOLLOW_UP_DAYS = {"simple": 5, "standard": 14, "field_examination": 60}
# information requests and aspirations are answered like simple complaints
LIGHT_REPORT_TYPES = ("permintaan_informasi", "aspirasi")


def follow_up_days(report_type: str | None, complexity: str | None) -> int:
    """The follow-up deadline of a report's class; unclassified counts as standard."""
    if report_type in LIGHT_REPORT_TYPES:
        return FOLLOW_UP_DAYS["simple"]
    return FOLLOW_UP_DAYS.get(complexity or "standard", FOLLOW_UP_DAYS["standard"])


@cache
def _official() -> holidays.HolidayBase:
    # one instance: it fills in years on first use and keeps them
    return holidays.country_holidays("ID", categories=("public", "government"))


def official_holiday(day: date) -> str | None:
    """The name of a national holiday or cuti bersama on `day`, if any."""
    return _official().get(day)


@dataclass(frozen=True)
class Calendar:
    added: frozenset[date] = field(default_factory=frozenset)
    cancelled: frozenset[date] = field(default_factory=frozenset)

    def is_holiday(self, day: date) -> bool:
        if day in self.added:
            return True
        return day not in self.cancelled and official_holiday(day) is not None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (`start` itself never counts)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def due_at(self, start: datetime, n: int) -> datetime:
        """End of the n-th working day after the (Jakarta) day of `start`."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        day = self.add_working_days(start.astimezone(JAKARTA).date(), n)
        return datetime.combine(day, END_OF_DAY, tzinfo=JAKARTA)
