"""The parser: a block stream in, a structured and checked issue out.

Stages, each in its own module: ``frame`` (cover, TOC) → ``split`` (where
documents begin) → ``elements`` (each document's GB/T 9704 elements, with
``body`` building its tree). It never refuses input: what it cannot place it
keeps in ``ParseResult.unassigned`` and says so in the report.
"""

from __future__ import annotations

from gongbao.core.hant import needs_shadow, restore, shadow_blocks
from gongbao.core.ids import assign_ids
from gongbao.core.model import Block, Document, Finding, ParseResult, Repair
from gongbao.core.parse.elements import (
    build_document,
    enclosed_name,
    names_match,
    promulgated_name,
)
from gongbao.core.parse.frame import parse_frame
from gongbao.core.parse.frameless import frameless_starts
from gongbao.core.parse.split import Start, find_starts, title_text
from gongbao.core.patterns import squeeze
from gongbao.core.readers import BlockStream
from gongbao.core.repairs import repair
from gongbao.core.report import proofread

_MARKS = "○●◆◇■□☆★◎【】[]〖〗 "


def parse_stream(stream: BlockStream, source: str = "") -> ParseResult:
    """Repair, frame, split and assemble; then proofread."""
    log: list[Repair] = list(stream.repairs)
    back = None
    if needs_shadow("\n".join(b.text for b in stream.blocks)):
        back = shadow_blocks(stream.blocks)  # traditional text: parse a simplified copy
    blocks = repair(stream.blocks, log)
    issue, body_at = parse_frame(blocks, log)
    body, dividers = _take_dividers(blocks[body_at:], issue.sections)
    found = find_starts(body, issue.toc) if issue.toc else frameless_starts(body)
    starts = _drop_embedded(found, body)
    documents: list[Document] = []
    unassigned = body[: starts[0].index] if starts else body
    for n, start in enumerate(starts):
        end = starts[n + 1].index if n + 1 < len(starts) else len(body)
        doc = build_document(
            n + 1,
            body[start.index : end],
            start.title_index - start.index,
            start.title_blocks,
            issue.year,
            log,
        )
        if start.entry is not None:
            doc.section, doc.page, doc.toc_title = (
                start.entry.section,
                start.entry.page,
                start.entry.title,
            )
        documents.append(doc)
    result = ParseResult(
        issue=issue,
        documents=documents,
        repairs=log,
        findings=[Finding("encoding", "warning", w) for w in stream.warnings],
        source=source,
        encoding=stream.encoding,
        unassigned=list(unassigned),
        dividers=dividers,
    )
    assign_ids(result)
    result.findings.extend(proofread(result, [s.entry for s in starts]))
    if back is not None:
        restore(result, back)
        result.findings.append(
            Finding("traditional", "info", "繁体字文件：按简体对照识别，输出保留原字")
        )
    return result


def _drop_embedded(starts: list[Start], body: list[Block]) -> list[Start]:
    """Without a TOC entry, a title that names the text the previous notice promulgates
    (in its title, or in its 印发/发布 sentence) is that text's title, not a new document."""
    kept: list[Start] = []
    for start in starts:
        if start.entry is None and kept and start.title_blocks and _encloses(kept[-1], start, body):
            continue
        kept.append(start)
    return kept


def _encloses(prev: Start, start: Start, body: list[Block]) -> bool:
    prev_title = title_text(body[prev.title_index : prev.title_index + prev.title_blocks])
    opening = body[prev.title_index + prev.title_blocks : start.index]
    name = promulgated_name(prev_title) or enclosed_name(opening)
    own = title_text(body[start.title_index : start.title_index + start.title_blocks])
    if not name:
        return False
    return start.index == start.title_index and names_match(own, name)


def _take_dividers(blocks: list[Block], sections: list[str]) -> tuple[list[Block], list[Block]]:
    """Section lines the body repeats between documents (○县政府文件) belong to no document."""
    names = set(sections)
    body: list[Block] = []
    dividers: list[Block] = []
    for block in blocks:
        text = squeeze(block.text).strip(_MARKS)
        (dividers if len(block.lines) == 1 and text in names else body).append(block)
    return body, dividers
