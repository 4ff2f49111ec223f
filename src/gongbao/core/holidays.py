"""The State Council's holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知), read.

Reads: the text of the notice. Writes: a ``HolidayNotice``: the year, and per
festival its rest days (放假, 补休) and its make-up working days (上班), the
schedule that ``gongbao.core.workdays`` takes as ``extra_schedule``.

The notice's items look like::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    三、清明节：4月5日放假，4月7日（星期一）补休。

A range (``至``) may cross a month (``4月30日至5月4日``) or a year (a date with
its own year, or an end before its start). A date without a year is in the
notice's year; a date without a month is in the month of the date before it.
What the notice says twice is checked, never trusted blindly: the weekday in
brackets must be that date's weekday (a wrong year shows here), and ``共N天``
must count the item's rest days. Any disagreement raises ``NoticeError`` with a
one-line message: a schedule that decides legal deadlines is never guessed.
Pure Python; no Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Festival", "HolidayNotice", "NoticeError", "read_notice"]

_WEEKDAYS = "一二三四五六日"
_ITEM = re.compile(r"^\s*[一二三四五六七八九十]{1,3}、\s*([^:：]{1,20})[:：](.*)$")
_YEAR = re.compile(r"(?:关于|现将)\s*(\d{4})\s*年")
# A date as the notice prints it, after NFKC: [2021年][1月]3日, then any brackets.
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(\([^()]*\))?")
_RANGE = re.compile(rf"{_DATE.pattern}(?:至{_DATE.pattern})?")
_WEEKDAY = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")
_COUNT = re.compile(r"(?:共|放假)(\d{1,2})天")
_CLAUSE_END = re.compile(r"[。，,;；]")


class NoticeError(ValueError):
    """The notice cannot be read as a schedule; the message is one line for the user."""


@dataclass(frozen=True)
class Festival:
    """One item of the notice: 春节, its rest days and its make-up working days."""

    name: str
    rest_days: tuple[date, ...]
    working_days: tuple[date, ...]


@dataclass(frozen=True)
class HolidayNotice:
    """A year's schedule as the notice gives it (days of a neighbouring year included)."""

    year: int
    festivals: tuple[Festival, ...]

    @property
    def holidays(self) -> list[date]:
        """Every rest day the notice names (statutory holidays and 调休 rest days)."""
        return sorted({d for f in self.festivals for d in f.rest_days})

    @property
    def workdays(self) -> list[date]:
        """Every weekend day the notice makes a working day."""
        return sorted({d for f in self.festivals for d in f.working_days})

    def in_year(self, days: list[date]) -> list[date]:
        return [d for d in days if d.year == self.year]

    def outside_year(self) -> list[date]:
        """Days the notice names in another year (元旦 from 12月31日): not this year's to load."""
        return [d for d in [*self.holidays, *self.workdays] if d.year != self.year]


def read_notice(text: str, year: int | None = None) -> HolidayNotice:
    """Read the notice's items; ``year`` when the text does not say (else it must agree)."""
    text = unicodedata.normalize("NFKC", text)
    year = _notice_year(text, year)
    festivals = tuple(
        _festival(match[1].strip(), match[2], year)
        for line in text.splitlines()
        if (match := _ITEM.match(line)) and re.search("放假|补休|上班", match[2])
    )
    if not festivals:
        raise NoticeError("通知中没有找到放假安排（应有“一、元旦：1月1日放假，共1天。”这样的条目）")
    notice = HolidayNotice(year, festivals)
    both = set(notice.holidays) & set(notice.workdays)
    if both:
        raise NoticeError(f"{min(both)} 在通知中既放假又上班，请核对原文")
    return notice


def _notice_year(text: str, given: int | None) -> int:
    named = {int(y) for y in _YEAR.findall(text)}
    if len(named) > 1:
        raise NoticeError(f"通知中写了不止一个年份（{'、'.join(map(str, sorted(named)))}年）")
    if named and given is not None and given not in named:
        raise NoticeError(f"这是{named.pop()}年的放假安排，不是{given}年的")
    if named:
        return named.pop()
    if given is None:
        raise NoticeError("通知中没有写明是哪一年的安排，请指定年份")
    return given


def _festival(name: str, body: str, year: int) -> Festival:
    rest: list[date] = []
    work: list[date] = []
    counted: int | None = None
    for clause in _CLAUSE_END.split(body):
        if count := _COUNT.search(clause):
            counted = int(count[1])
        if "上班" in clause:
            work += _clause_days(clause, year, name)
        elif "放假" in clause or "补休" in clause:
            rest += _clause_days(clause, year, name)
    if counted is not None and counted != len(set(rest)):
        raise NoticeError(f"{name}：通知写“共{counted}天”，但放假日期共{len(set(rest))}天")
    return Festival(name, tuple(sorted(set(rest))), tuple(sorted(set(work))))


def _clause_days(clause: str, year: int, name: str) -> list[date]:
    """The days of one clause: single dates, lists (、) and ranges (至)."""
    days: list[date] = []
    context: tuple[int, int | None] = (year, None)
    for m in _RANGE.finditer(clause):
        start = _day(m.group(1, 2, 3), context, name)
        _check_weekday(start, m[4], name)
        if m[7] is None:
            days.append(start)
            context = (start.year, start.month)
            continue
        end = _day(m.group(5, 6, 7), (start.year, start.month), name)
        if end < start and m[5] is None and m[6] is None:
            raise NoticeError(f"{name}：{start}至{m[7]}日，结束早于开始")
        if end < start and m[5] is None:
            end = end.replace(year=end.year + 1)  # 12月31日至1月2日
        _check_weekday(end, m[8], name)
        if (end - start).days > 31:
            raise NoticeError(f"{name}：{start}至{end}超过一个月，请核对原文")
        days += [start + timedelta(days=n) for n in range((end - start).days + 1)]
        context = (end.year, end.month)
    return days


def _day(parts: tuple[str | None, ...], context: tuple[int, int | None], name: str) -> date:
    y, m, d = parts
    year = int(y) if y else context[0]
    month = int(m) if m else context[1]
    if month is None:
        raise NoticeError(f"{name}：“{d}日”没有写月份")
    try:
        return date(year, month, int(d or 0))
    except ValueError:
        raise NoticeError(f"{name}：{year}年{month}月{d}日不是有效日期") from None


def _check_weekday(day: date, brackets: str | None, name: str) -> None:
    found = _WEEKDAY.search(brackets or "")
    if found is None:
        return
    printed = "日" if found[1] == "天" else found[1]
    actual = _WEEKDAYS[day.weekday()]
    if printed != actual:
        raise NoticeError(
            f"{name}：通知写{day.month}月{day.day}日是星期{printed}，"
            f"但{day.year}年这一天是星期{actual}：年份或日期不对"
        )
