"""The deadline engine against hand-worked cases, 2019–2025 (cn-rules §1.3, §6).

Counting: the day of receipt is not counted (民法典 Art 201); the 20th working day
after it is the last day (Art 33). Working days are Monday–Friday outside the
State Council's holidays, plus the make-up weekend days of each year's notice,
as encoded in chinesecalendar. Each comment lists the weekdays that were holidays
(not counted) and the make-up weekend days (counted) inside the period. The
cases marked "by hand" were counted day by day on paper as a cross-check.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongbao.site.disclosure import deadlines
from gongbao.site.disclosure.deadlines import CalendarUnknown, reply_due

REPLY_CASES = [
    (
        date(2019, 1, 25),
        date(2019, 2, 27),
    ),  # 周五收到；不计的工作日：2/4、2/5、2/6、2/7、2/8；调休上班计入：2/2周六、2/3周日；第20个工作日为周三
    (
        date(2019, 2, 1),
        date(2019, 3, 6),
    ),  # 周五收到；不计的工作日：2/4、2/5、2/6、2/7、2/8；调休上班计入：2/2周六、2/3周日；第20个工作日为周三
    (
        date(2019, 4, 3),
        date(2019, 5, 5),
    ),  # 周三收到；不计的工作日：4/5、5/1、5/2、5/3；调休上班计入：4/28周日、5/5周日；第20个工作日为周日
    (
        date(2019, 4, 26),
        date(2019, 5, 27),
    ),  # 周五收到；不计的工作日：5/1、5/2、5/3；调休上班计入：4/28周日、5/5周日；第20个工作日为周一
    (
        date(2019, 6, 5),
        date(2019, 7, 4),
    ),  # 周三收到；不计的工作日：6/7；调休上班计入：无；第20个工作日为周四
    (
        date(2019, 9, 11),
        date(2019, 10, 15),
    ),  # 周三收到；不计的工作日：9/13、10/1、10/2、10/3、10/4、10/7；调休上班计入：9/29周日、10/12周六；第20个工作日为周二
    (
        date(2019, 9, 27),
        date(2019, 10, 30),
    ),  # 周五收到；不计的工作日：10/1、10/2、10/3、10/4、10/7；调休上班计入：9/29周日、10/12周六；第20个工作日为周三
    (
        date(2020, 1, 17),
        date(2020, 2, 21),
    ),  # 周五收到；不计的工作日：1/24、1/27、1/28、1/29、1/30、1/31；调休上班计入：1/19周日；第20个工作日为周五
    (
        date(2020, 1, 22),
        date(2020, 2, 27),
    ),  # 周三收到；不计的工作日：1/24、1/27、1/28、1/29、1/30、1/31；调休上班计入：无；第20个工作日为周四
    (
        date(2020, 4, 1),
        date(2020, 4, 29),
    ),  # 周三收到；不计的工作日：4/6；调休上班计入：4/26周日；第20个工作日为周三
    (
        date(2020, 4, 24),
        date(2020, 5, 25),
    ),  # 周五收到；不计的工作日：5/1、5/4、5/5；调休上班计入：4/26周日、5/9周六；第20个工作日为周一
    (
        date(2020, 6, 22),
        date(2020, 7, 21),
    ),  # 周一收到；不计的工作日：6/25、6/26；调休上班计入：6/28周日；第20个工作日为周二
    (
        date(2020, 9, 25),
        date(2020, 10, 29),
    ),  # 周五收到；不计的工作日：10/1、10/2、10/5、10/6、10/7、10/8；调休上班计入：9/27周日、10/10周六；第20个工作日为周四
    (
        date(2021, 2, 5),
        date(2021, 3, 10),
    ),  # 周五收到；不计的工作日：2/11、2/12、2/15、2/16、2/17；调休上班计入：2/7周日、2/20周六；第20个工作日为周三
    (
        date(2021, 4, 1),
        date(2021, 4, 29),
    ),  # 周四收到；不计的工作日：4/5；调休上班计入：4/25周日；第20个工作日为周四
    (
        date(2021, 4, 23),
        date(2021, 5, 24),
    ),  # 周五收到；不计的工作日：5/3、5/4、5/5；调休上班计入：4/25周日、5/8周六；第20个工作日为周一
    (
        date(2021, 6, 10),
        date(2021, 7, 9),
    ),  # 周四收到；不计的工作日：6/14；调休上班计入：无；第20个工作日为周五
    (
        date(2021, 9, 16),
        date(2021, 10, 20),
    ),  # 周四收到；不计的工作日：9/20、9/21、10/1、10/4、10/5、10/6、10/7；调休上班计入：9/18周六、9/26周日、10/9周六；第20个工作日为周三
    (
        date(2021, 9, 24),
        date(2021, 10, 27),
    ),  # 周五收到；不计的工作日：10/1、10/4、10/5、10/6、10/7；调休上班计入：9/26周日、10/9周六；第20个工作日为周三
    (
        date(2022, 1, 28),
        date(2022, 3, 2),
    ),  # 周五收到；不计的工作日：1/31、2/1、2/2、2/3、2/4；调休上班计入：1/29周六、1/30周日；第20个工作日为周三
    (
        date(2022, 3, 31),
        date(2022, 4, 28),
    ),  # 周四收到；不计的工作日：4/4、4/5；调休上班计入：4/2周六、4/24周日；第20个工作日为周四
    (
        date(2022, 4, 29),
        date(2022, 5, 31),
    ),  # 周五收到；不计的工作日：5/2、5/3、5/4；调休上班计入：5/7周六；第20个工作日为周二
    (
        date(2022, 6, 1),
        date(2022, 6, 30),
    ),  # 周三收到；不计的工作日：6/3；调休上班计入：无；第20个工作日为周四
    (
        date(2022, 9, 8),
        date(2022, 10, 12),
    ),  # 周四收到；不计的工作日：9/12、10/3、10/4、10/5、10/6、10/7；调休上班计入：10/8周六、10/9周日；第20个工作日为周三
    (
        date(2022, 9, 30),
        date(2022, 11, 2),
    ),  # 周五收到；不计的工作日：10/3、10/4、10/5、10/6、10/7；调休上班计入：10/8周六、10/9周日；第20个工作日为周三
    (
        date(2023, 1, 19),
        date(2023, 2, 21),
    ),  # 周四收到；不计的工作日：1/23、1/24、1/25、1/26、1/27；调休上班计入：1/28周六、1/29周日；第20个工作日为周二
    (
        date(2023, 4, 4),
        date(2023, 5, 5),
    ),  # 周二收到；不计的工作日：4/5、5/1、5/2、5/3；调休上班计入：4/23周日；第20个工作日为周五
    (
        date(2023, 4, 28),
        date(2023, 5, 30),
    ),  # 周五收到；不计的工作日：5/1、5/2、5/3；调休上班计入：5/6周六；第20个工作日为周二
    (
        date(2023, 6, 21),
        date(2023, 7, 20),
    ),  # 周三收到；不计的工作日：6/22、6/23；调休上班计入：6/25周日；第20个工作日为周四
    (
        date(2023, 9, 27),
        date(2023, 10, 31),
    ),  # 周三收到；不计的工作日：9/29、10/2、10/3、10/4、10/5、10/6；调休上班计入：10/7周六、10/8周日；第20个工作日为周二
    (
        date(2024, 2, 8),
        date(2024, 3, 13),
    ),  # 周四收到；不计的工作日：2/12、2/13、2/14、2/15、2/16；调休上班计入：2/18周日；第20个工作日为周三
    (
        date(2024, 4, 3),
        date(2024, 5, 6),
    ),  # 周三收到；不计的工作日：4/4、4/5、5/1、5/2、5/3；调休上班计入：4/7周日、4/28周日；第20个工作日为周一
    (
        date(2024, 4, 30),
        date(2024, 5, 30),
    ),  # 周二收到；不计的工作日：5/1、5/2、5/3；调休上班计入：5/11周六；第20个工作日为周四
    (
        date(2024, 6, 7),
        date(2024, 7, 8),
    ),  # 周五收到；不计的工作日：6/10；调休上班计入：无；第20个工作日为周一
    (
        date(2024, 9, 13),
        date(2024, 10, 17),
    ),  # 周五收到；不计的工作日：9/16、9/17、10/1、10/2、10/3、10/4、10/7；调休上班计入：9/14周六、9/29周日、10/12周六；第20个工作日为周四
    (
        date(2024, 9, 30),
        date(2024, 11, 1),
    ),  # 周一收到；不计的工作日：10/1、10/2、10/3、10/4、10/7；调休上班计入：10/12周六；第20个工作日为周五
    (
        date(2025, 1, 24),
        date(2025, 2, 27),
    ),  # 周五收到；不计的工作日：1/28、1/29、1/30、1/31、2/3、2/4；调休上班计入：1/26周日、2/8周六；第20个工作日为周四
    (
        date(2025, 4, 3),
        date(2025, 5, 6),
    ),  # 周四收到；不计的工作日：4/4、5/1、5/2、5/5；调休上班计入：4/27周日；第20个工作日为周二
    (
        date(2025, 4, 30),
        date(2025, 6, 3),
    ),  # 周三收到；不计的工作日：5/1、5/2、5/5、6/2；调休上班计入：无；第20个工作日为周二
    (
        date(2025, 5, 29),
        date(2025, 6, 27),
    ),  # 周四收到；不计的工作日：6/2；调休上班计入：无；第20个工作日为周五
    (
        date(2025, 9, 24),
        date(2025, 10, 28),
    ),  # 周三收到；不计的工作日：10/1、10/2、10/3、10/6、10/7、10/8；调休上班计入：9/28周日、10/11周六；第20个工作日为周二
    (
        date(2025, 9, 30),
        date(2025, 11, 4),
    ),  # 周二收到；不计的工作日：10/1、10/2、10/3、10/6、10/7、10/8；调休上班计入：10/11周六；第20个工作日为周二
]


@pytest.mark.parametrize(
    ("received", "due"), REPLY_CASES, ids=[c[0].isoformat() for c in REPLY_CASES]
)
def test_reply_due_20_working_days(received: date, due: date) -> None:
    assert reply_due(received) == due


def test_worked_example_from_cn_rules() -> None:
    # By hand: 9/25 (1), 9/26 (2), 9/28 Sun make-up (3), 9/29 (4), 9/30 (5); 10/1–10/8 off;
    # 10/9 (6), 10/10 (7), 10/11 Sat make-up (8), 10/13–17 (9–13), 10/20–24 (14–18),
    # 10/27 (19), 10/28 (20).
    assert reply_due(date(2025, 9, 24)) == date(2025, 10, 28)


def test_due_may_fall_on_a_make_up_sunday() -> None:
    # By hand, 2019: 4/4 (1); 4/5 清明 off; 4/8–12 (2–6), 4/15–19 (7–11), 4/22–26 (12–16);
    # 4/28 Sun make-up (17); 4/29 (18), 4/30 (19); 5/1–5/4 off; 5/5 Sun make-up (20).
    assert reply_due(date(2019, 4, 3)) == date(2019, 5, 5)


def test_received_on_a_holiday_counts_from_the_next_working_day() -> None:
    # Online on 2021-10-02 (a 国庆 holiday). By hand: 10/3–10/7 off; 10/8 (1), 10/9 Sat
    # make-up (2), 10/11–15 (3–7), 10/18–22 (8–12), 10/25–29 (13–17), 11/1–3 (18–20).
    received = deadlines.receipt_date(deadlines.ONLINE, date(2021, 10, 2))
    assert reply_due(received) == date(2021, 11, 3)


def test_received_on_a_make_up_sunday() -> None:
    # 2019-02-03 was a working Sunday; 2/4–2/10 春节 off. By hand: 2/11–15 (1–5),
    # 2/18–22 (6–10), 2/25–3/1 (11–15), 3/4–8 (16–20).
    assert reply_due(date(2019, 2, 3)) == date(2019, 3, 8)


def test_2020_spring_festival_extension() -> None:
    # The holiday was extended to 2/2 (the 2/1 make-up Saturday was cancelled).
    # By hand: 1/24–2/2 off; 2/3–7 (1–5), 2/10–14 (6–10), 2/17–21 (11–15), 2/24–28 (16–20).
    assert reply_due(date(2020, 1, 23)) == date(2020, 2, 28)


def test_2024_new_years_eve_was_a_working_day() -> None:
    # 2024: 2/10–2/17 off, 2/4 and 2/18 (Sundays) worked; 除夕 2/9 a working Friday.
    # By hand: 2/9 (1); 2/18 Sun (2); 2/19–23 (3–7), 2/26–3/1 (8–12), 3/4–8 (13–17),
    # 3/11 (18), 3/12 (19), 3/13 (20).
    assert reply_due(date(2024, 2, 8)) == date(2024, 3, 13)


# -- Art 31: the receipt day per channel ------------------------------------------------


def test_receipt_day_per_channel() -> None:
    d = date(2025, 3, 3)
    assert deadlines.receipt_date(deadlines.IN_PERSON, d) == d
    assert deadlines.receipt_date(deadlines.POST, d, signed_on=date(2025, 3, 5)) == date(2025, 3, 5)
    # An ordinary letter: the day the office confirmed it with the applicant.
    assert deadlines.receipt_date(deadlines.POST, d, confirmed_on=date(2025, 3, 6)) == date(
        2025, 3, 6
    )
    assert deadlines.receipt_date(deadlines.FAX, d, confirmed_on=date(2025, 3, 4)) == date(
        2025, 3, 4
    )
    assert deadlines.receipt_date(deadlines.ONLINE, d) == d
    with pytest.raises(ValueError):
        deadlines.receipt_date(deadlines.POST, d)


# -- Art 30: 补正 --------------------------------------------------------------------------


def test_correction_notice_within_7_working_days() -> None:
    # Received 2025-09-24. By hand: 9/25 (1), 9/26 (2), 9/28 Sun (3), 9/29 (4), 9/30 (5);
    # 10/1–10/8 off; 10/9 (6), 10/10 (7).
    assert deadlines.correction_notice_due(date(2025, 9, 24)) == date(2025, 10, 10)


def test_correction_restarts_the_clock() -> None:
    # The corrected application arrived 2025-10-09: count 20 again from there. By hand:
    # 10/10 (1), 10/11 Sat (2), 10/13–17 (3–7), 10/20–24 (8–12), 10/27–31 (13–17), 11/3–5 (18–20).
    assert reply_due(date(2025, 10, 9)) == date(2025, 11, 5)


def test_correction_restart_across_new_year_and_spring_festival() -> None:
    # Corrected 2019-12-31. By hand: 1/1 off; 1/2 (1), 1/3 (2), 1/6–10 (3–7), 1/13–17 (8–12),
    # 1/19 Sun make-up (13), 1/20–23 (14–17); 1/24–2/2 off; 2/3 (18), 2/4 (19), 2/5 (20).
    assert reply_due(date(2019, 12, 31)) == date(2020, 2, 5)


# -- Arts 32/33: third-party consultation is not counted --------------------------------


def test_consultation_pause_is_not_counted() -> None:
    # Received 2025-05-29. Without a pause: 2025-06-27. Consultation sent 6/3, answered 6/10:
    # the working days 6/4, 6/5, 6/6, 6/9, 6/10 are not counted, so 5 more working days:
    # 6/30, 7/1, 7/2, 7/3, 7/4.
    pause = [(date(2025, 6, 3), date(2025, 6, 10))]
    assert reply_due(date(2025, 5, 29)) == date(2025, 6, 27)
    assert reply_due(date(2025, 5, 29), pauses=pause) == date(2025, 7, 4)


def test_consultation_pause_over_national_day() -> None:
    # Received 2023-09-27, consultation 9/28–10/9: only working days 10/7 Sat, 10/8 Sun and
    # 10/9 inside the pause are skipped (9/29–10/6 were holidays anyway). Count: 9/28 (1),
    # 10/10–13 (2–5), 10/16–20 (6–10), 10/23–27 (11–15), 10/30–11/3 (16–20).
    pause = [(date(2023, 9, 28), date(2023, 10, 9))]
    assert reply_due(date(2023, 9, 27), pauses=pause) == date(2023, 11, 3)


def test_third_party_answers_within_15_working_days() -> None:
    # The third party received the letter 2023-01-19. By hand: 1/20 (1); 1/21–27 off;
    # 1/28 Sat (2), 1/29 Sun (3), 1/30–2/3 (4–8), 2/6–10 (9–13), 2/13 (14), 2/14 (15).
    assert deadlines.consultation_due(date(2023, 1, 19)) == date(2023, 2, 14)


# -- Art 33: one extension of at most 20 -------------------------------------------------


def test_extension_adds_working_days() -> None:
    # 2025-09-24 + 20 extended: after 10/28 (20): 10/29–31 (21–23), 11/3–7 (24–28),
    # 11/10–14 (29–33), 11/17–21 (34–38), 11/24 (39), 11/25 (40).
    assert reply_due(date(2025, 9, 24), extension_days=20) == date(2025, 11, 25)


def test_extension_with_pause() -> None:
    # 2024-09-13 + 10 extended: base 10/17 (20); 10/18 (21), 10/21–25 (22–26), 10/28–31
    # (27–30) = 10/31; a pause 10/21–10/22 (working days 10/22 only, since it starts after
    # 10/21) adds one more: 11/1.
    assert reply_due(date(2024, 9, 13), extension_days=10) == date(2024, 10, 31)
    pause = [(date(2024, 10, 21), date(2024, 10, 22))]
    assert reply_due(date(2024, 9, 13), extension_days=10, pauses=pause) == date(2024, 11, 1)


def test_extension_over_20_is_refused() -> None:
    with pytest.raises(ValueError):
        reply_due(date(2025, 9, 24), extension_days=21)


# -- other periods on the same engine ----------------------------------------------------


def test_fee_payment_period() -> None:
    # Notice received 2024-04-30. By hand: 5/1–5/5 off; 5/6–10 (1–5), 5/11 Sat (6),
    # 5/13–17 (7–11), 5/20–24 (12–16), 5/27–30 (17–20).
    assert deadlines.fee_payment_due(date(2024, 4, 30)) == date(2024, 5, 30)


def test_message_answer_in_2_working_days() -> None:
    # 2023-09-28: 9/29–10/6 off; 10/7 Sat (1), 10/8 Sun (2).
    assert deadlines.message_due(date(2023, 9, 28)) == date(2023, 10, 8)


def test_art26_publication_limit() -> None:
    assert deadlines.publication_due(date(2022, 9, 30)) == date(2022, 11, 2)


def test_due_within_three_working_days() -> None:
    # 2025-09-26 (Fri): 9/28 Sun make-up (1), 9/29 (2), 9/30 (3).
    assert deadlines.due_within(date(2025, 9, 26), date(2025, 9, 30))
    assert not deadlines.due_within(date(2025, 9, 26), date(2025, 10, 9))
    assert not deadlines.due_within(date(2025, 9, 26), date(2025, 9, 25))


def test_count_working_days() -> None:
    assert deadlines.count_working_days(date(2025, 9, 24), date(2025, 10, 28)) == 20


# -- a year the calendar does not know ---------------------------------------------------


def test_unknown_year_raises_and_never_guesses() -> None:
    with pytest.raises(CalendarUnknown) as err:
        reply_due(date(2026, 12, 15))
    assert "2027" in str(err.value)


def test_loaded_schedule_makes_the_year_known() -> None:
    # A staff-loaded 2027 notice (invented for the test): 1/1 off, nothing else special.
    schedule = {}
    d = date(2027, 1, 1)
    while d.year == 2027:
        schedule[d] = d.weekday() < 5 and d != date(2027, 1, 1)
        d = date.fromordinal(d.toordinal() + 1)
    # 2026-12-15 (Tue): 12/16–18 (1–3), 12/21–25 (4–8), 12/28–31 (9–12); 1/1 off;
    # 1/4–8 (13–17), 1/11–13 (18–20).
    assert reply_due(date(2026, 12, 15), schedule=schedule) == date(2027, 1, 13)


# -- 信息处理费 (国办函〔2020〕109号) --------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "items", "fee"),
    [
        (0, 10, 0),  # 10 items a month are free
        (0, 11, 100),  # the 11th costs 100
        (10, 20, 2000),  # items 11–30 at 100
        (30, 1, 200),  # the 31st: 200
        (0, 45, 2000 + 1000 * 2 + 5 * 300),  # 11–30: 2000; 31–40: 2000; 41–45: 1500
    ],
)
def test_fee_by_items(earlier: int, items: int, fee: int) -> None:
    assert deadlines.fee_by_items(earlier, items) == fee


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(30, 0), (31, 10), (100, 700), (150, 700 + 50 * 20), (201, 700 + 2000 + 40)],
)
def test_fee_by_pages(pages: int, fee: int) -> None:
    assert deadlines.fee_by_pages(pages) == fee


def test_same_count_as_the_one_calendar_function() -> None:
    from datetime import timedelta

    from gongbao.core.workdays import add_working_days

    day = date(2019, 1, 1)
    while day < date(2025, 12, 1):
        for n in (2, 7, 15, 20):
            assert deadlines.add_counted_days(day, n) == add_working_days(day, n), (day, n)
        day += timedelta(days=11)
