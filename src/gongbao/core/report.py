"""The proofreading report: what an editor should check before publishing.

Reads: a parsed issue (documents, TOC, repairs). Writes: ``Finding`` rows —
TOC/body title mismatches, documents missing from the TOC or the body, 文号
serial gaps and duplicates, impossible or out-of-order dates, numbering that
skips or repeats, and departures from GB/T 9704-2012 conventions.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from typing import cast

from gongbao.core import dates, docnumber
from gongbao.core.model import Block, DocNumber, Document, Finding, Node, ParseResult, TocEntry
from gongbao.core.patterns import squeeze

_REPAIR_NOTES = {
    "ocr-numbering": ("warning", "编号疑为OCR错误，已更正"),
    "misplaced-signature": ("warning", "署名印在另一文件的句子中间，已移回并接续句子"),
}


_SPLIT_LABEL = "编号中间多了一个点（疑为排版或转换错误），已按上下文更正"


def read_by_ocr(result: ParseResult) -> bool:
    """Whether any of the text came from OCR (a scan, or PDF pages without a text layer)."""
    return "ocr" in (result.encoding or "")


def proofread(result: ParseResult, matched: list[TocEntry | None]) -> list[Finding]:
    findings: list[Finding] = []
    findings += _frame(result)
    findings += _toc(result, matched)
    findings += _serials(result.documents)
    findings += _dates(result)
    for doc in result.documents:
        findings += _conventions(doc)
        findings += numbering_findings(doc.body, doc.seq)
        if doc.promulgates is not None:
            findings += numbering_findings(doc.promulgates.body, doc.seq)
            findings += _attachments(doc.promulgates)
        findings += _attachments(doc)
    findings += toc_pages(result)
    findings += low_confidence(result)
    for rep in result.repairs:
        if rep.kind in _REPAIR_NOTES:
            severity, what = _REPAIR_NOTES[rep.kind]
            if rep.kind == "ocr-numbering" and not read_by_ocr(result):
                what = _SPLIT_LABEL  # Markdown or a PDF's text layer: no OCR to blame
            findings.append(Finding(rep.kind, severity, f"{what}：{rep.note}", lines=rep.lines))
    if result.unassigned:
        first, last = result.unassigned[0].first_line, result.unassigned[-1].last_line
        findings.append(
            Finding(
                "unassigned",
                "warning",
                f"目录之后、第一篇文件之前有 {len(result.unassigned)} 段内容不属于任何文件",
                lines=(first, last),
            )
        )
    return findings


def is_single(result: ParseResult) -> bool:
    """A single document without a gazette frame: no name, no year and number, no 目录."""
    issue = result.issue
    return not issue.gazette and issue.year is None and not issue.toc and len(result.documents) <= 1


# GB/T 9704-2012 applies from 2012-07-01; before it, GB/T 9704-1999 and the 2000
# 办法 wanted the 成文日期 in Chinese numerals (二〇〇三年七月十八日), which was right then.
GBT_9704_2012 = date(2012, 7, 1)


def under_gbt_9704_2012(doc: Document) -> bool:
    """Do the 2012 conventions bind this document (by its date, else its 文号's year)?"""
    if doc.date is not None:
        return doc.date >= GBT_9704_2012
    return doc.doc_number is not None and doc.doc_number.year >= GBT_9704_2012.year + 1


def _frame(result: ParseResult) -> list[Finding]:
    issue = result.issue
    out = []
    if is_single(result):
        # A document (or a few) without a gazette frame: nothing is missing.
        return [] if result.documents else [Finding("no-documents", "error", "没有识别出任何文件")]
    if not issue.gazette:
        out.append(Finding("frame", "warning", "未找到公报名称（如“某某人民政府公报”）"))
    if issue.year is None or issue.number is None:
        out.append(Finding("frame", "warning", "未找到年份和期号（如“2018 第3期”）"))
    if not issue.toc:
        out.append(Finding("toc-missing", "warning", "未找到目录，文件按版头和标题切分"))
    if not result.documents:
        out.append(Finding("no-documents", "error", "没有识别出任何文件"))
    return out


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", squeeze(text))


def describe_difference(toc: str, body: str) -> str:
    """Say in words where a TOC title and the document's title differ, with some context."""
    parts = []
    matcher = difflib.SequenceMatcher(None, toc, body, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        a, b = _context(toc, i1, i2), _context(body, j1, j2)
        what = {"replace": "不同", "delete": "目录多出", "insert": "目录缺少"}[op]
        detail = toc[i1:i2] if op == "delete" else body[j1:j2]
        detail = f"“{toc[i1:i2]}”/“{body[j1:j2]}”" if op == "replace" else f"“{detail}”"
        parts.append(f"{what}{detail}（目录“{a}”，正文“{b}”）")
    return "；".join(parts)


def _context(text: str, start: int, end: int, width: int = 4) -> str:
    left = "…" if start > width else ""
    right = "…" if end + width < len(text) else ""
    return f"{left}{text[max(0, start - width) : end + width]}{right}"


def _toc(result: ParseResult, matched: list[TocEntry | None]) -> list[Finding]:
    out = []
    for doc in result.documents:
        if doc.toc_title is None:
            if result.issue.toc:
                out.append(
                    Finding(
                        "toc-missing-document",
                        "warning",
                        f"正文中的文件未列入目录：{doc.title}",
                        lines=doc.lines,
                        document=doc.seq,
                    )
                )
            continue
        if _norm(doc.toc_title) != _norm(doc.title):
            out.append(
                Finding(
                    "toc-mismatch",
                    "warning",
                    f"目录与正文标题不一致：{describe_difference(doc.toc_title, doc.title)}",
                    lines=doc.lines,
                    document=doc.seq,
                )
            )
    by_entry = {id(e): doc for e, doc in zip(matched, result.documents, strict=False) if e}
    for entry in result.issue.toc:
        found = by_entry.get(id(entry))
        if found is None:
            out.append(
                Finding(
                    "toc-entry-not-found",
                    "warning",
                    f"目录条目在正文中未找到：{entry.title}",
                    lines=(entry.line, entry.line),
                )
            )
        elif (
            entry.doc_number
            and found.doc_number
            and _norm(entry.doc_number) != _norm(found.doc_number.text)
        ):
            out.append(
                Finding(
                    "toc-doc-number-mismatch",
                    "warning",
                    f"目录文号“{entry.doc_number}”与正文文号“{found.doc_number.text}”不一致",
                    lines=found.lines,
                    document=found.seq,
                )
            )
    return out


def _serials(documents: list[Document]) -> list[Finding]:
    groups: dict[tuple[str, int], list[Document]] = defaultdict(list)
    for doc in documents:
        if doc.doc_number is not None:
            groups[(doc.doc_number.agency_code, doc.doc_number.year)].append(doc)
    out = []
    for (code, year), docs in groups.items():
        serials = [d.doc_number.serial for d in docs if d.doc_number]
        for serial in sorted({s for s in serials if serials.count(s) > 1}):
            out.append(
                Finding("doc-number-duplicate", "error", f"文号重复：{code}〔{year}〕{serial}号")
            )
        ordered = sorted(set(serials))
        gaps = [(a, b) for a, b in pairwise(ordered) if b > a + 1]
        if gaps:
            shown = "、".join(f"{a}→{b}" for a, b in gaps[:8])
            out.append(
                Finding(
                    "doc-number-gap",
                    "info",
                    f"{code}〔{year}〕序号不连续（{shown}），中间的文件本期未刊登",
                )
            )
    return out


def _dates(result: ParseResult) -> list[Finding]:
    out = []
    year = result.issue.year
    by_code: dict[str, list[Document]] = defaultdict(list)
    for doc in result.documents:
        if doc.date is None:
            if doc.kind != "other":
                out.append(
                    Finding(
                        "date-missing",
                        "warning",
                        f"未找到成文日期：{doc.title}",
                        lines=doc.lines,
                        document=doc.seq,
                    )
                )
            continue
        if year is not None and not year - 2 <= doc.date.year <= year + 1:
            out.append(
                Finding(
                    "date-implausible",
                    "warning",
                    f"日期 {doc.date.isoformat()} 与本期年份 {year} 相差过大：{doc.title}",
                    lines=doc.lines,
                    document=doc.seq,
                )
            )
        if doc.doc_number is not None:
            # A 令 number without a year (令第45号) has none to compare.
            if doc.doc_number.year and doc.doc_number.year != doc.date.year and doc.date.month > 1:
                out.append(
                    Finding(
                        "date-doc-number-year",
                        "warning",
                        f"文号年份 {doc.doc_number.year} 与成文日期 {doc.date.isoformat()} 不符",
                        lines=doc.lines,
                        document=doc.seq,
                    )
                )
            by_code[doc.doc_number.agency_code].append(doc)
    return out + _order_by_number(by_code) + _signature_dates(result)


def _number(doc: Document) -> DocNumber:
    """The 文号 of a document grouped by its agency code (so it has one)."""
    return cast(DocNumber, doc.doc_number)


def _order_by_number(by_code: dict[str, list[Document]]) -> list[Finding]:
    """Within one agency code, a higher serial is not dated before a lower one."""
    out = []
    for docs in by_code.values():
        ranked = sorted(docs, key=lambda d: (_number(d).year, _number(d).serial))
        for a, b in pairwise(ranked):
            if a.date and b.date and b.date < a.date:
                out.append(
                    Finding(
                        "date-order",
                        "warning",
                        f"{_number(b).text}（{b.date.isoformat()}）早于序号更小的"
                        f"{_number(a).text}（{a.date.isoformat()}）",
                        lines=b.lines,
                        document=b.seq,
                    )
                )
    return out


def _signature_dates(result: ParseResult) -> list[Finding]:
    """成文日期 as GB/T 9704-2012 prints them, and dates a conversion damaged."""
    out = []
    for block in _signature_blocks(result):
        text = block.lines[-1].text.strip().strip("()（）")
        parsed = dates.parse_date(text)
        if parsed is None and dates.parse_damaged_date(text) is not None:
            out.append(
                Finding(
                    "damaged-date",
                    "warning",
                    f"成文日期残缺（缺少年、月、日），疑为转换损坏，请核对原件：{text}",
                    lines=(block.last_line, block.last_line),
                )
            )
        if parsed is not None:
            for problem in dates.convention_problems(parsed):
                out.append(
                    Finding(
                        "gbt9704-date",
                        "warning",
                        f"{problem}：{text}",
                        lines=(block.last_line, block.last_line),
                    )
                )
    return out


def _signature_blocks(result: ParseResult) -> Iterator[Block]:
    for doc in result.documents:
        if not under_gbt_9704_2012(doc):
            continue
        for block in doc.tail:
            if doc.roles.get(id(block)) == "signature":
                yield block


def _conventions(doc: Document) -> list[Finding]:
    out = []
    if doc.doc_number is not None and under_gbt_9704_2012(doc):
        text = doc.doc_number.text
        parsed = docnumber.parse_doc_number(text) or docnumber.parse_damaged_doc_number(text)
        for problem in docnumber.convention_problems(parsed) if parsed else []:
            out.append(
                Finding(
                    "gbt9704-doc-number",
                    "warning",
                    f"{problem}：{doc.doc_number.text}",
                    lines=doc.lines,
                    document=doc.seq,
                )
            )
    return out


def _attachments(doc: Document) -> list[Finding]:
    out = []
    noted = any(doc.roles.get(id(b)) == "attachment_note" for b in doc.tail)
    for att in doc.attachments:
        label = f"附件{att.number or ''}“{att.title}”"
        if noted and not att.head and not att.body:
            out.append(
                Finding(
                    "attachment-missing",
                    "warning",
                    f"附件说明列出{label}，但正文后未刊登该附件",
                    document=doc.seq,
                )
            )
        elif not noted and (att.head or att.body):
            out.append(
                Finding(
                    "attachment-unnoted",
                    "warning",
                    f"刊登了{label}，但正文后没有附件说明",
                    document=doc.seq,
                )
            )
        if att.title.endswith(("。", "；", "，", ".")):
            out.append(
                Finding(
                    "gbt9704-attachment",
                    "warning",
                    f"附件名称后不应加标点：{att.title}",
                    document=doc.seq,
                )
            )
    return out


def _line_pages(result: ParseResult) -> list[tuple[int, int]]:
    """(first source line, printed page) of each page, from the PDF/OCR readers' markers."""
    return sorted(
        (rep.lines[0], int(rep.note))
        for rep in result.repairs
        if rep.kind == "page-start" and rep.note.isdigit()
    )


def toc_pages(result: ParseResult) -> list[Finding]:
    """TOC page numbers against the printed page each document really starts on."""
    import bisect

    known = _line_pages(result)
    if not known:
        return []
    nos = [no for no, _ in known]
    out = []
    for doc in result.documents:
        if doc.page is None:
            continue
        k = bisect.bisect_right(nos, doc.lines[0]) - 1
        if k < 0:
            continue
        real = known[k][1]
        if real != doc.page:
            out.append(
                Finding(
                    "toc-page",
                    "warning",
                    f"目录页码与正文不符：《{doc.title}》目录印第{doc.page}页，正文从第{real}页开始",
                    lines=doc.lines,
                    document=doc.seq,
                )
            )
    return out


def low_confidence(result: ParseResult) -> list[Finding]:
    """OCR lines the engine was unsure of, for the editor to check against the scan."""
    return [
        Finding(
            "ocr-low-confidence",
            "warning",
            f"OCR 识别置信度低（{rep.note}），请对照原件核对",
            lines=rep.lines,
        )
        for rep in result.repairs
        if rep.kind == "ocr-low-confidence"
    ]


# Decimal labels (1.1, 2.3) restart under each parent number: their order is not checked.
_UNCHECKED = (None, "decimal", "point2", "point3")


def numbering_findings(body: list[Node], seq: int) -> list[Finding]:
    """Numbering that skips, repeats or goes backwards among siblings of one style."""
    findings: list[Finding] = []
    last_by_style: dict[str, int] = {}

    def visit(nodes: list[Node]) -> None:
        previous: dict[str, int] = {}
        for node in nodes:
            if node.kind != "section" or node.value is None or node.style in _UNCHECKED:
                continue
            before = previous.get(node.style)
            if before is None:
                # The first of a group may start at 1 or carry on from the previous group.
                carried = last_by_style.get(node.style)
                ok = node.value == 1 or (carried is not None and node.value == carried + 1)
                if not ok:
                    findings.append(_numbering_finding(node, seq, carried, "编号不从1开始"))
            elif node.value == before:
                findings.append(_numbering_finding(node, seq, before, "编号重复"))
            elif node.value < before:
                findings.append(_numbering_finding(node, seq, before, "编号倒退"))
            elif node.value > before + 1:
                findings.append(_numbering_finding(node, seq, before, "编号跳号"))
            previous[node.style] = node.value
            last_by_style[node.style] = node.value
        for node in nodes:
            visit(node.children)

    visit(body)
    return findings


def _numbering_finding(node: Node, seq: int, before: int | None, what: str) -> Finding:
    after = f"（前一个为 {before}）" if before is not None else ""
    return Finding(
        "numbering",
        "warning",
        f"{what}：{node.num}{after} {node.heading[:20]}",
        lines=node.lines,
        document=seq,
    )
