"""Printed lines → blocks: the page layout rules the PDF and OCR readers share.

Reads: ``PageLines`` (printed lines with positions, y down from the page top),
from a PDF's text layer (``readers.pdf``) or from OCR (``readers.ocr``).
Writes: the ``BlockStream``. Lines that repeat in the top or bottom band of
most pages (running heads) and page numbers (— 7 —, ·7·, 第7页, - 7 -) are
removed and recorded as repairs; the rest are cut into blocks: a new block where
a line is indented, centred or set in another size, or where the line before it
ended short; otherwise the line continues the paragraph, also across a page
break. Larger type becomes a heading with an ``md_level`` hint; rows of cells
separated by wide gaps become tables; a ruled grid keeps a cell that wraps over
several printed lines in one row, also across a page break. OCR lines carry a
confidence: context corrections and low-confidence lines are recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, cast

from gongbao.core.docnumber import standard_brackets
from gongbao.core.model import Block, Line, Repair
from gongbao.core.readers import BlockStream

_PAGE_NO_RE = re.compile(
    r"^(?:[—–\-－一·•・\s]*(\d{1,4})[—–\-－一·•・\s]*|第\s*(\d{1,4})\s*页(?:\s*[/／共]\s*\d+\s*页?)?)$"
)
_BAND = 0.12  # top and bottom share of the page where running heads and folios sit
LOW_CONFIDENCE = 0.80  # OCR lines below this are listed in the report


@dataclass
class PLine:
    """One printed line: its text and where it sits (points, y down from the page top)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: int = 0  # characters set bold from the start of the line
    cells: list[tuple[float, float, str]] = field(default_factory=list)  # gap-separated parts
    conf: float | None = None  # OCR confidence 0–1

    @property
    def all_bold(self) -> bool:
        return self.bold >= len(self.text.replace(" ", "")) > 0


@dataclass
class PageLines:
    index: int  # physical page, from 0
    width: float
    height: float
    lines: list[PLine]
    printed: int | None = None  # the page number printed on it
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1) ruled lines


def pages_to_json(pages: list[PageLines]) -> list[dict[str, Any]]:
    """Printed lines as plain data: an OCR run kept, to be assembled again without the scans."""
    return [
        {
            "index": p.index,
            "width": p.width,
            "height": p.height,
            "lines": [
                [ln.text, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, ln.bold, ln.cells, ln.conf]
                for ln in p.lines
            ],
            **({"rules": [list(r) for r in p.rules]} if p.rules else {}),
        }
        for p in pages
    ]


def pages_from_json(data: list[dict[str, Any]]) -> list[PageLines]:
    """The inverse of pages_to_json."""
    pages = []
    for p in data:
        lines = [
            PLine(text, x0, x1, top, bottom, size, bold, [tuple(c) for c in cells], conf)
            for text, x0, x1, top, bottom, size, bold, cells, conf in p["lines"]
        ]
        rules = [(y, x0, x1) for y, x0, x1 in p.get("rules", [])]
        pages.append(PageLines(p["index"], p["width"], p["height"], lines, rules=rules))
    return pages


def page_number(text: str) -> int | None:
    """The page number a folio prints: — 7 —, ·7·, 第7页, - 7 -, 7."""
    m = _PAGE_NO_RE.match(text.strip())
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_furniture(pages: list[PageLines]) -> dict[tuple[int, int], str]:
    """Find running heads/feet and folios; set ``printed``; return {(page, line): kind}."""
    found: dict[tuple[int, int], str] = {}
    counts: Counter[str] = Counter()
    for page in pages:
        seen = set()
        for ln in _bands(page):
            seen.add(_key(ln.text))
        counts.update(seen)
    enough = max(2, int(0.4 * len(pages)))
    repeated = {k for k, n in counts.items() if n >= enough and len(pages) >= 3}
    for page in pages:
        for k, ln in enumerate(page.lines):
            if ln not in _bands(page):
                continue
            number = page_number(ln.text)
            if number is not None:
                found[(page.index, k)] = "page-number"
                page.printed = number
            elif _key(ln.text) in repeated:
                found[(page.index, k)] = "running-header"
    _infer_numbers(pages)
    return found


