"""HTML reader: a saved web page (a portal's 政府信息公开 detail page, a gov.cn content page).

Reads: the page's bytes. Writes: a ``BlockStream`` whose ``text`` is the page's
visible text, one line per block element (a table row: its cells, tab-separated).
readability-lxml picks the article; every other line (navigation, share buttons,
打印/关闭, footers) is a recorded removal (``Repair`` kind ``chrome``), so text
conservation holds. The portal's own metadata (索引号, 发文机关, 成文日期, 发布日期,
文号, 主题分类, as a table or as 标签：值 lines) is kept apart: removed from the
text as kind ``portal-metadata`` and returned in ``BlockStream.metadata``
(label → value), a separate source the archive compares with the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from gongbao.core.model import Block, Line, Repair
from gongbao.core.readers import BlockStream, ReadError
from gongbao.core.readers.text import decode

METADATA_LABELS = (
    "索引号", "主题分类", "发文机关", "发布机构", "成文日期", "发布日期", "文号", "发文字号",
    "公开方式", "公开范围", "有效性", "名称", "标题",
)  # fmt: skip
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "ul", "br", "table",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "select", "button"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PAIR_RE = re.compile(
    r"(" + "|".join(sorted(METADATA_LABELS, key=len, reverse=True)) + r")\s*[:：]\s*"
)
ATTACHMENT_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".ofd",
    ".zip", ".rar", ".7z", ".txt", ".csv",
)  # fmt: skip
_TITLE_WINDOW = 8  # a title printed above the article, at most this many lines before it


@dataclass
class _PageLine:
    text: str
    tag: str  # the enclosing block's tag; "tr" for a table row
    cells: list[str] | None = None
    table: int = 0  # which table a row belongs to


def read_html(data: bytes, name: str = "") -> BlockStream:
    """The article of a saved page as blocks; chrome and the metadata table recorded apart."""
    from lxml import html as lxml_html
    from readability import Document as Readable

    text, encoding, warnings = decode(data, name)
    try:
        root: Any = lxml_html.document_fromstring(text)
        article = Readable(text).summary(html_partial=True)
    except Exception as exc:  # lxml and readability raise their own kinds on broken pages
        raise ReadError(f"{name}：网页无法解析：{type(exc).__name__}") from exc
    lines = page_lines(root)
    if not lines:
        raise ReadError(f"{name}：网页中没有文字。")
    kept = _article(lines, page_lines(lxml_html.fragment_fromstring(article, create_parent="div")))
    metadata, meta_lines = _metadata(lines)
    return _stream(lines, kept - meta_lines, meta_lines, metadata, encoding, warnings)


def page_lines(root: Any) -> list[_PageLine]:
    """The visible text, one line per block element, in reading order."""
    out: list[_PageLine] = []
    buffer: list[str] = []
    tables = [0]

    def flush(tag: str) -> None:
        line = " ".join("".join(buffer).split())
        buffer.clear()
        if line:
            out.append(_PageLine(line, tag))

    def visit(el: Any, tag: str) -> None:
        name = el.tag if isinstance(el.tag, str) else ""
        if name and name.lower() in _SKIP_TAGS:
            return
        name = name.lower()
        if name == "table":
            flush(tag)
            tables[0] += 1
            _rows(el, tables[0], out)
            return
        block = name in _BLOCK_TAGS
        if block:
            flush(tag)
        if name and el.text:
            buffer.append(el.text)
        for child in el:
            visit(child, name if block else tag)
            if child.tail:
                buffer.append(child.tail)
        if block:
            flush(name)

    visit(root, "body")
    flush("body")
    return out


def _rows(table: Any, number: int, out: list[_PageLine]) -> None:
    for row in table.iter("tr"):
        cells = [" ".join(cell.text_content().split()) for cell in row if cell.tag in ("td", "th")]
        cells = [c for c in cells if c]
        if cells:
            out.append(_PageLine("\t".join(cells), "tr", cells, number))


def _key(text: str) -> str:
    return "".join(text.split())


def _article(lines: list[_PageLine], article: list[_PageLine]) -> set[int]:
    """The indexes of the page's lines that readability kept, and the title above them."""
    keys = {_key(line.text) for line in article}
    whole = "".join(keys)
    kept = {
        i
        for i, line in enumerate(lines)
        if _key(line.text) in keys or (len(_key(line.text)) >= 8 and _key(line.text) in whole)
    }
    if kept:
        first = min(kept)
        for i in range(first - 1, max(-1, first - 1 - _TITLE_WINDOW), -1):
            if lines[i].tag in _HEADINGS:
                kept.add(i)  # the title, printed above the article container
                break
    return kept


