"""Text conservation on generated inputs: nothing lost, nothing invented, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongbao.core import parse_text
from gongbao.core.conservation import account
from gongbao.core.generate import generate_issue

FRAGMENTS = [
    "# ", "## ", "### ", "**", "\n", "\n\n", "\t", "  \n", "---", "-----\t--", "一、", "（一）", "(二)",
    "1.", "2.2.", "（3）", "①", "第一章 ", "第二节 ", "专栏 1：", "附件：", "附件1", "冠县人民政府",
    "2018年8月1日", "二〇一八年八月一日", "冠政发〔2018〕64号", "冠政办发[2018]041号", "关于印发《",
    "》的通知", "通 知", "目 录", "○县政府文件", "<b>", "</b>", "<sub>2.5</sub>", "$\\alpha$",
    "&amp;", "\\*", "|", "| a | b |\n|---|---|\n| 1 | 2 |", "<table><tr><td>甲</td></tr></table>",
    "主要工作：", "县发改局牵头，", "。", "，", "：", "“", "”", "（", "）", "……58", ".....\t7",
    "同志们：", "7月4日，", "传达政令·宣传政策·指导工作·服务社会", "GUANXIAN", "2018", "第3期（总第27期）",
]  # fmt: skip

texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=12)), max_size=80
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_conservation_holds_on_any_text(text: str) -> None:
    text = text.replace("\r", "\n")
    result = parse_text(text)
    balance = account(text, result)
    assert balance.ok, (balance.missing.most_common(5), balance.extra.most_common(5))


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_conservation_holds_on_generated_issues(seed: int) -> None:
    text = generate_issue(seed, year=2012, number=2, paragraphs_per_doc=8)
    assert account(text, parse_text(text)).ok


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_conservation_holds_on_mangled_sample(data: st.DataObject) -> None:
    """Cut, shuffle and repeat stretches of the real issue: still nothing lost or invented."""
    from tests.conftest import shared_path

    lines = shared_path("corpus", "guanxian-2018-03.md").read_text("utf-8").split("\n")
    start = data.draw(st.integers(0, len(lines) - 1))
    length = data.draw(st.integers(1, 400))
    piece = lines[start : start + length]
    cut = data.draw(st.integers(0, len(piece)))
    text = "\n".join(piece[cut:] + piece[:cut] + piece[: data.draw(st.integers(0, 20))])
    assert account(text, parse_text(text)).ok
