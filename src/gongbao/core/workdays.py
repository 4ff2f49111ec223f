"""Working days (工作日) of the Chinese government calendar: the one calendar function.

Reads: dates. Writes: whether a day is a working day, the day ``n`` working days
after a start day (some days skipped, for paused periods), the working days
between two days, and a year's schedule from the days a notice lists. Every
working-day count of the project goes through here. A working day is Monday–Friday outside the statutory
holidays and 调休 rest days, plus the weekend days the State Council's annual
notice makes working days (``docs/tasks.md``; ``cn-rules`` §6). The schedule
comes from the ``chinesecalendar`` package (import name ``chinese_calendar``).

The package only knows the years whose notice has been published. For any other
year both functions raise ``CalendarUnknown`` with a message naming the year:
a deadline is never guessed. ``extra_schedule`` lets a caller supply a schedule
(e.g. one staff entered from the notice before the package caught up): a mapping
``date → True`` (working day) / ``False`` (rest day); its days win over the package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import lru_cache

_MAX_STEPS = 3660  # ten years of calendar days: a bound for add_working_days


class CalendarUnknown(Exception):
    """The working-day calendar of a year is not known; the message is for the user."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的工作日安排（国务院办公厅放假通知）尚未收录，无法按工作日计算期限；"
            "请更新 chinesecalendar 或录入当年的调休安排。"
        )


def is_working_day(day: date, extra_schedule: Mapping[date, bool] | None = None) -> bool:
    """Is ``day`` a working day? Raises ``CalendarUnknown`` for a year without a schedule."""
    if extra_schedule is not None and day in extra_schedule:
        return bool(extra_schedule[day])
    return _package_working_day(day)


@lru_cache(maxsize=8192)
def _package_working_day(day: date) -> bool:
    """The package's answer, remembered (a published schedule never changes)."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise CalendarUnknown(day.year) from exc


def add_working_days(
    start: date,
    n: int,
    extra_schedule: Mapping[date, bool] | None = None,
    *,
    skip: Callable[[date], bool] | None = None,
) -> date:
    """The ``n``-th working day after ``start`` (the start day itself is not counted).

    ``skip``: working days that do not count either (a request's paused days).
    ``n`` = 0 returns ``start``. Raises ``CalendarUnknown`` when the count reaches
    a year the calendar does not know, and ``ValueError`` for a negative ``n``.
    """
    if n < 0:
        raise ValueError("工作日数不能为负数")
    day, counted = start, 0
    for _ in range(_MAX_STEPS):
        if counted == n:
            return day
        day += timedelta(days=1)
        if is_working_day(day, extra_schedule) and not (skip is not None and skip(day)):
            counted += 1
    raise ValueError(f"{n}个工作日超出可计算范围")


def count_working_days(
    start: date, end: date, extra_schedule: Mapping[date, bool] | None = None
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, extra_schedule):
            n += 1
    return n


def year_schedule(year: int, days: Mapping[date, bool]) -> dict[date, bool]:
    """Every day of ``year`` as a schedule: the listed ``days`` win, other days are
    working days Monday to Friday (a year loaded from the State Council's notice)."""
    out: dict[date, bool] = {}
    day = date(year, 1, 1)
    while day.year == year:
        out[day] = days.get(day, day.weekday() < 5)
        day += timedelta(days=1)
    return out


def add_days(
    start: date, n: int, working: bool, extra_schedule: Mapping[date, bool] | None = None
) -> date:
    """``n`` working days when ``working``, else ``n`` calendar days, after ``start``."""
    return add_working_days(start, n, extra_schedule) if working else start + timedelta(days=n)
