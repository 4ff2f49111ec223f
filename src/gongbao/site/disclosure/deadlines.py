"""Statutory time limits of the 政府信息公开条例, in working days, and the 信息处理费.

Reads: dates and an optional staff-loaded schedule. Writes: due dates. Every count
goes through ``gongbao.core.workdays`` (the one working-day module),
so a year the calendar does not know raises ``CalendarUnknown``: nothing is guessed.
No Django ORM here; ``services`` stores what these functions return.

Counting rule (``cn-rules`` §6): the start day itself is not counted (民法典 Art 201);
the n-th working day after it is the last day of the period.

- Art 31: the day an application counts as received depends on the channel.
- Art 33: reply within 20 working days of receipt; one extension of at most 20.
- Art 30: a 补正 notice within 7 working days of receipt; the reply period then
  runs from the day the corrected application is received.
- Arts 32/33: time spent consulting a third party (15 working days for its answer)
  is not counted. A pause from day S (letter sent) to day E (answer received)
  removes the working days after S up to and including E from the count.
- 国办函〔2020〕109号: payment within 20 working days of receiving the fee notice;
  the days a fee notice is outstanding are treated as a pause too (a choice: the
  national text is silent, see docs/disclosure.md).
- Art 26: proactive disclosure within 20 working days of forming the information.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from gongbao.core.workdays import CalendarUnknown, add_working_days, count_working_days

__all__ = [
    "CHANNELS",
    "CalendarUnknown",
    "count_working_days",
    "due_within",
    "fee_by_items",
    "fee_by_pages",
    "receipt_date",
    "reply_due",
]

REPLY_DAYS = 20
MAX_EXTENSION_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
CONSULTATION_DAYS = 15
FEE_PAYMENT_DAYS = 20
MESSAGE_ANSWER_DAYS = 2
PUBLICATION_DAYS = 20
DUE_SOON_DAYS = 3

IN_PERSON, POST, ONLINE, FAX = "in_person", "post", "online", "fax"
CHANNELS = [
    (IN_PERSON, "当面提交"),
    (POST, "邮寄"),
    (ONLINE, "互联网（在线申请）"),
    (FAX, "传真"),
]

Schedule = Mapping[date, bool] | None
Pause = tuple[date, date]


def receipt_date(
    channel: str,
    submitted_on: date,
    *,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """Art 31: the day an application counts as received.

    In person: the day submitted. Post: the day the office signs for it (an
    ordinary letter: the day the office confirms it with the applicant, passed
    as ``confirmed_on``). Online and fax: the day both sides confirm; the online
    form confirms at once with a registration number, so that is the day
    submitted unless staff record a later confirmation.
    """
    if channel == IN_PERSON:
        return submitted_on
    if channel == POST:
        day = signed_on or confirmed_on
        if day is None:
            raise ValueError("邮寄申请须填写签收日期（平常信函填写与申请人确认之日）")
        return day
    if channel in (ONLINE, FAX):
        return confirmed_on or submitted_on
    raise ValueError(f"未知的申请渠道：{channel}")


def _paused(day: date, pauses: Iterable[Pause]) -> bool:
    return any(start < day <= end for start, end in pauses)


def add_counted_days(
    start: date, n: int, pauses: Iterable[Pause] = (), schedule: Schedule = None
) -> date:
    """The n-th working day after ``start`` that falls outside every pause
    (``workdays.add_working_days`` with the paused days skipped)."""
    pauses = list(pauses)
    skip = (lambda day: _paused(day, pauses)) if pauses else None
    return add_working_days(start, n, schedule, skip=skip)


def reply_due(
    clock_start: date,
    *,
    extension_days: int = 0,
    pauses: Iterable[Pause] = (),
    schedule: Schedule = None,
) -> date:
    """Art 33: the last day to reply, counted from receipt (or the corrected application)."""
    if not 0 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"延长答复期限最长不超过{MAX_EXTENSION_DAYS}个工作日")
    return add_counted_days(clock_start, REPLY_DAYS + extension_days, pauses, schedule)


def correction_notice_due(received_on: date, schedule: Schedule = None) -> date:
    """Art 30: the last day to send the single 补正 notice."""
    return add_counted_days(received_on, CORRECTION_NOTICE_DAYS, schedule=schedule)


def consultation_due(third_party_received_on: date, schedule: Schedule = None) -> date:
    """Art 32: the third party's last day to answer."""
    return add_counted_days(third_party_received_on, CONSULTATION_DAYS, schedule=schedule)


def fee_payment_due(notice_received_on: date, schedule: Schedule = None) -> date:
    """109号: the last day to pay; after it the application counts as withdrawn."""
    return add_counted_days(notice_received_on, FEE_PAYMENT_DAYS, schedule=schedule)


def message_due(received_on: date, schedule: Schedule = None) -> date:
    """Plan task （34）: a public message is answered within 2 working days."""
    return add_counted_days(received_on, MESSAGE_ANSWER_DAYS, schedule=schedule)


def publication_due(formed_on: date, schedule: Schedule = None) -> date:
    """Art 26: the last day to disclose proactively after the information was formed."""
    return add_counted_days(formed_on, PUBLICATION_DAYS, schedule=schedule)


def due_within(
    today: date, due: date, days: int = DUE_SOON_DAYS, schedule: Schedule = None
) -> bool:
    """Is ``due`` today or within the next ``days`` working days (and not past)?"""
    return today <= due <= add_counted_days(today, days, schedule=schedule)


# -- 信息处理费 (国办函〔2020〕109号) -------------------------------------------------


def item_price(n: int) -> int:
    """Yuan for the applicant's n-th item in a calendar month (按件, Art 4)."""
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 * (2 + (n - 31) // 10)


def fee_by_items(earlier_items_this_month: int, items: int) -> int:
    """按件: the fee for ``items`` more items after ``earlier_items_this_month`` this month."""
    first = earlier_items_this_month + 1
    return sum(item_price(n) for n in range(first, first + items))


def page_price(n: int) -> int:
    """Yuan for page n of one application (按量, Art 5): 1–30 free, then 10/20/40."""
    if n <= 30:
        return 0
    if n <= 100:
        return 10
    if n <= 200:
        return 20
    return 40


def fee_by_pages(pages: int) -> int:
    """按量: progressive by band, each page priced by the band it falls in."""
    return sum(page_price(n) for n in range(1, pages + 1))
