"""Working days on the Indonesian calendar, cuti bersama included."""

from datetime import date

import pytest

from services.routing.calendar import Calendar, follow_up_days, official_holiday
from services.routing.tests.tree import at, end_of

# Idul Fitri 1447 H: 21-22 March 2026 (a weekend), with cuti bersama on Friday
# 20 and Monday 23 / Tuesday 24 March; Nyepi on Thursday 19 and its cuti
# bersama on Wednesday 18 March.
IDUL_FITRI_2026_LEAVE = [date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)]


def test_the_package_knows_the_2026_idul_fitri_cuti_bersama():
    for day in IDUL_FITRI_2026_LEAVE:
        assert "Eid al-Fitr" in official_holiday(day)
    assert official_holiday(date(2026, 3, 18)) is not None  # Nyepi cuti bersama
    assert official_holiday(date(2026, 3, 25)) is None


def test_working_days_skip_weekends_holidays_and_cuti_bersama():
    cal = Calendar()
    assert not cal.is_working_day(date(2026, 3, 21))  # Saturday and Idul Fitri
    assert not cal.is_working_day(date(2026, 3, 23))  # cuti bersama
    assert cal.is_working_day(date(2026, 3, 25))
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)


def test_three_working_days_across_idul_fitri_end_on_the_evening_of_the_third():
    # Tue 17 March: the 18th to the 24th are all off; 25, 26, 27 count
    assert Calendar().due_at(at(2026, 3, 17, 9), 3) == end_of(2026, 3, 27)


def test_the_day_is_the_jakarta_day_not_the_utc_one():
    from datetime import UTC, datetime

    # 16 March 18:00 UTC is already 17 March 01:00 in Jakarta
    late = datetime(2026, 3, 16, 18, 0, tzinfo=UTC)
    assert Calendar().due_at(late, 3) == end_of(2026, 3, 27)
    assert Calendar().due_at(at(2026, 3, 16, 23), 3) == end_of(2026, 3, 26)


def test_a_holiday_announced_late_moves_the_deadline():
    cal = Calendar(added=frozenset({date(2026, 3, 26)}))
    assert cal.due_at(at(2026, 3, 17, 9), 3) == end_of(2026, 3, 30)


def test_a_cancelled_cuti_bersama_is_a_working_day_again():
    cal = Calendar(cancelled=frozenset({date(2026, 3, 24)}))
    assert cal.is_working_day(date(2026, 3, 24))
    assert cal.due_at(at(2026, 3, 17, 9), 3) == end_of(2026, 3, 26)


def test_a_cancellation_never_turns_a_weekend_into_a_working_day():
    cal = Calendar(cancelled=frozenset({date(2026, 3, 22)}))
    assert not cal.is_working_day(date(2026, 3, 22))


@pytest.mark.parametrize(
    "report_type, complexity, days",
    [
        ("permintaan_informasi", "field_examination", 5),
        ("aspirasi", None, 5),
        ("pengaduan", "simple", 5),
        ("pengaduan", "standard", 14),
        ("pengaduan", None, 14),
        ("pengaduan", "field_examination", 60),
    ],
)
def test_follow_up_deadline_by_class(report_type, complexity, days):
    assert follow_up_days(report_type, complexity) == days


def test_sixty_working_days_span_the_eid_al_adha_and_other_holidays():
    # from Wed 1 April 2026: Good Friday 3 Apr, 1 May, Ascension 14-15 May,
    # Eid al-Adha 27-28 May, Pancasila 1 June, Islamic New Year 16 June
    due = Calendar().due_at(at(2026, 4, 1, 9), 60)
    # April 20 working days, May 16, June 20, then 1, 2, 3 and 6 July
    assert due == end_of(2026, 7, 6)
