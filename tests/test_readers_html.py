"""The HTML reader on saved portal pages (tests/data/html, written for these tests).

A page gives the same document as its text given as plain text; its site chrome
is recorded as removals (text conservation holds); the portal's metadata table
is a separate source; a page of navigation only gives no document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongbao.core.conservation import account
from gongbao.core.export.json import to_dict
from gongbao.core.parse import parse_stream
from gongbao.core.readers.detect import read_source, sniff
from gongbao.core.readers.html import attachment_links

pytest.importorskip("readability")  # the [html] extra

PAGES = Path(__file__).parent / "data" / "html"
FIELDS = ("id", "kind", "title", "doc_number", "issuer", "issuers", "date", "recipients")


def _parse(data: bytes, name: str):
    stream = read_source(data, name=name)
    return stream, parse_stream(stream, source=name)


def _texts(node) -> list[str]:
    """Every printed string of a document's JSON, without line numbers and anchors."""
    if isinstance(node, dict):
        return [
            t for k, v in node.items() if k not in ("lines", "anchor", "line") for t in _texts(v)
        ]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return ["".join(node.split())] if isinstance(node, str) else []


def _as_plain_text(stream) -> bytes:
    """The article as a user would paste it into a .txt: the lines the reader kept."""
    return "\n\n".join(block.text for block in stream.blocks).encode()


# A gov.cn content page, a provincial 政府信息公开 detail page (a metadata table of one
# label per row), a county page (标签：值 lines) linking its attachments.
PAGE_NAMES = [
    "govcn-content.html",
    "province-xxgk-detail.html",
    "county-xxgk-table.html",
    "county-attachments.html",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_page_gives_the_document_its_plain_text_gives(page: str) -> None:
    stream = read_source((PAGES / page).read_bytes(), name=page)
    pasted = _as_plain_text(stream)  # before the parse: its repairs rewrite the blocks
    result = parse_stream(stream, source=page)
    _plain, plain = _parse(pasted, page.replace(".html", ".txt"))
    assert len(result.documents) == len(plain.documents) == 1
    html_doc, text_doc = to_dict(result)["documents"][0], to_dict(plain)["documents"][0]
    assert {k: html_doc[k] for k in FIELDS} == {k: text_doc[k] for k in FIELDS}
    assert _texts(html_doc["body"]) == _texts(text_doc["body"])
    assert _texts(html_doc["attachments"]) == _texts(text_doc["attachments"])
    assert account(stream.text, result).ok


def test_county_page_metadata_table_is_its_own_source() -> None:
    stream, result = _parse((PAGES / "county-xxgk-table.html").read_bytes(), "page.html")
    assert stream.metadata == {
        "索引号": "11371525004332785T/2018-00064",
        "主题分类": "综合政务",
        "发文机关": "冠县人民政府",
        "成文日期": "2018年7月23日",
        "文号": "冠政发〔2018〕64号",
        "发布日期": "2018年7月25日",
    }
    doc = result.documents[0]
    assert (
        doc.doc_number.text == "冠政发〔2018〕64号" and doc.title == "关于开展第四次经济普查的通知"
    )
    removed = {r.kind: [] for r in stream.repairs}
    for r in stream.repairs:
        removed[r.kind].append(r.removed)
    assert len(removed["portal-metadata"]) == 3
    assert (
        "【打印本页】【关闭窗口】" in removed["chrome"] and "鲁ICP备12345678号" in removed["chrome"]
    )
    assert all("不应出现" not in line for line in stream.text.splitlines())  # scripts are no text


def test_govcn_page_labels_with_spaces() -> None:
    stream, _ = _parse((PAGES / "govcn-content.html").read_bytes(), "page.html")
    assert stream.metadata["索引号"] == "000014349/2019-00008"
    assert stream.metadata["发文字号"] == "国办发〔2019〕3号"
    assert stream.metadata["标题"].endswith("春节期间安全生产工作的通知")


def test_provincial_page_metadata_table_of_one_label_per_row() -> None:
    stream, result = _parse((PAGES / "province-xxgk-detail.html").read_bytes(), "page.html")
    assert stream.metadata == {
        "索引号": "11370000004XXXXXXX/2019-00045",
        "主题分类": "城乡建设、环境保护",
        "发文机关": "山东省人民政府办公厅",
        "成文日期": "2019年5月10日",
        "发文字号": "鲁政办字〔2019〕45号",
        "发布日期": "2019年5月14日",
        "标题": "山东省人民政府办公厅关于加强农村生活垃圾治理工作的通知",
    }
    (doc,) = result.documents
    assert doc.doc_number.text == "鲁政办字〔2019〕45号" and doc.issuer == "山东省人民政府办公厅"
    assert str(doc.date) == "2019-05-10"
    removed = [r.removed for r in stream.repairs if r.kind == "chrome"]
    assert "全省农村人居环境整治工作会议召开" in removed  # 相关链接: no part of the text


def test_county_page_metadata_lines_and_attachment_links() -> None:
    data = (PAGES / "county-attachments.html").read_bytes()
    stream, result = _parse(data, "page.html")
    assert stream.metadata["主题分类"] == "安全生产监管"
    assert stream.metadata["文号"] == "阳政办发〔2019〕12号"
    (doc,) = result.documents
    assert [a.title for a in doc.attachments] == [
        "2019年度安全生产大检查工作方案",
        "安全生产大检查情况统计表",
    ]
    links = attachment_links(data, "page.html")
    assert [label for _, label in links] == [
        "2019年度安全生产大检查工作方案.pdf",
        "安全生产大检查情况统计表.xls",
        "参会回执.doc",
        "未保存的附件.docx",
    ]  # the script and the menu's pages are no attachments
    assert account(stream.text, result).ok


def test_navigation_only_page_gives_no_document() -> None:
    stream, result = _parse((PAGES / "nav-only.html").read_bytes(), "nav.html")
    assert result.documents == []
    assert account(stream.text, result).ok


def test_html_is_chosen_by_name_only() -> None:
    assert sniff(b"<!DOCTYPE html><p>x</p>", "a.html") == "html"
    assert sniff(b"<!DOCTYPE html><p>x</p>", "a.htm") == "html"
    assert sniff(b"<!DOCTYPE html><p>x</p>", "pasted.txt") == "text"  # the markup repair's
