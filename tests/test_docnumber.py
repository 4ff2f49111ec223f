from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gongbao.core.docnumber import (
    DOC_NUMBER_RE,
    ParsedDocNumber,
    convention_problems,
    find_doc_numbers,
    normalize_doc_number,
    parse_doc_number,
    standard_brackets,
)


@pytest.mark.parametrize(
    ("text", "agency", "year", "serial", "brackets", "padded", "has_di"),
    [
        ("冠政发〔2018〕64号", "冠政发", 2018, 64, "〔〕", False, False),
        ("冠政发[2018]64号", "冠政发", 2018, 64, "[]", False, False),
        ("冠政发(2018)64号", "冠政发", 2018, 64, "()", False, False),
        ("冠政发（2018）64号", "冠政发", 2018, 64, "（）", False, False),
        ("冠政发【2018】64号", "冠政发", 2018, 64, "【】", False, False),
        ("冠政发［2018］64号", "冠政发", 2018, 64, "［］", False, False),
        ("冠政办发〔2018〕41号", "冠政办发", 2018, 41, "〔〕", False, False),
        ("国办发〔2018〕第22号", "国办发", 2018, 22, "〔〕", False, True),
        ("鲁政字〔2018〕097号", "鲁政字", 2018, 97, "〔〕", True, False),
        ("冠政发〔２０１８〕６４号", "冠政发", 2018, 64, "〔〕", False, False),
        ("冠政发〔2018〕０６４号", "冠政发", 2018, 64, "〔〕", True, False),
        ("冠政函〔2018〕5号", "冠政函", 2018, 5, "〔〕", False, False),
        ("冠政发2018 64号", "冠政发", 2018, 64, "", False, False),
        ("冠政发 2018 64号", "冠政发", 2018, 64, "", False, False),
        ("  冠政发〔2018〕64号\n", "冠政发", 2018, 64, "〔〕", False, False),
        ("冠政发〔 2018 〕 64 号", "冠政发", 2018, 64, "〔〕", False, False),
        ("中发〔2016〕32号", "中发", 2016, 32, "〔〕", False, False),
        ("国〔2018〕1号", "国", 2018, 1, "〔〕", False, False),
    ],
)
def test_parse_doc_number(
    text: str, agency: str, year: int, serial: int, brackets: str, padded: bool, has_di: bool
) -> None:
    parsed = parse_doc_number(text)
    assert parsed == ParsedDocNumber(
        text=text.strip(),
        agency_code=agency,
        year=year,
        serial=serial,
        brackets=brackets,
        padded=padded,
        has_di=has_di,
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "第3期",
        "冠县人民政府公报",
        "2018年第3期",
        "冠政发〔2018〕64",  # no 号
        "冠政发〔18〕64号",  # two-digit year is not read
        "冠政发201864号",  # bare year must be followed by a space
        "冠政发〔2018〕号",  # no serial
        "〔2018〕64号",  # no agency code
        "冠政发〔2018〕64号文件",  # more than one number
        "abc〔2018〕64号",
        "冠县人民政府办公室关于印发冠政发〔2018〕64号",  # agency code over 12 characters
    ],
)
def test_parse_doc_number_rejects(text: str) -> None:
    assert parse_doc_number(text) is None


def test_find_in_running_text_stops_at_punctuation() -> None:
    text = (
        "《国务院关于开展第四次全国经济普查的通知》(国发〔2017〕53号)、"
        "《山东省人民政府关于做好第四次全国经济普查的通知》(鲁政字〔2018〕97号)精神"
    )
    found = find_doc_numbers(text)
    assert [d.text for d in found] == ["国发〔2017〕53号", "鲁政字〔2018〕97号"]
    assert [(d.agency_code, d.year, d.serial) for d in found] == [
        ("国发", 2017, 53),
        ("鲁政字", 2018, 97),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（冠政发〔2018〕64号）", ["冠政发〔2018〕64号"]),
        ("冠政发〔2018〕64号\t7", ["冠政发〔2018〕64号"]),
        ("见 冠政发[2018]64号 和 冠政办发(2018)41号。", ["冠政发[2018]64号", "冠政办发(2018)41号"]),
        ("本刊2018年第3期，总第27期", []),
        ("第3期", []),
        ("共计64号楼", []),
        ("", []),
    ],
)
def test_find_doc_numbers(text: str, expected: list[str]) -> None:
    assert [d.text for d in find_doc_numbers(text)] == expected


def test_find_doc_numbers_on_a_megabyte_line_without_numbers() -> None:
    # Would hang on a regex with nested quantifiers; only the result is asserted.
    assert find_doc_numbers("县政府" * 350_000) == []
    assert find_doc_numbers("政发〔2018〕" * 80_000) == []