def _bands(page: PageLines) -> list[PLine]:
    top, bottom = page.height * _BAND, page.height * (1 - _BAND)
    return [ln for ln in page.lines if ln.bottom <= top or ln.top >= bottom]


def _infer_numbers(pages: list[PageLines]) -> None:
    """A page without a folio between numbered pages gets its number by counting."""
    known = [(p.index, p.printed) for p in pages if p.printed is not None]
    if not known:
        return
    offsets = Counter(n - i for i, n in known)
    offset = offsets.most_common(1)[0][0]
    first = min(i for i, _ in known)
    for p in pages:
        if p.printed is None and p.index > first:
            p.printed = p.index + offset


@dataclass
class _Metrics:
    size: float
    left: float
    right: float


def _metrics(pages: list[PageLines], skip: dict[tuple[int, int], str]) -> _Metrics:
    sizes: Counter[float] = Counter()
    for p in pages:
        for k, ln in enumerate(p.lines):
            if (p.index, k) not in skip and len(ln.cells) < 2:  # table rows are set smaller
                sizes[round(ln.size, 1)] += len(ln.text)
    if not sizes:
        return _Metrics(12, 0, 0)
    body = sizes.most_common(1)[0][0]
    lefts: Counter[int] = Counter()
    rights: list[float] = []
    for p in pages:
        for k, ln in enumerate(p.lines):
            if (p.index, k) not in skip and abs(ln.size - body) < 0.5:
                lefts[round(ln.x0)] += 1
                rights.append(ln.x1)
    left = min((x for x, n in lefts.items() if n >= 0.15 * max(lefts.values())), default=0)
    rights.sort()
    right = rights[int(0.9 * (len(rights) - 1))] if rights else 0
    return _Metrics(body, left, right)


def _page_size(page: PageLines, skip: dict[tuple[int, int], str]) -> float | None:
    """The body size of one page (documents may be set in different sizes)."""
    sizes: Counter[float] = Counter()
    for k, ln in enumerate(page.lines):
        if (page.index, k) not in skip and len(ln.cells) < 2 and not _inside_rules(ln, page.rules):
            sizes[round(ln.size, 1)] += len(ln.text)
    if sum(sizes.values()) < 150:
        return None
    return sizes.most_common(1)[0][0]


def assemble(pages: list[PageLines]) -> BlockStream:
    """Turn printed lines into the block stream (shared by the PDF and OCR readers)."""
    return _Assembler(pages).run()


