"""The working-day calendar as staff loaded it: every day of each loaded year, and what it lacks."""

from __future__ import annotations

from datetime import date, timedelta

from gongbao.core.workdays import CalendarUnknown
from gongbao.site.disclosure.models import (
    CalendarDay,
)


def schedule() -> dict[date, bool]:
    """Staff-loaded State Council schedules: every day of each loaded year (rows win)."""
    rows = dict(CalendarDay.objects.values_list("day", "is_working"))
    out: dict[date, bool] = {}
    for year in sorted({d.year for d in rows}):
        day = date(year, 1, 1)
        while day.year == year:
            out[day] = rows.get(day, day.weekday() < 5)
            day += timedelta(days=1)
    return out


def calendar_problem(day: date, extra: dict[date, bool] | None = None) -> str:
    """A plain message when the calendar does not know ``day``'s year, else ''."""
    try:
        from gongbao.core.workdays import is_working_day

        is_working_day(day, extra if extra is not None else schedule())
    except CalendarUnknown as exc:
        return str(exc)
    return ""
