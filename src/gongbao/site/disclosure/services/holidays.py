"""Loading the State Council's holiday schedule (a year's days, or the notice's text); the
due dates of open requests follow it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from gongbao.core.holidays import HolidayNotice, NoticeError, read_notice
from gongbao.site.actors import Actor
from gongbao.site.disclosure.models import (
    CalendarDay,
)
from gongbao.site.disclosure.services.common import DisclosureError, audit
from gongbao.site.disclosure.services.requests import refresh_open_requests


def load_calendar(
    year: int, holidays: Iterable[date], workdays: Iterable[date], user: Actor = None
) -> int:
    """Load one year's notice: its rest days (holidays and 调休) and its make-up working days."""
    holidays, workdays = sorted(set(holidays)), sorted(set(workdays))
    for day in [*holidays, *workdays]:
        if day.year != year:
            raise DisclosureError(f"{day} 不在{year}年内")
    if set(holidays) & set(workdays):
        raise DisclosureError("同一天不能既放假又上班")
    with transaction.atomic():
        CalendarDay.objects.filter(day__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(day=d, is_working=False, note="放假") for d in holidays]
            + [CalendarDay(day=d, is_working=True, note="调休上班") for d in workdays]
        )
        audit(
            f"calendar:{year}",
            "录入放假调休安排",
            user,
            after=f"放假{len(holidays)}天，上班{len(workdays)}天",
        )
        refresh_open_requests()
    return len(holidays) + len(workdays)


def load_notice(
    text: str, year: int | None = None, user: Actor = None
) -> tuple[HolidayNotice, int]:
    """Load the year's schedule from the text of the State Council's notice.

    Days the notice names in another year (a 元旦 from 12月31日) belong to that
    year's notice and are not loaded; ``notice.outside_year()`` lists them.
    """
    try:
        notice = read_notice(text, year)
    except NoticeError as exc:
        raise DisclosureError(str(exc)) from exc
    n = load_calendar(
        notice.year, notice.in_year(notice.holidays), notice.in_year(notice.workdays), user
    )
    return notice, n
