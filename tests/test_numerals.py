from __future__ import annotations

import pytest

from gongbao.core.numerals import CN_DIGITS, cn_to_int, int_to_cn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("五", 5),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("一十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("二十一", 21),
        ("三十一", 31),
        ("九十九", 99),
        ("百", 100),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百一十五", 115),
        ("两百", 200),
        ("九百九十九", 999),
        ("千", 1000),
        ("一千零十", 1010),
        ("一千零一十", 1010),
        ("一千零五十", 1050),
        ("一千零五", 1005),
        ("〇", 0),
        ("零", 0),
        ("两", 2),
        ("二〇一八", 2018),
        ("二零一八", 2018),
        ("二〇〇〇", 2000),
        ("１２", 12),
        ("２０１８", 2018),
        ("64", 64),
        (" 十一 ", 11),
    ],
)
def test_cn_to_int(text: str, expected: int) -> None:
    assert cn_to_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "第三",
        "三期",
        "十零",
        "一百零",
        "一百零十",
        "十百",
        "百百",
        "一十十",
        "零十",
        "二〇一八年",
        "二两",
        "1a",
        "-5",
    ],
)
def test_cn_to_int_rejects(text: str) -> None:
    assert cn_to_int(text) is None


def test_cn_digits_covers_every_numeral_character() -> None:
    assert set(CN_DIGITS) == set("〇零一二两三四五六七八九十百千")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
    ],
)
def test_int_to_cn(n: int, expected: str) -> None:
    assert int_to_cn(n) == expected


@pytest.mark.parametrize("n", [0, -1, 1000])
def test_int_to_cn_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        int_to_cn(n)


def test_round_trip_1_to_999() -> None:
    for n in range(1, 1000):
        assert cn_to_int(int_to_cn(n)) == n
