"""JSON export of a parsed issue; its shape is ``schema/parse-result.schema.json``.

Keys follow ``expected.json`` of the shared sample (issue fields; per document
``seq``, ``section``, ``page``, ``kind``, ``toc_title``, ``title``,
``doc_number``, ``doc_number_parts``, ``issuer``, ``date``, ``recipients``,
``speaker``, ``attachments``, ``promulgates``), plus the body tree and the report.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from gongbao.core.model import Attachment, Document, Finding, Node, ParseResult, Repair

FORMAT_VERSION = 1


def to_dict(result: ParseResult) -> dict[str, Any]:
    issue = result.issue
    return {
        "format_version": FORMAT_VERSION,
        "source": result.source,
        "encoding": result.encoding,
        "issue": {
            "id": issue.ident,
            "gazette": issue.gazette,
            "gazette_latin": issue.gazette_latin,
            "year": issue.year,
            "number": issue.number,
            "number_end": issue.number_end,
            "cumulative_number": issue.cumulative_number,
            "slogan": issue.slogan,
            "sections": issue.sections,
            "toc": [
                {
                    "section": e.section,
                    "title": e.title,
                    "doc_number": e.doc_number,
                    "page": e.page,
                    "line": e.line,
                }
                for e in issue.toc
            ],
        },
        "documents": [document_dict(d) for d in result.documents],
        "report": {
            "findings": [finding_dict(f) for f in result.findings],
            "repairs": [repair_dict(r) for r in result.repairs],
            "dividers": [
                {"text": b.text, "lines": [b.first_line, b.last_line]} for b in result.dividers
            ],
            "unassigned": [
                {"text": b.text, "lines": [b.first_line, b.last_line]} for b in result.unassigned
            ],
        },
    }


def document_dict(doc: Document) -> dict[str, Any]:
    number = doc.doc_number
    out: dict[str, Any] = {
        "id": doc.ident,
        "seq": doc.seq,
        "section": doc.section,
        "page": doc.page,
        "kind": doc.kind,
        "toc_title": doc.toc_title,
        "title": doc.title or None,
        "doc_number": number.text if number else None,
        "doc_number_parts": (
            {"agency_code": number.agency_code, "year": number.year, "serial": number.serial}
            if number
            else None
        ),
        "issuer": doc.issuer,
        "issuers": doc.issuers,
        "date": doc.date.isoformat() if doc.date else None,
        "date_note": doc.date_note,
        "recipients": doc.recipients,
        "speaker": doc.speaker,
        "signature": doc.signature,
        "lines": list(doc.lines),
        "head": [
            {"role": doc.roles.get(id(b), ""), "text": b.text, "lines": [b.first_line, b.last_line]}
            for b in doc.head + doc.tail
        ],
        "body": [node_dict(n) for n in doc.body],
        "attachments": [attachment_dict(a) for a in doc.attachments],
        "promulgates": doc.promulgates.title if doc.promulgates else None,
    }
    if doc.promulgates is not None:
        out["promulgated_document"] = document_dict(doc.promulgates)
    return out


def attachment_dict(att: Attachment) -> dict[str, Any]:
    return {
        "number": att.number,
        "title": att.title,
        "head": [b.text for b in att.head],
        "body": [node_dict(n) for n in att.body],
    }


#: Node types that hold a numbered heading and children. A 第X条 article is a
#: provision, not a heading of the document's outline, so it has its own type.
SECTION_TYPES = ("section", "article")


def node_type(node: Node) -> str:
    return "article" if node.kind == "section" and node.style == "article" else node.kind


def node_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": node_type(node),
        "anchor": node.anchor,
        "lines": list(node.lines),
    }
    if node.kind == "section":
        out.update(
            num=node.num, style=node.style, value=node.value, level=node.level,
            heading=node.heading, text=node.text,
        )  # fmt: skip
        out["children"] = [node_dict(c) for c in node.children]
    elif node.kind == "table":
        out["rows"] = node.rows
    else:
        out["text"] = node.text
        if node.label is not None:
            out["label"] = node.label
    return out


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "lines": list(f.lines) if f.lines else None,
        "document": f.document,
    }


def repair_dict(r: Repair) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "lines": list(r.lines),
        "removed": r.removed,
        "inserted": r.inserted,
        "note": r.note,
    }


def dumps(result: ParseResult) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2)


def schema() -> dict[str, Any]:
    """The JSON Schema the output of ``to_dict`` validates against."""
    text = resources.files("gongbao").joinpath("schema/parse-result.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