def test_regex_is_compiled_and_searchable() -> None:
    m = DOC_NUMBER_RE.search("依据冠政发〔2018〕64号")
    assert m is not None
    assert m.group(0) == "依据冠政发〔2018〕64号"  # no boundary inside a run of ideographs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("冠政发〔2018〕64号", "冠政发〔2018〕64号"),
        ("冠政发[2018]64号", "冠政发〔2018〕64号"),
        ("冠政发(2018)64号", "冠政发〔2018〕64号"),
        ("冠政发（2018）64号", "冠政发〔2018〕64号"),
        ("冠政发【2018】64号", "冠政发〔2018〕64号"),
        ("国办发〔2018〕第22号", "国办发〔2018〕22号"),
        ("鲁政字〔2018〕097号", "鲁政字〔2018〕97号"),
        ("冠政发〔２０１８〕６４号", "冠政发〔2018〕64号"),
        ("冠政发2018 64", "冠政发〔2018〕64号"),
        ("冠政发 2018 64", "冠政发〔2018〕64号"),
        ("冠政发2018-64", "冠政发〔2018〕64号"),
        ("冠政发2018-064号", "冠政发〔2018〕64号"),
        (" 冠政发 2018 64 ", "冠政发〔2018〕64号"),
    ],
)
def test_normalize_doc_number(text: str, expected: str) -> None:
    assert normalize_doc_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "第3期", "冠政发201864", "冠政发2018", "2018 64", "冠政发 18 64"]
)
def test_normalize_doc_number_rejects(text: str) -> None:
    assert normalize_doc_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("冠政发〔2018〕64号", []),
        ("冠政发[2018]64号", ["文号年份应使用六角括号〔〕，此处为[]"]),
        ("冠政发（2018）64号", ["文号年份应使用六角括号〔〕，此处为（）"]),
        ("冠政发2018 64号", ["文号年份应使用六角括号〔〕，此处为无括号"]),
        ("鲁政字〔2018〕097号", ["序号不应编虚位（前导零）"]),
        ("国办发〔2018〕第22号", ["序号前不应加“第”"]),
        (
            "国办发(2018)第022号",
            [
                "文号年份应使用六角括号〔〕，此处为()",
                "序号不应编虚位（前导零）",
                "序号前不应加“第”",
            ],
        ),
    ],
)
def test_convention_problems(text: str, expected: list[str]) -> None:
    parsed = parse_doc_number(text)
    assert parsed is not None
    assert convention_problems(parsed) == expected


def test_convention_problems_two_digit_year() -> None:
    d = ParsedDocNumber("冠政发〔18〕64号", "冠政发", 18, 64, "〔〕", False, False)
    assert convention_problems(d) == ["文号年份应为四位数字，此处为18"]


def test_real_gazette_numbers(shared_file: Callable[..., Path]) -> None:
    text = shared_file("corpus", "guanxian-2018-03.md").read_text(encoding="utf-8")
    found = {d.text for d in find_doc_numbers(text)}
    for expected in [
        "冠政发〔2018〕64号",
        "冠政发〔2018〕80号",
        "冠政发〔2018〕83号",
        "冠政办发〔2018〕41号",
        "国发〔2017〕53号",
        "鲁政字〔2018〕97号",
    ]:
        assert expected in found
    assert not any("》" in d or "(" in d or "（" in d for d in found)


def test_standard_brackets_only_touch_the_year_brackets() -> None:
    assert standard_brackets("冠政办发[2018】46号和（国发【2017】53号）") == (
        "冠政办发〔2018〕46号和（国发〔2017〕53号）"
    )
    assert standard_brackets("冠政发2018 64号，【重要】") == "冠政发2018 64号，【重要】"


def test_damaged_number_line_is_read_as_far_as_it_goes() -> None:
    from gongbao.core.docnumber import parse_damaged_doc_number

    d = parse_damaged_doc_number("丹合管办发〔20178")
    assert d is not None and (d.agency_code, d.year, d.serial) == ("丹合管办发", 2017, 8)
    assert convention_problems(d) == ["文号残缺（缺少〕或“号”，疑为转换损坏），请核对原件"]
    assert parse_damaged_doc_number("鲁财建„2009‟57号").serial == 57
    # A whole number is not damaged, and running text is not a number line.
    assert parse_damaged_doc_number("冠政发〔2018〕64号") is None
    assert parse_damaged_doc_number("根据2017年8月的会议精神，现将有关事项通知如下") is None
