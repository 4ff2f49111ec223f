from __future__ import annotations

from datetime import date

import pytest

from gongbao.core.dates import (
    DATE_RE,
    MONTH_DAY_RE,
    ParsedDate,
    convention_problems,
    find_dates,
    parse_date,
    parse_month_day,
)


@pytest.mark.parametrize(
    ("text", "value", "padded", "chinese"),
    [
        ("2018年8月1日", date(2018, 8, 1), False, False),
        ("2018 年 8 月 1 日", date(2018, 8, 1), False, False),
        ("2018年 12月 31日", date(2018, 12, 31), False, False),
        ("2018年08月01日", date(2018, 8, 1), True, False),
        ("2018年08月1日", date(2018, 8, 1), True, False),
        ("2018年8月01日", date(2018, 8, 1), True, False),
        ("2018年10月10日", date(2018, 10, 10), False, False),
        ("２０１８年８月１日", date(2018, 8, 1), False, False),
        ("２０１８年０８月０１日", date(2018, 8, 1), True, False),
        ("二〇一八年八月一日", date(2018, 8, 1), False, True),
        ("二零一八年八月一日", date(2018, 8, 1), False, True),
        ("二○一八年八月一日", date(2018, 8, 1), False, True),  # ○ U+25CB as printed by Word
        ("二〇一八年十月十日", date(2018, 10, 10), False, True),
        ("二〇一八年十一月二十日", date(2018, 11, 20), False, True),
        ("二〇一八年十二月三十一日", date(2018, 12, 31), False, True),
        ("二〇一八年九月十五日", date(2018, 9, 15), False, True),
        ("二〇一八年九月三十日", date(2018, 9, 30), False, True),
        ("二〇二〇年二月二十九日", date(2020, 2, 29), False, True),
        ("2018年2月30日", None, False, False),
        ("2018年13月1日", None, False, False),
        ("2019年2月29日", None, False, False),
        ("二〇一八年二月三十日", None, False, True),
        ("  2018年8月1日\n", date(2018, 8, 1), False, False),
    ],
)
def test_parse_date(text: str, value: date | None, padded: bool, chinese: bool) -> None:
    assert parse_date(text) == ParsedDate(
        text=text.strip(), value=value, padded=padded, chinese_numerals=chinese
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2018年度",
        "2018年",
        "2018年8月",
        "8月1日",
        "18年8月1日",
        "12018年8月1日",
        "2018年8月1日前",
        "2018-08-01",
        "2018年8月1号",
        "二〇一八年度",
        "二〇一八年第三期",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("时点为 2018 年 12 月 31 日，", ["2018 年 12 月 31 日"]),
        (
            "(2018年8月11日)……冠县人民政府 2018年9月20日",
            ["2018年8月11日", "2018年9月20日"],
        ),
        ("落款：二〇一八年八月一日。", ["二〇一八年八月一日"]),
        ("2018年10月10日至2018年10月20日", ["2018年10月10日", "2018年10月20日"]),
        ("统一2018年8月1日执行", ["2018年8月1日"]),
        ("2018年度考核，2018年第3期", []),
        ("12018年8月1日", []),
        ("", []),
    ],
)
def test_find_dates(text: str, expected: list[str]) -> None:
    assert [d.text for d in find_dates(text)] == expected


def test_find_dates_on_a_megabyte_line() -> None:
    assert find_dates("二〇一八年八月" * 150_000) == []
    assert DATE_RE.search("年月日" * 350_000) is None


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("7月4日，我县召开", 2018, date(2018, 7, 4)),
        ("7月28日上午，县委", 2018, date(2018, 7, 28)),
        ("10月8日，县委副书记", 2018, date(2018, 10, 8)),
        ("  9月27日，我县召开", 2018, date(2018, 9, 27)),
        ("07月04日，", 2018, date(2018, 7, 4)),
        ("７月４日", 2018, date(2018, 7, 4)),
        ("七月四日，", 2018, date(2018, 7, 4)),
        ("2月29日", 2020, date(2020, 2, 29)),
        ("2月29日", 2019, None),
        ("2月30日", 2018, None),
        ("13月1日", 2018, None),
        ("我县7月4日召开", 2018, None),
        ("2018年7月4日", 2018, None),
        ("7月份", 2018, None),
        ("", 2018, None),
    ],
)
def test_parse_month_day(text: str, year: int, expected: date | None) -> None:
    assert parse_month_day(text, year) == expected


def test_month_day_re_matches_only_at_start() -> None:
    assert MONTH_DAY_RE.match("7月4日，") is not None
    assert MONTH_DAY_RE.match("据悉7月4日") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018年8月1日", []),
        ("2018年08月01日", ["成文日期月、日不应编虚位（如08月应为8月）"]),
        ("二〇一八年八月一日", ["成文日期应使用阿拉伯数字"]),
        ("2018年2月30日", ["日期不存在"]),
        (
            "2018年02月30日",
            ["成文日期月、日不应编虚位（如08月应为8月）", "日期不存在"],
        ),
    ],
)
def test_convention_problems(text: str, expected: list[str]) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert convention_problems(parsed) == expected


def test_damaged_date_under_a_signature_is_read_only_when_unambiguous() -> None:
    from datetime import date

    from gongbao.core.dates import parse_damaged_date

    assert parse_damaged_date("2018525") == date(2018, 5, 25)  # 5-25, never 52-5
    assert parse_damaged_date("{ 2017 6 23") == date(2017, 6, 23)
    assert parse_damaged_date("2018111") is None  # 1-11 or 11-1: not guessed
    assert parse_damaged_date("2018年5月25日") is None  # whole dates are parse_date's


def test_years_written_with_the_letter_o_or_digit_zero() -> None:
    from datetime import date

    from gongbao.core.dates import parse_date

    assert parse_date("二OO五年四月二十九日").value == date(2005, 4, 29)
    assert parse_date("二00二年六月二十二日").value == date(2002, 6, 22)
    assert parse_date("0000年1月1日").value is None  # no such year