def _metadata(lines: list[_PageLine]) -> tuple[dict[str, str], set[int]]:
    """The portal's metadata (label → value) and the lines that print it.

    A line is metadata when it prints two 标签：值 pairs, or one in a table whose
    rows print two or more (a table of one pair per row).
    """
    pairs = [_row_pairs(line.cells) if line.cells else _line_pairs(line.text) for line in lines]
    per_table: dict[int, int] = {}
    for line, found in zip(lines, pairs, strict=True):
        if line.cells:
            per_table[line.table] = per_table.get(line.table, 0) + len(found)
    metadata: dict[str, str] = {}
    used: set[int] = set()
    for i, (line, found) in enumerate(zip(lines, pairs, strict=True)):
        in_table = bool(line.cells) and per_table.get(line.table, 0) >= 2
        if len(found) >= 2 or (found and in_table):
            for label, value in found:
                metadata.setdefault(label, value)
            used.add(i)
    return metadata, used


def _row_pairs(cells: list[str]) -> list[tuple[str, str]]:
    """标签 | 值 cells, or 标签：值 in one cell."""
    pairs = []
    i = 0
    while i < len(cells):
        label = "".join(cells[i].split()).rstrip(":：")  # 索 引 号：, 标　　题：
        if label in METADATA_LABELS and i + 1 < len(cells):
            pairs.append((label, cells[i + 1]))
            i += 2
            continue
        pairs.extend(_line_pairs(cells[i]))
        i += 1
    return pairs


def _line_pairs(text: str) -> list[tuple[str, str]]:
    """索引号：… 发文机关：… printed on one line."""
    marks = list(_PAIR_RE.finditer(text))
    if not marks or marks[0].start() != 0:
        return []
    pairs = []
    for n, mark in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        value = text[mark.end() : end].strip()
        if value:
            pairs.append((mark.group(1), value))
    return pairs


def _stream(
    lines: list[_PageLine],
    kept: set[int],
    meta_lines: set[int],
    metadata: dict[str, str],
    encoding: str,
    warnings: list[str],
) -> BlockStream:
    blocks: list[Block] = []
    repairs: list[Repair] = []
    table_of: dict[int, int] = {}  # id(table block) → the page table its rows come from
    for i, line in enumerate(lines):
        no = i + 1
        if i in kept:
            _add_block(blocks, table_of, line, no)
        else:
            kind = "portal-metadata" if i in meta_lines else "chrome"
            note = (
                "网页信息表（另存为页面元数据）"
                if i in meta_lines
                else "网页导航、按钮、页脚等页面元素"
            )
            repairs.append(Repair(kind, (no, no), removed=line.text, note=note))
    if not blocks:
        warnings.append("网页中没有找到正文（只有导航、页脚等页面元素）。")
    text = "\n".join(line.text for line in lines) + "\n"
    return BlockStream(blocks, text, encoding, repairs, warnings, metadata=metadata)


def _add_block(blocks: list[Block], table_of: dict[int, int], line: _PageLine, no: int) -> None:
    source = Line(no, line.text)
    if line.cells is None:
        kind = "heading" if line.tag in _HEADINGS else "paragraph"
        level = int(line.tag[1]) if kind == "heading" else 0
        blocks.append(Block(kind, [source], md_level=level))
        return
    last = blocks[-1] if blocks else None
    if last is not None and table_of.get(id(last)) == line.table:
        cast(list[list[str]], last.rows).append(line.cells)
        last.lines.append(source)
        return
    block = Block("table", [source], rows=[line.cells])
    table_of[id(block)] = line.table
    blocks.append(block)


def attachment_links(data: bytes, name: str = "") -> list[tuple[str, str]]:
    """The page's links to attachment files, in page order: (href, link text).

    A link counts when its path ends in a document suffix (``附件1.xls``); the
    same href twice is listed once.
    """
    from urllib.parse import unquote, urlsplit

    from lxml import html as lxml_html

    text, _, _ = decode(data, name)
    try:
        root: Any = lxml_html.document_fromstring(text)
    except Exception:  # a page lxml cannot read has no links to follow
        return []
    out: dict[str, str] = {}
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        path = unquote(urlsplit(href).path)
        if href and path.lower().endswith(ATTACHMENT_SUFFIXES) and href not in out:
            out[href] = " ".join(link.text_content().split())
    return list(out.items())