class _Assembler:
    """One walk over the printed lines: the text and blocks so far, the open block, the table
    being collected, and the type size of the page being read."""

    def __init__(self, pages: list[PageLines]) -> None:
        self.pages = pages
        self.skip = strip_furniture(pages)
        self.m = _metrics(pages, self.skip)
        self.em = self.m.size or 12
        self.text_lines: list[str] = []
        self.repairs: list[Repair] = []
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.prev: PLine | None = None
        self.table: list[tuple[int | None, PLine]] = []
        self.table_rules: list[list[tuple[float, float, float]]] = []  # each line's page rules

    def run(self) -> BlockStream:
        page_size = self.m.size  # the body size
        for page in self.pages:
            # a page with little text keeps the size of the page before it (a document's last lines)
            page_size = _page_size(page, self.skip) or page_size
            self.m.size = page_size
            self.em = self.m.size
            if page.printed is not None:  # zero-width marker: where a printed page begins
                no = len(self.text_lines) + 1
                self.repairs.append(Repair("page-start", (no, no), note=str(page.printed)))
            for k, ln in enumerate(page.lines):
                self._line(page, k, ln)
        self._close_table()
        text = "\n".join(self.text_lines)
        return BlockStream(blocks=self.blocks, text=text, encoding="pdf", repairs=self.repairs)

    def _line(self, page: PageLines, k: int, ln: PLine) -> None:
        """One printed line: furniture, a table row, or text."""
        kind = self.skip.get((page.index, k))
        if kind:  # a running head or folio: a table may go on under it on the next page
            if self.text_lines and self.text_lines[-1] != "":
                self._emit("")
            no = self._emit(ln.text)
            self.repairs.append(
                Repair(kind, (no, no), removed=ln.text, note=f"第{page.index + 1}页")
            )
            return
        if (
            (len(ln.cells) >= 2 and not _leader_row(ln))
            or _continues_table(self.table, ln, self.m)
            or (self.table and _inside_rules(ln, page.rules))
        ):
            self.table.append((page.printed, ln))
            self.table_rules.append(page.rules)
            return
        self._close_table()
        self._text_line(ln, page.printed)

    def _text_line(self, ln: PLine, page_no: int | None) -> None:
        """A line of text, OCR's context corrections applied and recorded with low confidence."""
        read = ln.text
        if ln.conf is not None and (fixed := ocr_corrections(read)) != read:
            ln = replace(ln, text=fixed)
        self._paragraph_line(ln, page_no)
        if ln.text != read:  # the reader's correction, recorded; not a parser repair
            no = len(self.text_lines)
            self.repairs.append(Repair("ocr-correction", (no, no), note=f"{read} → {ln.text}"))
        if ln.conf is not None and ln.conf < LOW_CONFIDENCE:
            no = len(self.text_lines)
            self.repairs.append(
                Repair("ocr-low-confidence", (no, no), note=f"{ln.conf:.2f} {ln.text[:30]}")
            )

    def _emit(self, text: str) -> int:
        self.text_lines.append(text)
        return len(self.text_lines)

    def _close_table(self) -> None:
        """The collected rows become a table block; a single row is a paragraph line after all."""
        table, table_rules = self.table, self.table_rules
        if not table:
            return
        if len(table) < 2:
            (page_no, ln), *_ = table
            table.clear()
            table_rules.clear()
            self._paragraph_line(ln, page_no, force_new=True)
            return
        printed = _table_rows([ln for _, ln in table])
        lines = []
        rows = []
        groups = _ruled_rows([ln for _, ln in table], table_rules)
        for group in _rejoin_page_breaks(groups, printed, table_rules):
            row = _merge_cells([printed[k] for k in group])
            page_no, ln = table[group[0]]
            conf = (
                min((cast(float, table[k][1].conf) for k in group), default=None)
                if ln.conf is not None
                else None
            )
            lines.append(Line(self._emit("\t".join(row)), "\t".join(row), page=page_no, conf=conf))
            rows.append(row)
        self._emit("")
        self.blocks.append(Block("table", lines, rows=rows))
        table.clear()
        table_rules.clear()
        self.current = None

    def _paragraph_line(self, ln: PLine, page_no: int | None, force_new: bool = False) -> None:
        """A heading line or a paragraph line: it continues the open block or starts one."""
        m, em, current, prev = self.m, self.em, self.current, self.prev
        level = _heading_level(ln, m)
        indented = ln.x0 > m.left + 0.8 * em
        if level:
            same = (
                current is not None
                and current.kind == "heading"
                and current.md_level == level
                and prev is not None
                and abs(prev.size - ln.size) < 0.3
                and ln.top - prev.bottom < 1.2 * ln.size
                and not force_new
            )
            if same:
                assert current is not None  # checked in ``same``
                _join(current, ln, self.text_lines)
            else:
                self._start(ln, page_no, "heading", level)
            self.prev = ln
            return
        cont = (
            not force_new
            and current is not None
            and current.kind == "paragraph"
            and prev is not None
            and (
                (
                    not indented
                    and prev.x1 >= m.right - 1.5 * em
                    and not _leader_row(prev)  # a TOC row ends at its page number
                    and abs(prev.x0 - m.left) < 6 * em
                )
                or _centred_wrap(prev, ln, m)
            )
            and _same_size(prev, ln)
        )
        if cont:
            assert current is not None  # checked in ``cont``
            _join(current, ln, self.text_lines)
        else:
            self._start(ln, page_no, "paragraph", 0)
        self.prev = ln

    def _start(self, ln: PLine, page_no: int | None, kind: str, level: int) -> None:
        if self.text_lines and self.text_lines[-1] != "":
            self._emit("")
        no = self._emit(ln.text)
        block = Block(kind, [Line(no, ln.text, page=page_no, conf=ln.conf)], md_level=level)
        if kind == "paragraph" and 0 < ln.bold < len(ln.text.replace(" ", "")):
            block.bold_prefix = _prefix(ln.text, ln.bold)
        self.blocks.append(block)
        self.current = block


