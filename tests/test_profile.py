"""Gazette profiles (gongbao.core.profile): the sample county's loads, bad ones say why in Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gongbao.core.profile import ProfileError, load_profile, parse_profile
from gongbao.core.units import Registry
from gongbao.core.units import load_profile as load_units

SAMPLE = Path(__file__).parents[1] / "samples" / "guanxian.toml"
SRC = Path(__file__).parents[1] / "src" / "gongbao"


def test_the_sample_profile_has_what_the_sample_issue_prints() -> None:
    profile = load_profile(SAMPLE)
    assert profile.name == "冠县人民政府公报"
    assert profile.section_names == ["领导讲话", "县政府文件", "县政府办公室文件", "其他"]
    assert profile.sections[1].organs == ("冠县人民政府",)
    assert profile.organ_for_code("冠政办发").name == "冠县人民政府办公室"
    assert profile.organ_for_code("国办发") is None
    assert profile.disclosure.org_code == "GX"
    assert [a.code for a in profile.catalog][:3] == ["JG", "GF", "GH"]
    # the unit registry reads the profile's [units]
    county = Registry(profile=load_units(SAMPLE))
    assert county.canonical("县环境保护局") == "县环保局"


def test_a_minimal_profile_is_the_name_alone() -> None:
    profile = parse_profile('[gazette]\nname = "某县人民政府公报"\n')
    assert profile.sections == () and profile.unit_aliases == {}
    assert profile.disclosure.index_scheme == "{org}-{category}-{year}-{seq:04d}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = ", "不是有效的 TOML"),
        ('[organs]\nname = "x"', "缺少 [gazette]"),
        ('[gazette]\nname = ""', "[gazette] 公报：缺少 name"),
        ('[gazette]\nname = "甲"\ntitle = "乙"', "不认识的项 title"),
        ('[gazette]\nname = "甲"\n[extra]\na = 1', "不认识的部分：extra"),
        ("[gazette]\nname = 3", "name 应为文字"),
        (
            '[gazette]\nname = "甲"\n[[organs]]\nname = "A"\ncodes = ["甲发"]\n'
            '[[organs]]\nname = "B"\ncodes = ["甲发"]',
            "代字 甲发 已属于 A",
        ),
        ('[gazette]\nname = "甲"\n[[sections]]\nname = "文件"\norgans = ["某局"]', "某局 不在"),
        (
            '[gazette]\nname = "甲"\n[[sections]]\nname = "文件"\n[[sections]]\nname = "文件"',
            "重复",
        ),
        ('[gazette]\nname = "甲"\n[units]\naliases = ["x"]', "aliases 应为一个表"),
        ('[gazette]\nname = "甲"\n[disclosure]\nindex_scheme = "{org}-{month}"', "只能用"),
        ('[gazette]\nname = "甲"\n[disclosure]\nindex_scheme = "{org"', "花括号"),
        (
            '[gazette]\nname = "甲"\n[[catalog]]\ncode = "A"\narea = "财政"\nperiod_days = 0',
            "正整数",
        ),
        ('[gazette]\nname = "甲"\n[[catalog]]\ncode = "A"', "缺少 area"),
    ],
)
def test_an_unusable_profile_says_which_field_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_profile(text)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="无法读取"):
        load_profile(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('[gazette]\nname = ""\n', "utf-8")
    with pytest.raises(ProfileError, match=f"{bad.name}：.*缺少 name"):
        load_profile(bad)


def _code_strings(path: Path) -> list[str]:
    """The string literals of a module that are data, not docstrings."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_county_is_named_in_the_code() -> None:
    """The sample county lives in samples/guanxian.toml: no string the code uses names it
    (docstrings may quote the sample as an example)."""
    words = ("冠县", "冠政", "guanxian")
    found = [
        f"{p.relative_to(SRC)}: {text[:40]}"
        for p in sorted(SRC.rglob("*.py"))
        if "migrations" not in p.parts
        for text in _code_strings(p)
        if any(w in text for w in words)
    ]
    templates = [
        f"{p.relative_to(SRC)}"
        for p in sorted(SRC.rglob("*.html"))
        if any(w in p.read_text("utf-8") for w in words)
    ]
    assert not found and not templates, found + templates
