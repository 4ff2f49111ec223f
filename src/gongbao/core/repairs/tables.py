"""Repair: turn table residue into real table blocks with cells.

Reads: blocks. Writes: blocks where HTML tables, Markdown pipe tables and
tab-separated rows (what a PDF converter leaves of a ruled table) have become
``table`` blocks with ``rows``. Removed tags, pipes and separator rows are
recorded. Two-column tab rows ending in a page number are table-of-contents
rows and are left for the frame parser.
"""

from __future__ import annotations

import re

from gongbao.core.model import Block, Line, Repair

_ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.S | re.I)
_CELL_RE = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]\s*>", re.S | re.I)
_ANY_TAG_RE = re.compile(r"<[^<>]{0,300}>")
_SEPARATOR_CELL_RE = re.compile(r"^\s*:?-{2,}:?\s*$")
_PAGE_RE = re.compile(r"^\d{1,4}$")


def cut_tables(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Replace table-like paragraph blocks by table blocks."""
    for block in blocks:
        if block.kind != "paragraph":
            continue
        text = block.text
        if "<table" in text.lower():
            block.rows = _html_rows(block, log)
        elif all(ln.text.startswith("|") for ln in block.lines) and len(block.lines) >= 2:
            block.rows = _pipe_rows(block, log)
        elif _is_tab_table(block.lines):
            block.rows = [[c.strip() for c in ln.text.split("\t")] for ln in block.lines]
        else:
            continue
        block.kind = "table"
        width = max((len(r) for r in block.rows), default=0)
        block.rows = [r + [""] * (width - len(r)) for r in block.rows]
    return blocks


def _html_rows(block: Block, log: list[Repair]) -> list[list[str]]:
    text = block.text
    rows = [
        [_ANY_TAG_RE.sub("", cell).strip() for cell in _CELL_RE.findall(row)]
        for row in _ROW_RE.findall(text)
    ]
    # Whatever the rows did not keep is markup: record it so no character goes missing.
    kept = "".join("".join(r) for r in rows)
    removed = _ANY_TAG_RE.findall(text)
    leftover = _ANY_TAG_RE.sub("", text)
    for cell in (c for r in rows for c in r):
        leftover = leftover.replace(cell, "", 1)
    log.append(
        Repair(
            "html-table",
            (block.first_line, block.last_line),
            removed="".join(removed) + "".join(leftover.split()),
            note=f"{len(rows)} 行，{len(kept)} 字",
        )
    )
    return rows


def _pipe_rows(block: Block, log: list[Repair]) -> list[list[str]]:
    rows: list[list[str]] = []
    removed: list[str] = []
    for ln in block.lines:
        inner = ln.text.strip()
        cells = inner.strip("|").split("|")
        if all(_SEPARATOR_CELL_RE.match(c) for c in cells):
            removed.append(inner)
            continue
        removed.append("|" * inner.count("|"))
        rows.append([c.strip() for c in cells])
    log.append(Repair("pipe-table", (block.first_line, block.last_line), removed="".join(removed)))
    return rows


def _is_tab_table(lines: list[Line]) -> bool:
    # Rows whose only other cells were empty lost their tabs with the trailing space.
    tabbed = sum("\t" in ln.text for ln in lines)
    if len(lines) < 2 or tabbed < 2 or tabbed < 0.6 * len(lines):
        return False
    widths = [len(ln.text.split("\t")) for ln in lines]
    if max(widths) < 3:
        return False
    # A table of contents: title, page. Not a table.
    return not all(
        _PAGE_RE.match(ln.text.rsplit("\t", 1)[-1].strip()) for ln in lines if "\t" in ln.text
    )
