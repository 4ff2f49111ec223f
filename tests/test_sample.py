"""The real issue (冠县人民政府公报 2018年第3期) against its hand-checked ground truth."""

from __future__ import annotations

import json

import pytest

from gongbao.core import parse_file
from gongbao.core.conservation import account
from gongbao.core.model import Document, Node, ParseResult
from tests.conftest import shared_path
from tests.truth import assert_matches


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(shared_path("corpus", "guanxian-2018-03.expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse_file(shared_path("corpus", "guanxian-2018-03.md"))


def test_issue_fields(result: ParseResult, expected: dict) -> None:
    issue = result.issue
    for key, value in expected["issue"].items():
        assert getattr(issue, key) == value, key
    assert issue.ident == "guanxian-2018-03"


def test_all_documents_in_order(result: ParseResult, expected: dict) -> None:
    assert [d.seq for d in result.documents] == [d["seq"] for d in expected["documents"]]
    assert [d.title for d in result.documents] == [d["title"] for d in expected["documents"]]


@pytest.mark.parametrize("seq", range(1, 19))
def test_document_fields(result: ParseResult, expected: dict, seq: int) -> None:
    doc = result.documents[seq - 1]
    assert_matches(doc, expected["documents"][seq - 1])
    if "date_note" in expected["documents"][seq - 1]:
        assert doc.date_note == expected["documents"][seq - 1]["date_note"]


@pytest.mark.parametrize("seq", range(1, 10))
def test_top_level_headings(result: ParseResult, expected: dict, seq: int) -> None:
    want = expected["documents"][seq - 1]
    doc = result.documents[seq - 1]
    if "top_level_headings" in want:
        assert doc.top_headings() == want["top_level_headings"]
    if "plan_top_level_headings" in want:
        assert doc.promulgates is not None
        assert doc.promulgates.top_headings() == want["plan_top_level_headings"]


def test_toc_mismatches_reported(result: ParseResult, expected: dict) -> None:
    flagged = {f.document for f in result.findings if f.code == "toc-mismatch"}
    want = {d["seq"] for d in expected["documents"] if "toc_mismatch" in d}
    assert flagged == want
    message = next(f.message for f in result.findings if f.code == "toc-mismatch")
    assert "2020" in message and "2022" in message


def _sections(nodes: list[Node], style: str) -> list[Node]:
    return [n for top in nodes for n in top.walk() if n.kind == "section" and n.style == style]


def test_open_government_plan_tasks(result: ParseResult) -> None:
    plan = result.documents[4].promulgates
    assert plan is not None
    tasks = _sections(plan.body, "paren_arabic")
    assert [t.value for t in tasks] == list(range(1, 60))
    for task in tasks:
        labels = {(c.label or "").strip("：: ") for c in task.children if c.kind == "paragraph"}
        assert labels & {"主要工作", "主要任务"}, task.text
        assert {"目标要求", "责任分工"} <= labels, task.text


def test_ocr_numbering_repaired(result: ParseResult) -> None:
    plan = result.documents[4].promulgates
    arabic = [n.value for n in _sections(plan.body, "arabic")]
    assert arabic == list(range(1, 23))
    assert any(r.kind == "ocr-numbering" for r in result.repairs)


def test_misplaced_signature_lifted(result: ParseResult) -> None:
    doc: Document = result.documents[3]
    assert doc.signature == "冠县人民政府"
    assert doc.date is not None and doc.date.isoformat() == "2018-09-20"
    texts = [n.text for top in doc.promulgates.body for n in top.walk()]
    assert any("工业用电量17.4亿千瓦时，比上年增长4.2%" in t for t in texts)
    assert not any(t.strip() == "冠县人民政府" for t in texts)


def test_water_plan_items(result: ParseResult) -> None:
    plan = result.documents[6].promulgates
    assert [n.value for n in _sections(plan.body, "arabic")] == list(range(1, 29))


def test_food_safety_measures(result: ParseResult) -> None:
    doc = result.documents[7]
    assert [n.value for n in _sections(doc.body, "paren_cn")] == list(range(1, 22))


def test_page_break_joins(result: ParseResult) -> None:
    speech = result.documents[0]
    texts = [n.text for top in speech.body for n in top.walk()]
    assert any("首先就是要解决思想认识的问题。" in t for t in texts)
    assert any("投资环境、加强知识产权保护" in t for t in texts)


def test_run_in_heading(result: ParseResult) -> None:
    speech = result.documents[0]
    heads = [n for n in _sections(speech.body, "paren_cn") if n.heading.startswith("强化保障")]
    assert heads and heads[0].heading == "强化保障、狠抓落实。"
    assert heads[0].children[0].text.startswith("一是完善相关政策。")


def test_heading_runon_split(result: ParseResult) -> None:
    doc = result.documents[7]
    six = next(n for n in _sections(doc.body, "paren_cn") if n.value == 6)
    assert six.heading == "加强餐饮质量安全监管。"
    assert six.children[0].text.startswith("实施“清洁厨房”行动")


def test_latex_and_html_repaired(result: ParseResult) -> None:
    kinds = {r.kind for r in result.repairs}
    assert {"latex", "html-tag", "bold-marker", "toc-dash-row", "heading-mark"} <= kinds
    plan = result.documents[3].promulgates
    tables = [n for top in plan.body for n in top.walk() if n.kind == "table"]
    assert tables and tables[0].rows[0][0] == "指标"
    assert any("PM2.5" in cell.replace(" ", "") for row in tables[0].rows for cell in row)
    texts = [n.text for top in plan.body for n in top.walk()]
    assert any("α" in t for t in texts) and not any("$" in t for t in texts)


def test_text_conservation(result: ParseResult) -> None:
    source = shared_path("corpus", "guanxian-2018-03.md").read_text("utf-8")
    balance = account(source, result)
    assert balance.ok, (balance.missing.most_common(10), balance.extra.most_common(10))


def test_task_with_bracketed_heading_is_a_heading(result: ParseResult) -> None:
    """（42）推进…（IPv6）: a heading ending in a closing bracket keeps its text."""
    [task] = [n for n in _all_nodes(result) if n.kind == "section" and n.num == "（42）"]
    assert task.heading == "推进政府网站部署互联网协议第六版（IPv6）"
    assert task.children[0].label == "主要工作："


def test_leading_group_roster_has_one_line_per_member(result: ParseResult) -> None:
    [roster] = [
        n for n in _all_nodes(result) if n.kind == "lines" and n.text.startswith("组 长：赵存吉")
    ]
    lines = roster.text.split("\n")
    assert lines[1] == "副组长：王怀礼 县政府督查室主任、工业公司总经理"
    assert "吕东江 县委宣传部主任科员" in lines and "郭洪恩 县统计局局长" in lines
    assert "陈树华 国家税务总局冠县税务局副局长" in lines
    assert "张 伟 县体育局老年体协办公室主任" in lines
    assert lines[-1] == "领导小组下设办公室，办公室设在县统计局，郭洪恩兼任办公室主任。"


def _all_nodes(result: ParseResult) -> list[Node]:
    out: list[Node] = []
    for doc in result.documents:
        for part in [doc, *([doc.promulgates] if doc.promulgates else [])]:
            for root in [*part.body, *(n for a in part.attachments for n in a.body)]:
                out.extend(root.walk())
    return out
