"""For staff only: a document's lines of the proofreading report, each linked to its place.

Editors check an imported issue page by page; a warning (a TOC mismatch, a line
OCR read with low confidence, a repaired numbering) is worth most next to the
text it is about. A finding belongs to a document by its sequence number or by
its source lines; its link goes to the deepest body node holding its first line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongbao.site.archive.models import Document, Finding


def anchor_at(data: dict[str, Any], line: int) -> str | None:
    """The innermost body node at line (in the document, its attachments or plan).

    A line no node holds (a heading moved out of the text, a repaired signature)
    links to the next node after it, the place the editor should look at.
    """
    holding: list[tuple[int, str]] = []  # (depth, anchor)
    following: list[tuple[int, str]] = []  # (first line, anchor)

    def walk(nodes: Iterable[dict[str, Any]], depth: int) -> None:
        for node in nodes:
            lines, anchor = node.get("lines") or (), node.get("anchor")
            if len(lines) != 2 or not anchor:
                continue
            if lines[0] <= line <= lines[1]:
                holding.append((depth, anchor))
            elif lines[0] > line:
                following.append((lines[0], anchor))
            walk(node.get("children") or (), depth + 1)

    def visit(doc: dict[str, Any]) -> None:
        walk(doc.get("body") or (), 0)
        for att in doc.get("attachments") or ():
            walk(att.get("body") or (), 0)
        if doc.get("promulgated_document"):
            visit(doc["promulgated_document"])

    visit(data)
    if holding:
        return max(holding, key=lambda h: h[0])[1]
    return min(following)[1] if following else None


def _belongs(finding: Finding, doc: Document, lines: list[int]) -> bool:
    if finding.document_seq is not None:
        return finding.document_seq == doc.seq
    start = finding.line_start
    return start is not None and len(lines) == 2 and lines[0] <= start <= lines[1]


def document_findings(doc: Document) -> list[dict[str, Any]]:
    """The findings about this document, in report order, with the anchor to link to."""
    data = Document.objects.values_list("data", flat=True).get(pk=doc.pk) or {}
    lines = list(data.get("lines") or ())
    out = []
    for finding in Finding.objects.filter(issue_id=doc.issue_id).order_by("id"):
        if _belongs(finding, doc, lines):
            start = finding.line_start
            out.append({"finding": finding, "anchor": anchor_at(data, start) if start else None})
    return out
