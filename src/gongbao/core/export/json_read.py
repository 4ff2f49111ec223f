"""The stored document JSON (``Document.data``, ``IssueVersion.parsed``) back as the core model.

The archive keeps each document as the dictionary ``core.export.json`` wrote;
the AKN export and the citation extractor take ``core.model`` objects. This is
the inverse of ``document_dict`` for everything those two read. Head and tail
blocks come back from their roles (the JSON keeps them in one list).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongbao.core.export.json import SECTION_TYPES
from gongbao.core.model import (
    Attachment,
    Block,
    DocNumber,
    Document,
    Issue,
    Line,
    Node,
    ParseResult,
    TocEntry,
)

TAIL_ROLES = frozenset(
    {"attachment_note", "signature", "date", "date_note", "note", "copy_to", "printed_by"}
)


def _block(text: str, lines: list[int] | None = None) -> Block:
    first = (lines or [0])[0] or 0
    return Block("paragraph", [Line(first + i, t) for i, t in enumerate(text.split("\n"))])


def node_from_dict(d: dict[str, Any]) -> Node:
    lines = tuple(d.get("lines") or (0, 0))
    kind = d.get("type", "paragraph")
    if kind in SECTION_TYPES:
        return Node(
            "section",
            text=d.get("text") or "",
            lines=lines,
            num=d.get("num"),
            style=d.get("style"),
            value=d.get("value"),
            level=d.get("level") or 0,
            heading=d.get("heading") or "",
            anchor=d.get("anchor") or "",
            children=[node_from_dict(c) for c in d.get("children") or []],
        )
    if kind == "table":
        return Node(kind, lines=lines, rows=d.get("rows") or [], anchor=d.get("anchor") or "")
    return Node(
        kind,
        text=d.get("text") or "",
        lines=lines,
        label=d.get("label"),
        anchor=d.get("anchor") or "",
    )


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def document_from_dict(d: dict[str, Any]) -> Document:
    parts = d.get("doc_number_parts") or None
    number = (
        DocNumber(
            d["doc_number"],
            parts.get("agency_code", ""),
            parts.get("year") or 0,
            parts.get("serial") or 0,
        )
        if d.get("doc_number") and parts
        else None
    )
    doc = Document(
        seq=d.get("seq") or 0,
        kind=d.get("kind") or "other",
        title=d.get("title") or "",
        ident=d.get("id") or "",
        section=d.get("section"),
        page=d.get("page"),
        toc_title=d.get("toc_title"),
        doc_number=number,
        issuer=d.get("issuer"),
        issuers=list(d.get("issuers") or []),
        recipients=d.get("recipients"),
        date=_date(d.get("date")),
        date_note=d.get("date_note"),
        speaker=d.get("speaker"),
        signature=d.get("signature"),
        lines=tuple(d.get("lines") or (0, 0)),
        body=[node_from_dict(n) for n in d.get("body") or []],
    )
    for item in d.get("head") or []:
        block = _block(item.get("text", ""), item.get("lines"))
        role = item.get("role", "")
        (doc.tail if role in TAIL_ROLES else doc.head).append(block)
        doc.roles[id(block)] = role
    for att in d.get("attachments") or []:
        doc.attachments.append(
            Attachment(
                number=att.get("number"),
                title=att.get("title") or "",
                head=[_block(t) for t in att.get("head") or []],
                body=[node_from_dict(n) for n in att.get("body") or []],
            )
        )
    plan = d.get("promulgated_document")
    if plan:
        doc.promulgates = document_from_dict(plan)
    return doc


def issue_from_dict(d: dict[str, Any]) -> Issue:
    return Issue(
        gazette=d.get("gazette"),
        gazette_latin=d.get("gazette_latin"),
        year=d.get("year"),
        number=d.get("number"),
        number_end=d.get("number_end"),
        cumulative_number=d.get("cumulative_number"),
        slogan=d.get("slogan"),
        sections=list(d.get("sections") or []),
        ident=d.get("id") or "",
        toc=[
            TocEntry(
                e.get("section"),
                e.get("title") or "",
                e.get("doc_number"),
                e.get("page"),
                e.get("line") or 0,
            )
            for e in d.get("toc") or []
        ],
    )


def result_from_dicts(issue: dict[str, Any], documents: list[dict[str, Any]]) -> ParseResult:
    """An issue with the given documents only (the public ones): TOC entries of others dropped."""
    model = issue_from_dict(issue)
    docs = [document_from_dict(d) for d in documents]
    titles = {t for doc in docs for t in (doc.title, doc.toc_title) if t}
    model.toc = [e for e in model.toc if e.title in titles]
    model.sections = [s for s in model.sections if any(doc.section == s for doc in docs)]
    return ParseResult(issue=model, documents=docs, repairs=[], findings=[])
