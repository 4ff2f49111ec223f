"""Version history of a document: the signed manifests that list it, and readable diffs.

Each manifest keeps the public JSON of its documents as signed, so every
earlier version can be shown, downloaded and verified after a correction.
A document is followed across a correction by its identifier, its earlier
identifiers (``archive.Redirect``) and, failing those, its place in the issue.
"""

from __future__ import annotations

import difflib
from typing import Any

from gongbao.core import integrity
from gongbao.core.export.json import SECTION_TYPES
from gongbao.site import access
from gongbao.site.archive.models import Document, Redirect
from gongbao.site.opendata.services import manifests_of

DIFF_CONTEXT = 2


def _names(doc: Document) -> set[str]:
    old = Redirect.objects.filter(document=doc).values_list("old_ident", flat=True)
    return {doc.ident, *old}


def versions(doc: Document) -> list[dict[str, Any]]:
    """Oldest first: ``version``, ``number``, ``manifest``, ``data`` (the document JSON then).

    ``version`` is the archive's import count (drafts included); ``number`` counts
    only what was published (1, 2, …): the one readers are shown.
    """
    names = _names(doc)
    withheld = access.withheld_idents(doc.gazette.slug)
    out = []
    for m in manifests_of(doc.issue.ident):
        found = next((d for d in m.documents if d.get("id") in names), None)
        if found is None:  # never another document's text, least of all a withheld one's
            found = next(
                (d for d in m.documents if d.get("seq") == doc.seq and d.get("id") not in withheld),
                None,
            )
        if found is not None:
            out.append({"version": m.version, "number": len(out) + 1, "manifest": m, "data": found})
    return out


def listed(doc: Document) -> list[dict[str, Any]]:
    """``versions`` with what a reader checks each by, for the history page and the API alike:
    ``sha256`` of the document's JSON as signed, ``current`` (the newest) and ``bundle``,
    the path of the bundle that verifies it against its manifest."""
    found = versions(doc)
    return [
        {
            **v,
            "sha256": integrity.document_hash(v["data"]),
            "current": n == len(found) - 1,
            "bundle": f"/bundle/{v['manifest'].sha256}/{v['data']['id']}.json",
        }
        for n, v in enumerate(found)
    ]


def correction_reason(doc: Document, version: int) -> str:
    """Why this version of the document's issue was made, when it was a 勘误 of this
    document (production's correction records it in the version's header); "" otherwise."""
    row = doc.issue.versions.filter(number=version).values_list("parsed", flat=True).first()
    found = ((row or {}).get("issue") or {}).get("correction") or {}
    return found.get("reason", "") if found.get("document") in _names(doc) else ""


def text_lines(data: dict[str, Any]) -> list[str]:
    """A document as plain lines: what a reader compares between two versions."""
    lines = []
    if data.get("doc_number"):
        lines.append(data["doc_number"])
    lines.append(data.get("title") or "")
    if data.get("recipients"):
        lines.append(data["recipients"] + "：")

    def walk(nodes: list[dict[str, Any]]) -> None:
        for n in nodes:
            if n.get("type") == "table":
                lines.extend("\t".join(r) for r in n.get("rows") or [])
            elif n.get("type") in SECTION_TYPES:
                lines.append(n.get("text") or "")
            else:
                lines.extend((n.get("text") or "").split("\n"))
            walk(n.get("children") or [])

    walk(data.get("body") or [])
    for att in data.get("attachments") or []:
        lines.append(f"附件{att.get('number') or ''}　{att.get('title') or ''}")
        walk(att.get("body") or [])
    plan = data.get("promulgated_document")
    if plan:
        lines.append(plan.get("title") or "")
        walk(plan.get("body") or [])
    if data.get("signature"):
        lines.extend(data["signature"].split("\n"))
    if data.get("date"):
        lines.append(data["date"])
    return [line for line in lines if line.strip()]


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Changed hunks: lines with ``op`` ``=``, ``-`` or ``+``, and inline ``parts`` for pairs.

    Each hunk keeps DIFF_CONTEXT unchanged paragraphs around its changes; ``skipped``
    counts the unchanged paragraphs collapsed before it, and the last hunk's
    ``skipped_after`` those after it, so the page never prints the whole document.
    """
    a, b = text_lines(old), text_lines(new)
    hunks = []
    shown_to = 0  # the first line of ``a`` not yet shown or counted
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(
        DIFF_CONTEXT
    ):
        rows: list[dict[str, Any]] = []
        skipped, shown_to = group[0][1] - shown_to, group[-1][2]
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [{"op": "=", "text": line} for line in a[i1:i2]]
                continue
            olds, news = a[i1:i2], b[j1:j2]
            if tag == "replace" and len(olds) == len(news):
                for x, y in zip(olds, news, strict=True):
                    rows.append({"op": "-", "text": x, "parts": _inline(x, y, "-")})
                    rows.append({"op": "+", "text": y, "parts": _inline(x, y, "+")})
                continue
            rows += [{"op": "-", "text": line} for line in olds]
            rows += [{"op": "+", "text": line} for line in news]
        hunks.append({"rows": rows, "skipped": skipped, "skipped_after": 0})
    if hunks:
        hunks[-1]["skipped_after"] = len(a) - shown_to
    return hunks


def _inline(x: str, y: str, side: str) -> list[tuple[bool, str]]:
    """(changed, text) runs of one side of a changed line pair, character by character."""
    parts: list[tuple[bool, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        text = x[i1:i2] if side == "-" else y[j1:j2]
        if text:
            parts.append((tag != "equal", text))
    return parts
