"""Akoma Ntoso body: a document's body tree as hierarchical containers, paragraphs
with run-in labels, and tables; eIds unique under their parent.
"""

from __future__ import annotations

from lxml import etree

from gongbao.core.export.akn_xml import (
    CROSSHEADING,
    EID_NAMES,
    STYLE_ELEMENTS,
    UNNUMBERED,
    G,
    _clean,
    _el,
    _set_text_lines,
)
from gongbao.core.model import Node


class _Ids:
    """eId counters per element name, under one parent eId."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.counts: dict[str, int] = {}

    def next(self, name: str) -> str:
        self.counts[name] = self.counts.get(name, 0) + 1
        return f"{self.prefix}{name}_{self.counts[name]}"


def _body(parent: etree._Element, nodes: list[Node], prefix: str) -> None:
    ids = _Ids(prefix)
    for node in nodes:
        _node(parent, node, ids)


def _node(parent: etree._Element, node: Node, ids: _Ids) -> None:
    if node.kind == "section":
        _section(parent, node, ids)
    elif node.kind == "heading":
        el = _el(
            parent,
            "hcontainer",
            name=CROSSHEADING,
            eId=ids.next("hcontainer"),
            gb_anchor=node.anchor,
        )
        heading = _el(el, "heading")
        _set_text_lines(heading, node.text)
    else:
        _leaf(parent, node, ids)


def _section(parent: etree._Element, node: Node, ids: _Ids) -> None:
    tag = STYLE_ELEMENTS.get(node.style or "", "hcontainer")
    name = None if tag != "hcontainer" else (node.style or UNNUMBERED)
    eid = ids.next(EID_NAMES[tag])
    # The printed heading line is kept only when it is not simply num + heading
    # (a space between them, a different form); most sections need nothing.
    printed = None if node.text == (node.num or "") + node.heading else node.text
    el = _el(
        parent,
        tag,
        name=name,
        eId=eid,
        gb_anchor=node.anchor,
        gb_style=node.style,
        gb_value=node.value,
        gb_level=node.level,
        gb_text=printed,
    )
    if node.num is not None:
        _el(el, "num", node.num)
    if node.heading:
        _set_text_lines(_el(el, "heading"), node.heading)
    child_ids = _Ids(eid + "__")
    for child in node.children:
        _node(el, child, child_ids)


def _leaf(parent: etree._Element, node: Node, ids: _Ids) -> None:
    """paragraph, lines, quote and table nodes: a ``paragraph`` with ``content``."""
    kind = None if node.kind == "paragraph" else node.kind
    eid = ids.next("para")
    el = _el(parent, "paragraph", eId=eid, class_=kind, gb_anchor=node.anchor)
    content = _el(el, "content")
    if node.kind == "table":
        _table(content, node.rows or [], eid)
        return
    p = _el(content, "p")
    if node.label is not None:
        _label(p, node.label, node.text)
    else:
        _set_text_lines(p, node.text)


def _label(p: etree._Element, label: str, text: str) -> None:
    """A run-in lead (主要工作：, **产业智慧化。**) as ``<b class="label">``.

    The parser keeps the label either outside ``text`` (a bold lead printed
    before it) or as its start; ``gb:inText`` records which, so the printed
    paragraph is the content of ``<p>`` either way.
    """
    in_text = text.startswith(label) and label != ""
    b = _el(p, "b", class_="label", gb_inText="true" if in_text else None)
    b.text = _clean(label) or None
    _set_text_lines(p, text[len(label) :] if in_text else text)


def _table(parent: etree._Element, rows: list[list[str]], eid: str) -> None:
    if not rows:
        _el(parent, "p", class_="emptyTable")
        return
    table = _el(parent, "table", eId=eid + "__table_1")
    for row in rows:
        tr = _el(table, "tr")
        if not row:
            tr.set(G("empty"), "true")  # a tr needs a cell; this one stands for none
            _el(_el(tr, "td"), "p")
        for cell in row:
            _set_text_lines(_el(_el(tr, "td"), "p"), cell)
