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


@pytest.mark.parametrize("page", ["county-xxgk-table.html", "govcn-content.html"])
def test_page_gives_the_document_its_plain_text_gives(page: str) -> None:
    stream = read_source((PAGES / page).read_bytes(), name=page)
    pasted = _as_plain_text(stream)  # before the parse: its repairs rewrite the blocks
    result = parse_stream(stream, source=page)
    _plain, plain = _parse(pasted, page.replace(".html", ".txt"))
    assert len(result.documents) == len(plain.documents) == 1
    html_doc, text_doc = to_dict(result)["documents"][0], to_dict(plain)["documents"][0]
    assert {k: html_doc[k] for k in FIELDS} == {k: text_doc[k] for k in FIELDS}
    assert _texts(html_doc["body"]) == _texts(text_doc["body"])
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


def test_navigation_only_page_gives_no_document() -> None:
    stream, result = _parse((PAGES / "nav-only.html").read_bytes(), "nav.html")
    assert result.documents == []
    assert account(stream.text, result).ok


def test_html_is_chosen_by_name_only() -> None:
    assert sniff(b"<!DOCTYPE html><p>x</p>", "a.html") == "html"
    assert sniff(b"<!DOCTYPE html><p>x</p>", "a.htm") == "html"
    assert sniff(b"<!DOCTYPE html><p>x</p>", "pasted.txt") == "text"  # the markup repair's
