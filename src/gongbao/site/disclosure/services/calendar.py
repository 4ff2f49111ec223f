"""The working-day calendar as staff loaded it: every day of each loaded year, and what it lacks."""

from __future__ import annotations

from datetime import date

from gongbao.core.workdays import CalendarUnknown, is_working_day, year_schedule
from gongbao.site.disclosure.models import (
    CalendarDay,
)


def schedule() -> dict[date, bool]:
    """Staff-loaded State Council schedules: every day of each loaded year (rows win)."""
    rows = dict(CalendarDay.objects.values_list("day", "is_working"))
    out: dict[date, bool] = {}
    for year in sorted({d.year for d in rows}):
        out.update(year_schedule(year, rows))
    return out


def calendar_problem(day: date, extra: dict[date, bool] | None = None) -> str:
    """A plain message when the calendar does not know ``day``'s year, else ''."""
    try:
        is_working_day(day, extra if extra is not None else schedule())
    except CalendarUnknown as exc:
        return str(exc)
    return ""
