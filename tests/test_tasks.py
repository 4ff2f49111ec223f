"""Task extraction in ``gongbao.core``: units, deadlines, targets, working days, the real issue."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from gongbao.core.tasks import deadlines, extract_tasks, score, targets
from gongbao.core.units import Registry, load_profile, parse_assignments, split_units
from gongbao.core.workdays import CalendarUnknown, add_working_days, is_working_day
from tests.conftest import shared_path

LABELS = Path(__file__).parent / "data" / "tasks" / "guanxian_2018_03.py"
# The sample county's unit names: a profile the tests load, not a rule in the code.
PROFILE = load_profile(Path(__file__).parents[1] / "samples" / "guanxian.toml")
COUNTY = Registry(profile=PROFILE)


def _labels() -> dict:
    spec = importlib.util.spec_from_file_location("labels", LABELS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EXPECTED


def _roles(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in parse_assignments(text, COUNTY) or []:
        out.setdefault(a.role, []).append(a.unit)
    return out


# --------------------------------------------------------------------------- units


def test_responsibility_paragraph_roles() -> None:
    roles = _roles(
        "县发改局牵头，县经信和商务局、县市场监管局配合，各乡镇（街道）、县经济开发区、县直各部门负责落实。"
    )
    assert roles == {
        "lead": ["县发改局"],
        "cooperate": ["县经信和商务局", "县市场监管局"],  # one unit, not 经信 + 商务局
        "implement": ["各乡镇（街道）", "县经济开发区", "县直各部门"],
    }


def test_etc_tails_and_conjunctions() -> None:
    assert split_units("县国土局等部门和各乡镇（街道）、县经济开发区") == [
        "县国土局",
        "各乡镇（街道）",
        "县经济开发区",
    ]
    assert split_units("县公路局等县直部门及各乡镇（街道）") == ["县公路局", "各乡镇（街道）"]
    assert split_units("县经信和商务局") == ["县经信和商务局"]


def test_aliases_and_groups() -> None:
    reg = Registry({"县自然资源局": ["县国土局"]}, profile=PROFILE)
    assert reg.canonical("县环境保护局") == "县环保局"
    assert reg.canonical("环保局") == "县环保局"
    assert reg.canonical("县食药监局") == "县食品药品监管局"
    assert reg.canonical("县国土局") == "县自然资源局"  # staff's own alias
    units = parse_assignments("各乡镇人民政府、街道办事处，县经济开发区管委会", COUNTY)
    assert [(a.role, a.unit, a.group) for a in units] == [
        ("responsible", "各乡镇（街道）", True),
        ("responsible", "县经济开发区", False),
    ]


def test_units_keep_the_printed_name_and_the_reason_of_a_match() -> None:
    reg = Registry({"县自然资源局": ["县国土局"]}, profile=PROFILE)
    assert reg.match("县政务服务中心办公室").name == "县政务服务中心管理办公室"
    assert reg.match("县政务服务中心办公室").reason == "本地单位名录"
    assert reg.match("各乡镇人民政府").reason == "通用别名规则"
    assert reg.match("县国土局").reason == "单位登记的别名"
    assert reg.match("自然资源局").reason.startswith("补“县”字")
    assert reg.match("县发改局").reason == "" and reg.match("县发改局").name == "县发改局"
    (a,) = parse_assignments("县政务服务中心办公室牵头", reg)
    assert (a.printed, a.unit, a.reason) == (
        "县政务服务中心办公室",
        "县政务服务中心管理办公室",
        "本地单位名录",
    )


def test_no_county_names_in_the_code() -> None:
    """Without a profile only generic rules apply: one county's offices are data."""
    assert Registry().canonical("县环境保护局") == "县环境保护局"
    assert Registry().canonical("各乡镇人民政府") == "各乡镇（街道）"
    with pytest.raises(ValueError, match="单位名录无法读取"):
        load_profile(Path(__file__).parent / "no-such-profile.json")


def test_special_forms() -> None:
    assert _roles("县环保局牵头，定远寨镇做好站房选址、用电等相关配合工作") == {
        "lead": ["县环保局"],
        "cooperate": ["定远寨镇"],
    }
    assert _roles("县食安办牵头，县公安局、县农业局分别实施") == {
        "lead": ["县食安办"],
        "implement": ["县公安局", "县农业局"],
    }
    assert _roles("县政府办公室牵头,各乡镇(街道)负责落实。") == {  # half-width punctuation
        "lead": ["县政府办公室"],
        "implement": ["各乡镇（街道）"],
    }


@pytest.mark.parametrize(
    "text", ["同线同标同质产品", "HACCP", "含幼儿园", "良好", "国办发〔2018〕23号", ""]
)
def test_not_units(text: str) -> None:
    assert parse_assignments(text) is None


# --------------------------------------------------------------------------- deadlines and targets


def _dates(text: str, year: int | None = 2018) -> list[str]:
    return [d.date.isoformat() for d in deadlines(text, year)[0] if d.date]


def test_deadlines() -> None:
    assert _dates("2018年8月底前，完成建设") == ["2018-08-31"]
    assert _dates("应于 9 月底前完成项目建设") == ["2018-09-30"]  # the document's year
    assert _dates("2018年6底前，停业整改") == ["2018-06-30"]  # 月 missing in print
    assert _dates("到2018年底，具备能力；2018年12月底前完成") == ["2018-12-31"]
    assert _dates("要在年内完成改造") == ["2018-12-31"]
    assert _dates("到2020年，覆盖率达到90%") == ["2020-12-31"]
    assert _dates("11月10日前报送") == ["2018-11-10"]
    assert _dates("9月底前完成", year=None) == []  # no year to take: no guess


