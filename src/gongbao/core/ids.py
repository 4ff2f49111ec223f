"""Stable, readable identifiers for gazettes, issues and documents.

Scheme (see docs/formats.md):
- gazette: the first word of the latin name, else the pinyin of the gazette
  name without 人民政府公报/公报 (冠县人民政府公报 → ``guanxian``);
- issue: ``{gazette}-{year}-{number:02d}`` (a double issue: ``…-05-06``);
- document with a 文号: pinyin of the agency code, year, serial
  (冠政发〔2018〕64号 → ``guanzhengfa-2018-64``), unique within its gazette;
- document without one: ``{issue}-{seq:02d}``;
- a promulgated plan: its notice's id + ``-text``;
- body anchors, unique within a document page: ``s2.1`` for the first
  section inside the second top-level section, ``p17`` for the 17th other
  node; a plan's anchors get ``t-``, attachment n's ``a{n}-``.
An id repeated inside one issue gets ``-2``, ``-3``….
"""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

from gongbao.core.model import Document, Issue, Node, ParseResult

_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Pinyin for Chinese, lower-case ASCII, hyphens between words."""
    latin = "".join(lazy_pinyin(text, errors=lambda s: s))
    return _NON_SLUG_RE.sub("-", latin.lower()).strip("-")


def gazette_slug(issue: Issue) -> str:
    if issue.gazette_latin:
        return slugify(issue.gazette_latin.split()[0])
    if issue.gazette:
        name = issue.gazette.removesuffix("公报").removesuffix("人民政府")
        return slugify(name) or "gazette"
    return "gazette"


def issue_ident(issue: Issue) -> str:
    parts = [gazette_slug(issue), str(issue.year or "0000"), f"{issue.number or 0:02d}"]
    if issue.number_end:
        parts.append(f"{issue.number_end:02d}")
    return "-".join(parts)


def assign_ids(result: ParseResult) -> None:
    """Give the issue and every document (and embedded plan) its identifier."""
    result.issue.ident = issue_ident(result.issue)
    seen: dict[str, int] = {}
    for doc in result.documents:
        if doc.doc_number is not None:
            base = f"{slugify(doc.doc_number.agency_code)}-{doc.doc_number.year}-{doc.doc_number.serial}"
        else:
            base = f"{result.issue.ident}-{doc.seq:02d}"
        seen[base] = seen.get(base, 0) + 1
        doc.ident = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if doc.promulgates is not None:
            doc.promulgates.ident = f"{doc.ident}-text"
        _anchor_document(doc)


def _anchor_document(doc: Document) -> None:
    _anchor_nodes(doc.body, "")
    for n, att in enumerate(doc.attachments, 1):
        _anchor_nodes(att.body, f"a{n}-")
    if doc.promulgates is not None:
        _anchor_nodes(doc.promulgates.body, "t-")
        for n, att in enumerate(doc.promulgates.attachments, 1):
            _anchor_nodes(att.body, f"t-a{n}-")


def _anchor_nodes(nodes: list[Node], prefix: str) -> None:
    counter = 0

    def visit(children: list[Node], path: str) -> None:
        nonlocal counter
        position = 0
        for node in children:
            if node.kind == "section":
                position += 1
                node.anchor = f"{prefix}s{path}{position}"
                visit(node.children, f"{path}{position}.")
            else:
                counter += 1
                node.anchor = f"{prefix}p{counter}"

    visit(nodes, "")
