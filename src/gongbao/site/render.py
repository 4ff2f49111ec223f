"""The reading view of a document's body tree, built as HTML strings.

A plain function instead of a recursive ``{% include %}``: a 60-page plan has
hundreds of nodes, and the template engine costs a context push per node. All
text is untrusted and goes through ``escape``/``format_html``; the result is
cached per (document, issue.updated_at) by ``web.views``, so it is built once per
version of an issue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from gongbao.core.export.json import SECTION_TYPES

# A first table row is a header when every cell is filled and short (column titles).
_HEADER_CELL_MAX = 20
# Fewer outline entries than this: the document is short enough to read without one.
OUTLINE_MIN_ENTRIES = 5


@dataclass
class OutlineEntry:
    anchor: str
    label: str
    children: list[OutlineEntry] = field(default_factory=list)


@dataclass
class Rendered:
    """What the document page needs from ``Document.data``; picklable for the cache."""

    html: str
    outline: str  # nested <ul>, empty when the document is short
    attachments: list[tuple[str, str]]  # (element id, label) for the metadata panel
    plan_title: str = ""
    date_note: str = ""


def _heading_tag(level: int, base: int) -> str:
    return f"h{min(6, max(2, level + base))}"


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _looks_like_header(rows: list[list[str]]) -> bool:
    if len(rows) < 2 or not rows[0]:
        return False
    return all(cell.strip() and len(cell) <= _HEADER_CELL_MAX for cell in rows[0])


def _table(node: dict[str, Any], out: list[str]) -> None:
    rows: list[list[str]] = [[str(c) for c in row] for row in node.get("rows") or []]
    out.append(format_html('<div class="table-scroll" id="{}" tabindex="0">', node["anchor"]))
    out.append("<table>")
    if _looks_like_header(rows):
        out.append("<thead><tr>")
        out.extend(format_html('<th scope="col">{}</th>', c) for c in rows[0])
        out.append("</tr></thead>")
        rows = rows[1:]
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>")
        out.extend(format_html("<td>{}</td>", c) for c in row)
        out.append("</tr>")
    out.append("</tbody></table></div>")


def _paragraph(node: dict[str, Any], out: list[str], num: str = "") -> None:
    label = node.get("label") or ""
    num_html = format_html('<span class="num">{}</span>', num) if num else ""
    label_html = format_html("<strong>{}</strong>", label) if label else ""
    out.append(
        format_html(
            '<p id="{}">{}{}{}</p>', node["anchor"], num_html, label_html, node.get("text", "")
        )
    )


def _section(node: dict[str, Any], out: list[str], base: int, outline: list[OutlineEntry]) -> None:
    children = node.get("children") or []
    heading = node.get("heading") or ""
    num = node.get("num") or ""
    out.append(format_html('<section class="sec" id="{}">', node["anchor"]))
    sub: list[OutlineEntry] = []
    if heading:
        printed = node.get("text") or f"{num}{heading}"
        tag = _heading_tag(int(node.get("level") or 1), base)
        out.append(format_html("<{}>{}</{}>", tag, printed, tag))
        entry = OutlineEntry(node["anchor"], printed)
        outline.append(entry)
        sub = entry.children
    elif children and children[0].get("type") == "paragraph":
        # A numbered paragraph (1. text…, 第一条 text…): the number runs into its first paragraph.
        _paragraph(children[0], out, num)
        children = children[1:]
        sub = outline
    else:
        out.append(format_html('<p class="num-only"><span class="num">{}</span></p>', num))
        sub = outline
    _nodes(children, out, base, sub)
    out.append("</section>")


def _nodes(
    nodes: Iterable[dict[str, Any]], out: list[str], base: int, outline: list[OutlineEntry]
) -> None:
    for node in nodes:
        kind = node.get("type")
        if kind in SECTION_TYPES:
            _section(node, out, base, outline)
        elif kind == "paragraph":
            _paragraph(node, out)
        elif kind == "lines":
            out.append(
                format_html(
                    '<p class="lines" id="{}">{}</p>', node["anchor"], _lines(node.get("text", ""))
                )
            )
        elif kind == "table":
            _table(node, out)
        elif kind == "heading":
            out.append(
                format_html(
                    '<p class="subhead" id="{}"><strong>{}</strong></p>',
                    node["anchor"],
                    node.get("text", ""),
                )
            )
        else:  # a node type from a newer parser: keep its text readable
            out.append(
                format_html('<p id="{}">{}</p>', node.get("anchor", ""), node.get("text", ""))
            )


def _head_text(data: dict[str, Any], role: str) -> str:
    return "\n".join(b.get("text", "") for b in data.get("head") or [] if b.get("role") == role)


def _attachments(
    data: dict[str, Any], out: list[str], outline: list[OutlineEntry], prefix: str, base: int
) -> list[tuple[str, str]]:
    links = []
    for i, att in enumerate(data.get("attachments") or [], start=1):
        ident = f"{prefix}attachment-{i}"
        number = att.get("number")
        label = f"附件{number}" if number else "附件"
        title = att.get("title") or ""
        out.append(format_html('<section class="attachment" id="{}">', ident))
        tag = _heading_tag(1, base - 1)
        out.append(
            format_html(
                '<{} class="attachment-title"><span class="att-label">{}</span>{}</{}>',
                tag,
                label,
                f"　{title}" if title else "",
                tag,
            )
        )
        entry = OutlineEntry(ident, f"{label}　{title}" if title else label)
        outline.append(entry)
        _nodes(att.get("body") or [], out, base, entry.children)
        out.append("</section>")
        links.append((ident, entry.label))
    return links


def _signature(data: dict[str, Any], out: list[str]) -> None:
    note = _head_text(data, "attachment_note")
    if note:
        out.append(format_html('<p class="attachment-note">{}</p>', mark_safe(_lines(note))))
    signature = _head_text(data, "signature")
    if signature:
        out.append(format_html('<p class="signature">{}</p>', mark_safe(_lines(signature))))


def _outline_html(entries: list[OutlineEntry]) -> str:
    out: list[str] = []

    def walk(items: list[OutlineEntry]) -> None:
        out.append("<ul>")
        for e in items:
            out.append(format_html('<li><a href="#{}">{}</a>', e.anchor, e.label))
            if e.children:
                walk(e.children)
            out.append("</li>")
        out.append("</ul>")

    walk(entries)
    return "".join(out)


def _count(entries: list[OutlineEntry]) -> int:
    return sum(1 + _count(e.children) for e in entries)


def render_document(data: dict[str, Any]) -> Rendered:
    """The article HTML (recipients, body, signature, promulgated plan, attachments) and outline."""
    out: list[str] = []
    outline: list[OutlineEntry] = []
    recipients = _head_text(data, "recipients")
    if recipients:
        out.append(format_html('<p class="recipients">{}</p>', recipients))
    _nodes(data.get("body") or [], out, 1, outline)
    _signature(data, out)
    links = _attachments(data, out, outline, "", 2)
    plan = data.get("promulgated_document") or None
    plan_title = ""
    if plan:
        plan_title = plan.get("title") or data.get("promulgates") or "印发文件"
        out.append('<section class="plan" id="plan">')
        out.append(format_html('<h2 class="plan-title">{}</h2>', plan_title))
        entry = OutlineEntry("plan", plan_title)
        outline.append(entry)
        _nodes(plan.get("body") or [], out, 2, entry.children)
        _signature(plan, out)
        links += _attachments(plan, out, entry.children, "plan-", 3)
        out.append("</section>")
    show_outline = bool(plan) or _count(outline) >= OUTLINE_MIN_ENTRIES
    return Rendered(
        html="".join(out),
        outline=_outline_html(outline) if show_outline else "",
        attachments=links,
        plan_title=plan_title,
        date_note=_head_text(data, "date_note"),
    )


def safe(html: str) -> SafeString:
    """Mark HTML built above (every piece escaped on the way in) as safe for templates."""
    return mark_safe(html)
