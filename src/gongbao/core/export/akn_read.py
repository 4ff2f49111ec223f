"""Read the Akoma Ntoso that ``export.akn`` writes back into the document model.

The point is the round trip: export → ``read_akn`` → ``export.json.to_dict``
gives the same JSON as the parse, except for what AKN does not carry (source
line numbers, the proofreading report; see docs/akn.md). It reads our own
output, not arbitrary AKN: metadata AKN has no element for comes from the
``gb:`` attributes and ``meta/proprietary``.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from gongbao.core.export.akn_xml import (
    AKN_NS,
    CROSSHEADING,
    GB_NS,
    NONE_SECTION,
    STYLE_ELEMENTS,
    A,
    G,
)
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

_SECTION_TAGS = {A(tag) for tag in STYLE_ELEMENTS.values()} | {A("hcontainer")}


class AknReadError(ValueError):
    """The bytes are not an Akoma Ntoso document this module wrote."""


def read_akn(data: bytes) -> ParseResult:
    """An exported ``officialGazette`` (or single ``doc``) as a ``ParseResult``.

    ``repairs``, ``findings`` and ``source`` are empty: AKN carries the published
    text, not the proofreading of its source.
    """
    # No network, no entity expansion: the input may come from anywhere.
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise AknReadError(f"不是有效的XML：{exc}") from exc
    if root.tag != A("akomaNtoso") or len(root) == 0:
        raise AknReadError("根元素不是 akomaNtoso")
    top = root[0]
    if top.tag == A("officialGazette"):
        return _read_gazette(top)
    if top.tag == A("doc"):
        issue = _read_issue(_proprietary(top, "issue"))
        return ParseResult(issue=issue, documents=[_read_document(top)], repairs=[], findings=[])
    raise AknReadError(f"不支持的文档类型：{etree.QName(top).localname}")


# ---------------------------------------------------------------------------
# helpers


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _gb(el: etree._Element, name: str) -> str | None:
    return el.get(G(name))


def _find(el: etree._Element | None, path: str) -> etree._Element | None:
    return None if el is None else el.find(path, {"a": AKN_NS, "gb": GB_NS})


def _findall(el: etree._Element | None, path: str) -> list[etree._Element]:
    return [] if el is None else el.findall(path, {"a": AKN_NS, "gb": GB_NS})


def text_of(el: etree._Element | None) -> str:
    """The text of an inline element as written: ``<br/>`` is a line break.

    Pretty printing indents only elements without any text node of their own,
    so when every direct text node is white space with a newline, those nodes are
    indentation and are skipped; otherwise every character counts.
    """
    if el is None:
        return ""
    own = [el.text, *(child.tail for child in el)]
    indented = all(t is None or (t.strip() == "" and "\n" in t) for t in own)
    parts: list[str] = []
    if el.text and not indented:
        parts.append(el.text)
    for child in el:
        if child.tag is etree.Comment:  # type: ignore[comparison-overlap]  # lxml-stubs
            pass
        elif child.tag == A("br"):
            parts.append("\n")
        else:
            parts.append(text_of(child))
        if child.tail and not indented:
            parts.append(child.tail)
    return "".join(parts)


def _proprietary(doc_el: etree._Element, name: str) -> etree._Element | None:
    return _find(doc_el, f"a:meta/a:proprietary/gb:{name}")


def _blocks(texts: list[str]) -> list[Block]:
    return [Block(kind="paragraph", lines=[Line(0, t) for t in text.split("\n")]) for text in texts]


# ---------------------------------------------------------------------------
# issue


def _read_gazette(gazette: etree._Element) -> ParseResult:
    issue = _read_issue(_proprietary(gazette, "issue"))
    issue.toc = _read_toc(_find(gazette, "a:coverPage/a:toc"))
    documents = [
        _read_document(doc) for doc in _findall(gazette, "a:collectionBody/a:component/a:doc")
    ]
    return ParseResult(issue=issue, documents=documents, repairs=[], findings=[])


def _read_issue(info: etree._Element | None) -> Issue:
    if info is None:
        return Issue()
    return Issue(
        gazette=info.get("gazette"),
        gazette_latin=info.get("gazetteLatin"),
        year=_int(info.get("year")),
        number=_int(info.get("number")),
        number_end=_int(info.get("numberEnd")),
        cumulative_number=_int(info.get("cumulativeNumber")),
        slogan=info.get("slogan"),
        sections=[s.text or "" for s in _findall(info, "gb:section")],
        ident=info.get("id") or "",
        front=_blocks([f.text or "" for f in _findall(info, "gb:front")]),
    )


def _read_toc(toc: etree._Element | None) -> list[TocEntry]:
    entries: list[TocEntry] = []
    section: str | None = None
    for item in _findall(toc, "a:tocItem"):
        if item.get("class") == "tocSection":
            section = text_of(item)
            continue
        page = _find(item, "a:span[@class='page']")
        number = _find(item, "a:docNumber")
        entries.append(
            TocEntry(
                section=section if item.get("level") == "2" else None,
                title=text_of(_find(item, "a:docTitle")),
                doc_number=text_of(number) if number is not None else None,
                page=_int(text_of(page)) if page is not None else None,
                line=_int(_gb(item, "line")) or 0,
            )
        )
    return entries


# ---------------------------------------------------------------------------
# documents


def _read_document(doc_el: etree._Element) -> Document:
    info = _proprietary(doc_el, "document")
    if info is None:
        info = _proprietary(doc_el, "promulgated")
    doc = Document(seq=0, kind=doc_el.get("name") or "other", title="")
    if info is not None:
        _read_info(doc, info)
    _read_preface(doc, _find(doc_el, "a:preface"))
    doc.body = _read_nodes(_find(doc_el, "a:mainBody"))
    _read_conclusions(doc, _find(doc_el, "a:conclusions"))
    for attachment in _findall(doc_el, "a:attachments/a:attachment/a:doc"):
        if _proprietary(attachment, "promulgated") is not None:
            doc.promulgates = _read_document(attachment)
        else:
            doc.attachments.append(_read_attachment(attachment))
    return doc


def _read_info(doc: Document, info: etree._Element) -> None:
    """Fields from ``gb:document``: ids, TOC position, the printed head and tail blocks."""
    doc.ident = info.get("id") or ""
    doc.seq = _int(info.get("seq")) or 0
    section = info.get("section")
    doc.section = None if section in (None, NONE_SECTION) else section
    doc.page = _int(info.get("page"))
    doc.toc_title = info.get("tocTitle")
    for block_el in _findall(info, "gb:block"):
        block = _blocks([block_el.text or ""])[0]
        (doc.head if block_el.get("part") == "head" else doc.tail).append(block)
        doc.roles[id(block)] = block_el.get("role") or ""


def _read_preface(doc: Document, preface: etree._Element | None) -> None:
    title = _find(preface, "a:longTitle/a:p/a:docTitle")
    doc.title = text_of(title)
    authorities = _findall(preface, "a:longTitle/a:p/a:docAuthority")
    doc.issuers = [text_of(a) for a in authorities]
    doc.issuer = doc.issuers[0] if doc.issuers else None
    number = _find(preface, "a:p/a:docNumber")
    if number is not None:
        doc.doc_number = DocNumber(
            text=text_of(number),
            agency_code=_gb(number, "agencyCode") or "",
            year=_int(_gb(number, "year")) or 0,
            serial=_int(_gb(number, "serial")) or 0,
        )
    speaker = _find(preface, "a:p[@class='speaker']/a:person")
    doc.speaker = text_of(speaker) if speaker is not None else None
    when = _find(preface, "a:p/a:docDate")
    doc.date = date.fromisoformat(when.get("date")) if when is not None else None  # type: ignore[arg-type]
    note = _find(preface, "a:p[@class='dateNote']")
    doc.date_note = text_of(note) if note is not None else None
    recipients = _find(preface, "a:p[@class='recipients']")
    doc.recipients = text_of(recipients) if recipients is not None else None


def _read_conclusions(doc: Document, conclusions: etree._Element | None) -> None:
    sig = _find(conclusions, "a:blockContainer[@class='signature']/a:p/a:signature/a:organization")
    doc.signature = text_of(sig) if sig is not None else None


def _read_attachment(doc_el: etree._Element) -> Attachment:
    info = _proprietary(doc_el, "attachment")
    number = _int(info.get("number")) if info is not None else None
    head = [h.text or "" for h in _findall(info, "gb:head")]
    return Attachment(
        number=number,
        title=text_of(_find(doc_el, "a:preface/a:longTitle/a:p/a:docTitle")),
        head=_blocks(head),
        body=_read_nodes(_find(doc_el, "a:mainBody")),
    )


# ---------------------------------------------------------------------------
# body tree


def _read_nodes(parent: etree._Element | None) -> list[Node]:
    nodes: list[Node] = []
    for el in [] if parent is None else parent:
        if el.tag == A("paragraph"):
            nodes.append(_read_leaf(el))
        elif el.tag == A("hcontainer") and el.get("name") == CROSSHEADING:
            nodes.append(
                Node(kind="heading", text=text_of(_find(el, "a:heading")), anchor=_anchor(el))
            )
        elif el.tag in _SECTION_TAGS:
            nodes.append(_read_section(el))
        # num, heading, and the placeholder <p class="emptyBody"/> are not nodes
    return nodes


def _anchor(el: etree._Element) -> str:
    return _gb(el, "anchor") or ""


def _read_section(el: etree._Element) -> Node:
    num_el = _find(el, "a:num")
    num = text_of(num_el) if num_el is not None else None
    heading = text_of(_find(el, "a:heading"))
    printed = _gb(el, "text")
    return Node(
        kind="section",
        text=printed if printed is not None else (num or "") + heading,
        num=num,
        style=_gb(el, "style"),
        value=_int(_gb(el, "value")),
        level=_int(_gb(el, "level")) or 0,
        heading=heading,
        children=_read_nodes(el),
        anchor=_anchor(el),
    )


def _read_leaf(el: etree._Element) -> Node:
    kind = el.get("class") or "paragraph"
    node = Node(kind=kind, anchor=_anchor(el))
    if kind == "table":
        node.rows = [
            [] if _gb(tr, "empty") else [text_of(_find(td, "a:p")) for td in _findall(tr, "a:td")]
            for tr in _findall(el, "a:content/a:table/a:tr")
        ]
        return node
    p = _find(el, "a:content/a:p")
    label = _find(p, "a:b[@class='label']")
    if label is None:
        node.text = text_of(p)
        return node
    node.label = text_of(label)
    # text_of(p) is the printed paragraph: the label, then the rest.
    rest = text_of(p)[len(node.label) :]
    node.text = node.label + rest if _gb(label, "inText") else rest
    return node


__all__ = ["AknReadError", "read_akn", "text_of"]
