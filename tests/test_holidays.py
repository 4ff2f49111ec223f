"""Reading the State Council's holiday notice (``gongbao.core.holidays``).

The expected days were counted by hand from the notices' text; the real 2021
notice and the 2026 notice below also agree, day by day, with chinesecalendar.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from gongbao.core.holidays import NoticeError, read_notice
from tests.conftest import shared_path

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
2025年11月4日
"""


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def agrees_with_package(notice) -> list[date]:
    """The days of the notice's year where the notice and chinesecalendar differ."""
    rest, work = set(notice.holidays), set(notice.workdays)
    differ = []
    for day in days(date(notice.year, 1, 1), date(notice.year, 12, 31)):
        working = day in work or (day.weekday() < 5 and day not in rest)
        if working != chinese_calendar.is_workday(day):
            differ.append(day)
    return differ


def test_real_notice_for_2021() -> None:
    # 国务院办公厅关于2021年部分节假日安排的通知 (issued 2020-11-25), half-width punctuation.
    notice = read_notice(shared_path("corpus", "real", "guoban-2020-jiejiari.txt").read_text())
    assert notice.year == 2021
    assert [f.name for f in notice.festivals] == [
        "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节",
    ]  # fmt: skip
    y = 2021
    assert notice.holidays == [
        *days(date(y, 1, 1), date(y, 1, 3)),
        *days(date(y, 2, 11), date(y, 2, 17)),
        *days(date(y, 4, 3), date(y, 4, 5)),
        *days(date(y, 5, 1), date(y, 5, 5)),
        *days(date(y, 6, 12), date(y, 6, 14)),
        *days(date(y, 9, 19), date(y, 9, 21)),
        *days(date(y, 10, 1), date(y, 10, 7)),
    ]
    assert notice.workdays == [
        date(y, 2, 7), date(y, 2, 20), date(y, 4, 25), date(y, 5, 8),
        date(y, 9, 18), date(y, 9, 26), date(y, 10, 9),
    ]  # fmt: skip
    assert agrees_with_package(notice) == []


def test_2026_style_notice_with_lunar_notes_and_weekdays() -> None:
    notice = read_notice(NOTICE_2026)
    spring = notice.festivals[1]
    assert spring.name == "春节"
    assert spring.rest_days == tuple(days(date(2026, 2, 15), date(2026, 2, 23)))
    assert spring.working_days == (date(2026, 2, 14), date(2026, 2, 28))
    assert len(notice.holidays) == 33 and len(notice.workdays) == 6
    assert agrees_with_package(notice) == []


def test_ranges_across_months_and_years_and_single_days() -> None:
    text = """现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：2026年12月31日至2027年1月2日放假调休，共3天。
二、春节：2月5日至2月11日放假调休，共7天。2月13日（星期六）上班。
三、清明节：4月5日放假，4月7日（星期三）补休。
四、劳动节：4月30日至5月4日放假调休，共5天。
五、端午节：6月9日（周三）放假1天，不调休。
"""
    notice = read_notice(text)
    assert notice.year == 2027
    assert notice.festivals[0].rest_days == (date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2))
    assert notice.outside_year() == [date(2026, 12, 31)]
    assert date(2027, 4, 7) in notice.holidays and date(2027, 4, 6) not in notice.holidays
    assert notice.festivals[3].rest_days == tuple(days(date(2027, 4, 30), date(2027, 5, 4)))
    assert notice.festivals[4].rest_days == (date(2027, 6, 9),)


def test_a_notice_without_a_year_takes_the_given_one_and_checks_its_weekdays() -> None:
    text = "一、春节：1月31日至2月6日放假调休，共7天。1月26日（星期日）、2月8日（星期六）上班。"
    assert read_notice(text, 2014).workdays == [date(2014, 1, 26), date(2014, 2, 8)]
    with pytest.raises(NoticeError, match="但2015年这一天是星期一"):
        read_notice(text, 2015)
    with pytest.raises(NoticeError, match="没有写明是哪一年"):
        read_notice(text)


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        (NOTICE_2026, 2027, "这是2026年的放假安排，不是2027年的"),
        ("一、春节：2月11日至17日放假调休，共8天。", 2021, "通知写“共8天”，但放假日期共7天"),
        ("一、春节：2月30日放假。", 2021, "2021年2月30日不是有效日期"),
        ("一、春节：2月11日至3日放假。", 2021, "结束早于开始"),
        ("一、春节：2月11日放假。2月11日上班。", 2021, "既放假又上班"),
        ("各地区要妥善安排值班。", 2021, "没有找到放假安排"),
        ("一、元旦：1月1日（周四）放假。", 2021, "1月1日是星期四"),
    ],
)
def test_bad_notices_say_what_is_wrong(text: str, year: int, message: str) -> None:
    with pytest.raises(NoticeError, match=message) as err:
        read_notice(text, year)
    assert "\n" not in str(err.value)