def test_relative_deadlines_and_recurrences() -> None:
    found, recurrences = deadlines(
        "在2个工作日内处理；决定作出后24小时内公开；每月5日前上报；每季度通报", 2018
    )
    assert [(d.within, d.unit, d.date) for d in found] == [
        (2, "working_day", None),
        (24, "hour", None),
    ]
    assert [(r.period, r.day) for r in recurrences] == [("monthly", 5), ("quarterly", None)]
    found, recurrences = deadlines("每年7月底前公开招生范围", 2018)
    assert found == [] and [(r.period, r.month) for r in recurrences] == [("yearly", 7)]


def test_targets() -> None:
    got = [(t.what, t.comparison, t.value, t.unit) for t in targets(
        "比例要达到90%以上，每年不少于2次，建成1812套，斜店乡日处理能力800吨污水处理厂，黑臭水体控制在20%以内"
    )]  # fmt: skip
    assert ("比例要", ">=", 90.0, "%") in got
    assert any(t[1:] == (">=", 2.0, "次") for t in got)
    assert any(t[1:] == ("=", 1812.0, "套") for t in got)
    assert ("日处理能力", "=", 800.0, "吨") in got
    assert any(t[1:] == ("<=", 20.0, "%") for t in got)


# --------------------------------------------------------------------------- working days


def test_working_days_across_national_day_2018() -> None:
    # 2018: 9/29 (Sat) and 9/30 (Sun) were 调休 working days; 10/1–10/7 holiday.
    assert is_working_day(date(2018, 9, 29))
    assert not is_working_day(date(2018, 10, 2))
    assert add_working_days(date(2018, 9, 28), 5) == date(2018, 10, 10)
    assert add_working_days(date(2025, 9, 24), 20) == date(2025, 10, 28)  # cn-rules §6 example
    assert add_working_days(date(2018, 9, 28), 0) == date(2018, 9, 28)


def test_unknown_year_says_so() -> None:
    with pytest.raises(CalendarUnknown, match="2099年"):
        is_working_day(date(2099, 3, 2))
    # a staff-entered schedule answers for its days
    assert is_working_day(date(2099, 3, 2), {date(2099, 3, 2): True})


# --------------------------------------------------------------------------- the real issue


@pytest.fixture(scope="module")
def sample_tasks() -> dict:
    from gongbao.core import parse_file

    result = parse_file(shared_path("corpus", "guanxian-2018-03.md"))
    return {d.ident: extract_tasks(d, COUNTY) for d in result.documents}


def test_sample_counts(sample_tasks) -> None:
    assert len(sample_tasks["guanzhengbanfa-2018-41"]) == 59
    assert len(sample_tasks["guanzhengbanfa-2018-50"]) == 28
    measures = {t.key.split(".")[0] for t in sample_tasks["guanzhengbanfa-2018-57"]}
    assert measures == {str(n) for n in range(1, 22)}


def test_sample_disclosure_task_1(sample_tasks) -> None:
    task = sample_tasks["guanzhengbanfa-2018-41"][0]
    assert (task.key, task.number, task.style) == ("1", "(1)", "labelled")
    assert task.units_by_role("lead") == ["县发改局"]
    assert task.units_by_role("cooperate") == ["县经信和商务局", "县市场监管局"]
    assert task.heading_path[-1].endswith("围绕全县新旧动能转换重大工程做好公开")
    assert task.block.startswith("t-p") and task.anchor == "t-s2.1.1.1"


def test_sample_water_deadlines(sample_tasks) -> None:
    water = {t.key: t for t in sample_tasks["guanzhengbanfa-2018-50"]}
    assert [d.date for d in water["2"].deadlines] == [date(2018, 8, 31)]
    assert [d.date for d in water["11"].deadlines] == [date(2018, 8, 31), date(2018, 12, 31)]
    assert ("日处理能力", 800.0) in {(t.what, t.value) for t in water["11"].targets}


def test_sample_matches_hand_labels(sample_tasks) -> None:
    """Every labelled task, field by field (the labels say why each value is what it is)."""
    expected = _labels()
    for ident, tasks in expected.items():
        got = {t.key: t for t in sample_tasks[ident]}
        assert set(got) == set(tasks), ident
        for key, want in tasks.items():
            task = got[key]
            for role in ("lead", "cooperate", "implement", "responsible"):
                assert sorted(task.units_by_role(role)) == sorted(want[role]), (ident, key, role)
            dates = sorted({d.date.isoformat() for d in task.deadlines if d.date})
            assert dates == sorted(want["deadlines"]), (ident, key)
    scores = score(expected, {i: sample_tasks[i] for i in expected})
    assert scores["units"].precision >= 0.95 and scores["units"].recall >= 0.95
    assert scores["deadlines"].precision >= 0.95 and scores["deadlines"].recall >= 0.95


def test_page_broken_bracket_is_joined(sample_tasks) -> None:
    task = {t.key: t for t in sample_tasks["guanzhengbanfa-2018-57"]}["16.4"]
    assert task.units_by_role("lead") == ["县经信和商务局"]
    assert task.units_by_role("cooperate") == ["县农业局"]
    assert task.notes


def test_other_documents_never_raise(sample_tasks) -> None:
    assert all(isinstance(v, list) for v in sample_tasks.values())
