"""The one working-day module: counts with skipped days, spans, a loaded year's schedule."""

from __future__ import annotations

from datetime import date

from gongbao.core.workdays import add_working_days, count_working_days, year_schedule


def test_skipped_days_do_not_count() -> None:
    # 2018-08-01 is a Wednesday; 08-02, 03, 06, 07 are the next four working days
    assert add_working_days(date(2018, 8, 1), 2) == date(2018, 8, 3)
    paused = {date(2018, 8, 2), date(2018, 8, 3)}
    assert add_working_days(date(2018, 8, 1), 2, skip=paused.__contains__) == date(2018, 8, 7)


def test_count_working_days_is_the_inverse_of_adding() -> None:
    start = date(2018, 9, 28)  # before the National Day week
    for n in (0, 1, 5, 20):
        assert count_working_days(start, add_working_days(start, n)) == n
    assert count_working_days(date(2018, 8, 3), date(2018, 8, 1)) == 0


def test_a_loaded_year_lists_its_days_and_defaults_to_monday_to_friday() -> None:
    listed = {date(2031, 1, 1): False, date(2031, 1, 4): True}  # a Wednesday off, a Saturday on
    days = year_schedule(2031, listed)
    assert len(days) == 365
    assert days[date(2031, 1, 1)] is False and days[date(2031, 1, 4)] is True
    assert days[date(2031, 1, 2)] is True and days[date(2031, 1, 5)] is False
    assert add_working_days(date(2031, 1, 3), 1, days) == date(2031, 1, 4)