_DIGIT_DASH_RE = re.compile(r"(?<=\d)一(?=\d)")
# 丶 (the dot radical) is no word of modern text: between two words it is the 顿号
# of a list (平湖市政府办公室丶嘉善县政府办公室), which engines read as 丶.
_DUNHAO_RE = re.compile(r"(?<=[\u4e00-\u9fff）)”》])丶(?=[\u4e00-\u9fff（(“《])")


def ocr_corrections(text: str) -> str:
    """What OCR engines get wrong in gazette text and the context settles.

    The year brackets of a 文号 become 〔〕 (engines read 【】, [] and mix them),
    一 between two digits is the dash of a range (2018—2020年, 1—6月份), and
    丶 between two words is the 、 of a list.
    """
    return _DUNHAO_RE.sub("、", _DIGIT_DASH_RE.sub("—", standard_brackets(text)))


def _same_size(prev: PLine, ln: PLine) -> bool:
    """Set in the same type; OCR measures a short line's size to 15 % only (ocr.type_sizes)."""
    tol = 0.6
    if ln.conf is not None and len(ln.text) < 8:
        tol = max(tol, 0.15 * prev.size)
    return abs(prev.size - ln.size) < tol


def _centred_wrap(prev: PLine, ln: PLine, m: _Metrics) -> bool:
    """A centred line (a 题注, a long subtitle) that wrapped: its first line fills the
    measure, the rest is centred under it, with no sentence ending between."""
    em = ln.size or m.size
    centre = (m.left + m.right) / 2
    return (
        prev.x0 <= m.left + 2 * em
        and prev.x1 >= m.right - 2 * em
        and ln.x0 > m.left + 2 * em
        and abs((ln.x0 + ln.x1) / 2 - centre) < em
        and abs((prev.x0 + prev.x1) / 2 - centre) < em
        and not prev.text.rstrip().endswith(("。", "：", ":", "；"))
        and 0 <= ln.top - prev.bottom < 1.2 * em  # the line pitch, not a blank line
    )


def _prefix(text: str, bold: int) -> str:
    out, n = [], 0
    for ch in text:
        if n >= bold:
            break
        out.append(ch)
        n += ch != " "
    return "".join(out)


def _join(block: Block, ln: PLine, text_lines: list[str]) -> None:
    """Append a wrapped printed line to the block's last logical line."""
    last = block.lines[-1]
    glue = (
        " "
        if last.text[-1:].isascii() and ln.text[:1].isascii() and last.text[-1:].isalnum()
        else ""
    )
    last.text = last.text + glue + ln.text
    text_lines[last.no - 1] = last.text
    if ln.conf is not None and last.conf is not None:
        last.conf = min(last.conf, ln.conf)


def _heading_level(ln: PLine, m: _Metrics) -> int:
    ratio = ln.size / m.size if m.size else 1
    if len(ln.text) > 60:
        return 0
    if ratio >= 1.45:
        return 1
    if ratio >= 1.18:
        return 2
    if ratio >= 1.07:
        return 3
    if ln.all_bold and len(ln.text) <= 40:
        return 4
    return 0


def _inside_rules(ln: PLine, rules: list[tuple[float, float, float]]) -> bool:
    """A line between two ruled lines that both span it: inside a table's cell."""
    above = any(y <= ln.top + 1 and x0 - 2 <= ln.x0 and ln.x1 <= x1 + 2 for y, x0, x1 in rules)
    below = any(y >= ln.bottom - 1 and x0 - 2 <= ln.x0 and ln.x1 <= x1 + 2 for y, x0, x1 in rules)
    return above and below


def _continues_table(table: list[tuple[int | None, PLine]], ln: PLine, m: _Metrics) -> bool:
    """A row with one filled cell, right under a table row and on one of its columns."""
    if not table:
        return False
    last = table[-1][1]
    starts = [x for _, row in table for x, _, _ in row.cells]
    return (
        abs(ln.size - last.size) < 0.3
        and 0 <= ln.top - last.bottom < 0.8 * ln.size
        and ln.x1 < m.right - 2 * m.size
        and any(abs(ln.x0 - x) < 0.5 * ln.size for x in starts)
    )


