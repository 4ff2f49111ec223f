"""Hand-made layouts the sample does not show: no TOC and no marks, 文号 under the title, 版记."""

from __future__ import annotations

from gongbao.core import parse_text
from gongbao.core.conservation import account

BARE = """# 示例县人民政府公报

2020
第1期（总第5期）

关于做好防汛工作的通知

（示政发〔2020〕3号）

各乡镇人民政府，县直各部门：

一、加强组织领导

各乡镇要落实防汛责任。

附件：防汛责任人名单

示例县人民政府
2020年5月6日

（此件公开发布）

附件

防汛责任人名单

张三 县应急局局长

抄送：县委办公室，县人大常委会办公室。

示例县人民政府办公室　　2020年5月7日印发

关于加强安全生产的意见

示政发〔2020〕4号

各乡镇人民政府：

一、压实责任

要压实安全生产责任。

二〇二〇年五月八日
"""


def test_bare_issue_without_toc_or_marks() -> None:
    result = parse_text(BARE)
    assert account(BARE, result).ok
    assert (result.issue.gazette, result.issue.year, result.issue.number) == (
        "示例县人民政府公报",
        2020,
        1,
    )
    first, second = result.documents
    assert (first.title, first.doc_number.text, first.recipients) == (
        "关于做好防汛工作的通知",
        "示政发〔2020〕3号",
        "各乡镇人民政府，县直各部门",
    )
    assert first.date.isoformat() == "2020-05-06" and first.issuer == "示例县人民政府"
    assert [(a.title, a.body[0].text) for a in first.attachments] == [
        ("防汛责任人名单", "张三 县应急局局长")
    ]
    roles = {first.roles[id(b)] for b in first.tail}
    assert {"signature", "attachment_note", "note", "copy_to", "printed_by"} <= roles
    assert (second.kind, second.doc_number.text, second.date.isoformat()) == (
        "opinion",
        "示政发〔2020〕4号",
        "2020-05-08",
    )
    codes = {f.code for f in result.findings}
    assert "toc-missing" in codes
    assert "gbt9704-date" in codes  # 二〇二〇年五月八日: GB/T 9704 wants Arabic numerals


def test_doc_number_conventions_reported() -> None:
    text = BARE.replace("（示政发〔2020〕3号）", "示政发[2020]03号")
    result = parse_text(text)
    messages = [f.message for f in result.findings if f.code == "gbt9704-doc-number"]
    assert any("六角括号" in m for m in messages) and any(
        "前导零" in m or "虚位" in m for m in messages
    )
