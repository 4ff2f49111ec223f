"""The public version of a document's text: personal data masked unless a reviewer kept it.

Reads: ``Document.data`` (the body tree) or its ``BodyNode`` rows, and the
reviewer's decisions. Writes: copies with every finding masked, except the
(kind, text) pairs a reviewer explicitly chose to keep ("保留原文"). A finding
nobody has looked at yet is masked: the public side is safe by default. The
stored original is never changed; staff keep it.

Scan unit: one body node (a paragraph, a block of lines, a table as tab-separated
rows), the same on the page (``site.render``) and in the search index
(``search.sync``), so both channels show the same masked text.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from gongbao.core import privacy
from gongbao.site.archive.models import BodyNode, Document

_TEXT_KEYS = ("text", "heading")


def kept_pairs(gazette_id: int, ident: str) -> set[tuple[str, str]]:
    from gongbao.site.disclosure.models import PrivacyDecision

    return set(
        PrivacyDecision.objects.filter(
            gazette_id=gazette_id, ident=ident, decision=PrivacyDecision.REJECTED
        ).values_list("kind", "text")
    )


def table_text(rows: list[list[Any]]) -> str:
    return "\n".join("\t".join(str(c) for c in row) for row in rows)


def node_texts(data: dict[str, Any]) -> Iterator[str]:
    """Every scannable text of a body tree, in reading order (the review page and the scan)."""
    for node in _nodes(data):
        for key in _TEXT_KEYS:
            if node.get(key):
                yield str(node[key])
        if node.get("type") == "table" and node.get("rows"):
            yield table_text(node["rows"])


def _nodes(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    def walk(items: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for item in items or []:
            yield item
            yield from walk(item.get("children") or [])

    def parts(d: dict[str, Any]) -> Iterator[dict[str, Any]]:
        yield from walk(d.get("body") or [])
        for att in d.get("attachments") or []:
            yield from walk(att.get("body") or [])

    yield from parts(data)
    plan = data.get("promulgated_document")
    if plan:
        yield from parts(plan)


def _masked(text: str, kept: set[tuple[str, str]]) -> str:
    return privacy.redact(text, kept)


def public_data(document: Document, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` with the personal data masked (the original when there is none)."""
    if not any(privacy.scan(t) for t in node_texts(data)):
        return data
    kept = kept_pairs(document.gazette_id, document.ident)
    out = copy.deepcopy(data)
    for node in _nodes(out):
        for key in _TEXT_KEYS:
            if node.get(key):
                node[key] = _masked(str(node[key]), kept)
        if node.get("type") == "table" and node.get("rows"):
            findings = [
                f for f in privacy.scan(table_text(node["rows"])) if (f.kind, f.text) not in kept
            ]
            node["rows"] = [[_mask_cell(str(c), findings) for c in row] for row in node["rows"]]
    return out


def _mask_cell(cell: str, findings: list[privacy.PrivacyFinding]) -> str:
    for f in sorted(findings, key=lambda f: -len(f.text)):
        if f.text in cell:
            cell = cell.replace(f.text, f.masked)
    return cell


def public_nodes(document: Document, nodes: Iterable[BodyNode]) -> list[BodyNode]:
    """The body rows as the search index may take them: texts masked like the page's."""
    nodes = list(nodes)
    if not any(privacy.scan(n.text) or privacy.scan(n.heading) for n in nodes):
        return nodes
    kept = kept_pairs(document.gazette_id, document.ident)
    out = []
    for n in nodes:
        clone = copy.copy(n)
        clone.text = _masked(n.text, kept)
        clone.heading = _masked(n.heading, kept)
        out.append(clone)
    return out
