"""Akoma Ntoso 3.0 export: an issue as an ``officialGazette``, a document as a ``doc``.

The mapping is described in docs/akn.md. In short: each document is a
``component`` of the gazette's ``collectionBody`` with its own ``meta`` and FRBR
IRIs; TOC section dividers are ``interstitial`` components; the body tree maps
to hierarchical containers; signature and date go to ``conclusions``; a
promulgated plan and the 附件 are ``attachments/attachment/doc``.

What AKN has no place for (document ``seq``, the TOC page, the printed head and
tail blocks, numbering values) goes into ``meta/proprietary`` or into attributes
of the ``gb:`` namespace, which the schema allows on every element
(``anyAttribute namespace="##other"``). ``akn_read.read_akn`` reads it all back.

eIds are unique across the whole gazette (the schema's ``eId-officialGazette``
constraint covers nested documents): every eId inside a component starts with
the component's eId, ``cmp_3__chp_1__sec_2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from lxml import etree

from gongbao.core.export.akn_doc import _document, _set_attrs
from gongbao.core.export.akn_meta import (
    _Context,
    _identification,
    _issue_number,
    _publication,
    _References,
    document_work_iri,
    gazette_work_iri,
    issue_date,
    issue_show_as,
    publisher_name,
)
from gongbao.core.export.akn_xml import (
    AKN_NS,
    GB_NS,
    NSMAP,
    A,
    G,
    _clean,
    _el,
    _lang,
    schema,
    schema_path,
    validate,
)
from gongbao.core.ids import gazette_slug
from gongbao.core.model import Document, Issue, ParseResult

# the names callers use as ``akn.<name>``
__all__ = [
    "AKN_NS",
    "GB_NS",
    "A",
    "document_to_akn",
    "document_work_iri",
    "gazette_work_iri",
    "issue_date",
    "issue_show_as",
    "issue_to_akn",
    "publisher_name",
    "schema",
    "schema_path",
    "to_bytes",
    "validate",
]


def _context(
    result_or_issue: ParseResult | Issue,
    country: str,
    locality: str | None,
    when: date | None,
    generated: date | None,
) -> _Context:
    if isinstance(result_or_issue, ParseResult):
        issue = result_or_issue.issue
        when = when or issue_date(result_or_issue)
    else:
        issue = result_or_issue
        when = when or date(issue.year or 1970, 1, 1)
    return _Context(
        country=country.lower(),
        locality=locality or gazette_slug(issue),
        issue=issue,
        issue_date=when,
        generated=generated or when,
        refs=_References(),
    )


def issue_to_akn(
    result: ParseResult,
    *,
    country: str = "cn",
    locality: str | None = None,
    generated: date | None = None,
) -> etree._Element:
    """The issue as ``akomaNtoso/officialGazette``; the documents are its components.

    ``locality`` defaults to the gazette slug (``guanxian``). ``generated`` is the
    manifestation date; it defaults to the issue date so that the same input
    always gives the same bytes (the integrity manifests hash them).
    """
    ctx = _context(result, country, locality, None, generated)
    issue = result.issue
    root = etree.Element(A("akomaNtoso"), nsmap=NSMAP)
    gazette = _el(root, "officialGazette", name="officialGazette", contains="originalVersion")
    meta = _el(gazette, "meta")
    work = gazette_work_iri(issue, country=ctx.country, locality=ctx.locality)
    _identification(
        meta,
        ctx,
        work=work,
        component="main",
        when=ctx.issue_date,
        date_name="publication",
        author=ctx.refs.organization(ctx.publisher),
        number=_issue_number(issue),
        number_show=issue_show_as(issue),
        subtype=None,
        alias=f"{issue.gazette or ''} {issue_show_as(issue)}".strip(),
    )
    _publication(meta, ctx)
    refs_slot = len(meta)  # references are filled in last, when every TLC is known
    _issue_proprietary(meta, issue)
    components = _components(result, ctx)
    _cover_page(gazette, issue, components)
    body = _lang(_el(gazette, "collectionBody"))
    for comp in components:
        body.append(comp.element)
    meta.insert(refs_slot, ctx.refs.element())
    etree.cleanup_namespaces(root, top_nsmap=NSMAP)
    return root


def _issue_proprietary(meta: etree._Element, issue: Issue) -> None:
    prop = _el(meta, "proprietary", source="#gongbao")
    info = etree.SubElement(prop, G("issue"))
    _set_attrs(
        info,
        id=issue.ident,
        gazette=issue.gazette,
        gazetteLatin=issue.gazette_latin,
        year=issue.year,
        number=issue.number,
        numberEnd=issue.number_end,
        cumulativeNumber=issue.cumulative_number,
        slogan=issue.slogan,
    )
    for name in issue.sections:
        section = etree.SubElement(info, G("section"))
        section.text = _clean(name)
    for block in issue.front:
        front = etree.SubElement(info, G("front"))
        front.text = _clean(block.text)


@dataclass
class _Component:
    eid: str
    element: etree._Element
    document: Document | None = None
    section: str | None = None


def _components(result: ParseResult, ctx: _Context) -> list[_Component]:
    """Documents as components, with an ``interstitial`` before each new TOC section."""
    out: list[_Component] = []
    current: str | None = None
    for doc in result.documents:
        if doc.section is not None and doc.section != current:
            eid = f"cmp_{len(out) + 1}"
            comp = _el(None, "component", eId=eid)
            inter = _el(comp, "interstitial", eId=f"{eid}__interstitial_1", class_="tocSection")
            _el(inter, "p", doc.section)
            out.append(_Component(eid, comp, section=doc.section))
        current = doc.section if doc.section is not None else current
        eid = f"cmp_{len(out) + 1}"
        comp = _el(None, "component", eId=eid)
        comp.append(_document(doc, ctx, prefix=f"{eid}__"))
        out.append(_Component(eid, comp, document=doc))
    return out


def _cover_page(gazette: etree._Element, issue: Issue, components: list[_Component]) -> None:
    """Title, issue number, slogan and the TOC (``tocItem@href`` → the component)."""
    cover = _lang(_el(gazette, "coverPage"))
    _el(_el(cover, "p", class_="gazette"), "docTitle", issue.gazette or "公报")
    _el(_el(cover, "p", class_="issueNumber"), "docNumber", issue_show_as(issue))
    if issue.slogan:
        _el(cover, "p", issue.slogan, class_="slogan")
    if not issue.toc:
        return
    toc = _el(cover, "toc", eId="toc_1")
    hrefs = _toc_targets(issue, components)
    current: str | None = None
    for n, entry in enumerate(issue.toc):
        if entry.section is not None and entry.section != current:
            target = next((c.eid for c in components if c.section == entry.section), "toc_1")
            _el(toc, "tocItem", entry.section, href=f"#{target}", level=1, class_="tocSection")
            current = entry.section
        elif entry.section is None:
            current = None
        item = _el(
            toc,
            "tocItem",
            href=f"#{hrefs[n]}",
            level=2 if entry.section else 1,
            class_="tocEntry",
            gb_line=entry.line or None,
        )
        _el(item, "docTitle", entry.title)
        if entry.doc_number is not None:
            _el(item, "docNumber", entry.doc_number)
        if entry.page is not None:
            _el(item, "span", str(entry.page), class_="page")


def _doc(component: _Component) -> Document:
    """The document of a component that has one (not a section divider)."""
    return cast(Document, component.document)


def _toc_targets(issue: Issue, components: list[_Component]) -> list[str]:
    """The component each TOC entry points at: the first unclaimed document with its title."""
    docs = [c for c in components if c.document is not None]
    claimed: set[str] = set()
    out = []
    for entry in issue.toc:
        match = next(
            (
                c
                for c in docs
                if c.eid not in claimed and entry.title in (_doc(c).toc_title, _doc(c).title)
            ),
            None,
        )
        if match is not None:
            claimed.add(match.eid)
        out.append(match.eid if match else "toc_1")
    return out


def document_to_akn(
    doc: Document,
    issue: Issue,
    *,
    country: str = "cn",
    locality: str | None = None,
    issue_date: date | None = None,
    generated: date | None = None,
) -> etree._Element:
    """One document as its own ``akomaNtoso/doc`` (eIds without a component prefix)."""
    ctx = _context(issue, country, locality, issue_date or doc.date, generated)
    root = etree.Element(A("akomaNtoso"), nsmap=NSMAP)
    el = _document(doc, ctx, prefix="")
    root.append(el)
    # References last: the TLCs are only known once the whole document is built.
    meta = cast(etree._Element, el.find(A("meta")))
    meta.insert(2, ctx.refs.element())
    issue_meta = cast(etree._Element, meta.find(A("proprietary")))
    _issue_proprietary_into(issue_meta, issue)
    etree.cleanup_namespaces(root, top_nsmap=NSMAP)
    return root


def _issue_proprietary_into(prop: etree._Element, issue: Issue) -> None:
    holder = etree.Element(A("meta"))
    _issue_proprietary(holder, issue)
    prop.insert(0, holder[0][0])


def to_bytes(element: etree._Element) -> bytes:
    """UTF-8 with an XML declaration, indented; mixed content is left as is by libxml2."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