def _leader_row(ln: PLine) -> bool:
    """A TOC row (title … page) is not a table row.

    OCR engines drop the dotted leader, leaving the title and the page number
    as two cells: from a scan, that shape is read as a TOC row too.
    """
    if re.search(r"(?:\.{3,}|…{2,}|·{3,})\s*\d{1,4}$", ln.text) or len(ln.cells) > 12:
        return True
    return (
        ln.conf is not None
        and len(ln.cells) == 2
        and re.fullmatch(r"\d{1,3}", ln.cells[1][2].strip()) is not None
        and not ln.cells[0][2].strip().isdigit()
    )


def _ruled_rows(
    lines: list[PLine], rules: list[list[tuple[float, float, float]]]
) -> list[list[int]]:
    """Printed lines grouped into table rows: a row ends at a ruled line.

    A cell that wraps prints its text over several lines between the same two
    rules. Only a grid rules every row: without rules (a borderless table) or
    with a header rule alone (三线表) every printed line is a row.
    """
    grids = _grids(lines, rules)
    groups: list[list[int]] = []
    for k, ln in enumerate(lines):
        if groups and rules[k] and rules[k] is rules[k - 1] and grids[id(rules[k])]:
            prev = lines[k - 1]
            ruled = any(
                prev.bottom - 2 <= y <= ln.top + 2 and x0 - 2 <= ln.x0 and ln.x0 <= x1
                for y, x0, x1 in rules[k]
            )
            if not ruled and ln.top >= prev.top:
                groups[-1].append(k)
                continue
        groups.append([k])
    return groups


def _rejoin_page_breaks(
    groups: list[list[int]], printed: list[list[str]], rules: list[list[tuple[float, float, float]]]
) -> list[list[int]]:
    """A ruled row cut by a page break: its rest, at the top of the next page, is a
    row of its own with a cell left empty; it goes back to the row above."""
    out: list[list[int]] = []
    for group in groups:
        first = group[0]
        if out and rules[first] and rules[first] is not rules[out[-1][-1]]:
            cells = _merge_cells([printed[k] for k in group])
            if any(cells) and not all(cells):
                out[-1] = out[-1] + group
                continue
        out.append(list(group))
    return out


def _grids(lines: list[PLine], rules: list[list[tuple[float, float, float]]]) -> dict[int, bool]:
    """Per page (its rules): two or more rules between the table's lines, so rows are ruled."""
    spans: dict[int, tuple[float, float, list[tuple[float, float, float]]]] = {}
    for ln, r in zip(lines, rules, strict=True):
        top, bottom, _ = spans.get(id(r), (ln.top, ln.bottom, r))
        spans[id(r)] = (min(top, ln.top), max(bottom, ln.bottom), r)
    return {
        key: sum(top < y < bottom for y, _, _ in r) >= 2 for key, (top, bottom, r) in spans.items()
    }


def _merge_cells(rows: list[list[str]]) -> list[str]:
    """The printed lines of one table row, joined column by column."""
    out = list(rows[0])
    for row in rows[1:]:
        for c, text in enumerate(row):
            if not text:
                continue
            if not out[c]:
                out[c] = text
                continue
            glue = (
                " " if out[c][-1:].isascii() and text[:1].isascii() and text[:1].isalnum() else ""
            )
            out[c] = out[c] + glue + text
    return out


def _table_rows(lines: list[PLine]) -> list[list[str]]:
    """Cells of table rows, aligned to the columns all rows share."""
    starts = sorted(x for ln in lines for x, _, _ in ln.cells)
    cols: list[float] = []
    tol = max(ln.size for ln in lines) * 1.5
    for x in starts:
        if not cols or x - cols[-1] > tol:
            cols.append(x)
    rows = []
    for ln in lines:
        row = [""] * len(cols)
        for x, _, t in ln.cells:
            c = min(range(len(cols)), key=lambda j: abs(cols[j] - x))
            row[c] = (row[c] + " " + t).strip() if row[c] else t
        rows.append(row)
    return _complementary(rows)


def _complementary(rows: list[list[str]]) -> list[list[str]]:
    """Neighbouring columns never filled in the same row are one column: a header
    centred over its column starts further right than the cells under it."""
    width = max((len(r) for r in rows), default=0)
    keep: list[list[int]] = []
    for c in range(width):
        if keep and not any(any(r[k] for k in keep[-1]) and r[c] for r in rows):
            keep[-1].append(c)
        else:
            keep.append([c])
    if len(keep) == width:
        return rows
    return [[" ".join(r[k] for k in group if r[k]) for group in keep] for r in rows]
