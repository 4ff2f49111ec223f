"""Dates as gazettes print them: 2018年8月1日, 2018 年 8 月 1 日, 二〇一八年八月一日.

The 成文日期 of each document, the dates in news items (7月4日，我县召开…)
and the checks against GB/T 9704-2012 (Arabic digits, no 虚位) all start from
the printed text, so the printed form is kept next to the value it means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from gongbao.core.numerals import cn_to_int

__all__ = [
    "DATE_RE",
    "MONTH_DAY_RE",
    "ParsedDate",
    "convention_problems",
    "find_dates",
    "parse_damaged_date",
    "parse_date",
    "parse_month_day",
]

_SP = "[ \t\u3000]{0,2}"
_ARABIC = "[0-9０-９]"
# Years are written digit by digit; ○ (U+25CB) is how word processors often print 〇.
# Typists also write 〇 as the letter O or the digit 0 (二OO五年, 二00二年).
_CN_YEAR_DIGIT = "[〇零○OoＯ0０一二三四五六七八九]"
_CN_ONE_TO_NINE = "[一二三四五六七八九]"
_MONTH = rf"(?:{_ARABIC}{{1,2}}|十[一二]?|{_CN_ONE_TO_NINE})"
_DAY = rf"(?:{_ARABIC}{{1,2}}|[二三]?十{_CN_ONE_TO_NINE}?|{_CN_ONE_TO_NINE})"
# A year must not continue a longer number to its left (12018年 is no date).
_YEAR = (
    rf"(?:(?<![0-9０-９]){_ARABIC}{{4}}"
    rf"|(?<![〇零○一二两三四五六七八九十百千]){_CN_YEAR_DIGIT}{{4}}(?<![0-9０-９]{{4}}))"
)

#: A full date. Every quantifier is bounded, so scanning long lines stays linear.
DATE_RE = re.compile(
    rf"(?P<year>{_YEAR}){_SP}年{_SP}"
    rf"(?P<month>{_MONTH}){_SP}月{_SP}"
    rf"(?P<day>{_DAY}){_SP}日"
)

#: Month and day at the very start of a text, as news items open: 7月28日上午，…
MONTH_DAY_RE = re.compile(rf"[ \t\u3000]*(?P<month>{_MONTH}){_SP}月{_SP}(?P<day>{_DAY}){_SP}日")


@dataclass(frozen=True)
class ParsedDate:
    """One printed date and the calendar date it means."""

    text: str
    value: date | None  # None if impossible (2018年2月30日)
    padded: bool  # month or day printed with a leading zero (08月)
    chinese_numerals: bool  # any part written in Chinese numerals


_ZEROS = str.maketrans({"○": "〇", "O": "〇", "o": "〇", "0": "〇"})


def _number(part: str) -> int | None:
    part = unicodedata.normalize("NFKC", part)
    if not part.isdigit():
        part = part.translate(_ZEROS)
    return cn_to_int(part)


def _is_arabic(part: str) -> bool:
    return unicodedata.normalize("NFKC", part).isdigit()


def _padded(part: str) -> bool:
    return _is_arabic(part) and len(part) == 2 and _number(part[0]) == 0


def _safe_date(year: int | None, month: int | None, day: int | None) -> date | None:
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> ParsedDate:
    parts = (m.group("year"), m.group("month"), m.group("day"))
    year, month, day = (_number(p) for p in parts)
    return ParsedDate(
        text=m.group(0),
        value=_safe_date(year, month, day),
        padded=_padded(parts[1]) or _padded(parts[2]),
        chinese_numerals=not all(_is_arabic(p) for p in parts),
    )


def parse_date(text: str) -> ParsedDate | None:
    """Parse a string that is exactly one full date (surrounding space ignored)."""
    m = DATE_RE.fullmatch(text.strip())
    return _from_match(m) if m else None


def find_dates(text: str) -> list[ParsedDate]:
    """Every full date inside running text, in order of appearance."""
    return [_from_match(m) for m in DATE_RE.finditer(text)]


_DAMAGED_RE = re.compile(
    r"^[^0-9]{0,2}((?:19|20)[0-9]{2})[ \t]*([0-9]{1,2})[ \t]*([0-9]{1,2})[^0-9]{0,2}$"
)


def parse_damaged_date(text: str) -> date | None:
    """A 成文日期 whose 年月日 a conversion lost: 2018525, { 2017 6 23.

    Only for the line under a signature, where a date is printed; digits run
    together are read only when one split gives a real date (525 → 5-25, not 52-5).
    """
    m = _DAMAGED_RE.match(text.strip())
    if m is None:
        return None
    year, month, day = m.groups()
    if " " in text.strip() or "\t" in text:
        return _safe_date(int(year), int(month), int(day))
    digits = month + day
    readings = {
        d
        for cut in range(1, len(digits))
        if (d := _safe_date(int(year), int(digits[:cut]), int(digits[cut:]))) is not None
    }
    return readings.pop() if len(readings) == 1 else None


def parse_month_day(text: str, year: int) -> date | None:
    """The date a text opens with (7月4日，我县召开… → 7月4日 of ``year``).

    News items give only month and day; the issue supplies the year. None when
    the text does not start with a month and day, or when they are impossible.
    """
    m = MONTH_DAY_RE.match(text)
    if m is None:
        return None
    return _safe_date(year, _number(m.group("month")), _number(m.group("day")))


def convention_problems(d: ParsedDate) -> list[str]:
    """How a 成文日期 departs from GB/T 9704-2012 7.3.5.4, one Chinese message each."""
    problems: list[str] = []
    if d.padded:
        problems.append("成文日期月、日不应编虚位（如08月应为8月）")
    if d.chinese_numerals:
        problems.append("成文日期应使用阿拉伯数字")
    if d.value is None:
        problems.append("日期不存在")
    return problems
