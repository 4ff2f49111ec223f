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

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree

from gongbao.core.ids import gazette_slug, slugify
from gongbao.core.model import Attachment, Document, Issue, Node, ParseResult

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: Our extension namespace: attributes and proprietary metadata AKN has no element for.
GB_NS = "urn:x-gongbao:akn:1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: AKN_NS, "gb": GB_NS}
LANGUAGE = "zho"  # ISO 639-2 alpha-3, as FRBRlanguage wants
XML_LANG = "zh-Hans"  # BCP 47, as xml:lang wants

#: Section numbering styles that have an AKN element of their own; the rest are
#: ``hcontainer name="{style}"``.
STYLE_ELEMENTS = {"part": "part", "chapter": "chapter", "section": "section", "article": "article"}
#: Short eId names (cobalt's habit: ``chp_1``, ``sec_2``, ``para_3``).
EID_NAMES = {
    "part": "part",
    "chapter": "chp",
    "section": "sec",
    "article": "art",
    "hcontainer": "hcontainer",
    "paragraph": "para",
}
UNNUMBERED = "unnumbered"  # hcontainer@name of a section without a numbering style
CROSSHEADING = "crossheading"  # hcontainer@name of a ``heading`` node
NONE_SECTION = "-"  # gb:section value meaning "section is None" where "" would be ambiguous

# Characters XML 1.0 cannot carry at all; lxml refuses them. They only come
# from broken conversions, so they are replaced rather than encoded.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def A(tag: str) -> str:
    """Clark name of an AKN element."""
    return f"{{{AKN_NS}}}{tag}"


def G(name: str) -> str:
    """Clark name of a gongbao extension attribute or element."""
    return f"{{{GB_NS}}}{name}"


def _clean(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _el(parent: etree._Element | None, tag: str, text: str | None = None, **attrib: Any):
    """Make an AKN element (appended to ``parent`` when given); None-valued attributes are left out."""
    attrs = {_attr_name(k): _clean(str(v)) for k, v in attrib.items() if v is not None}
    if parent is None:
        el = etree.Element(A(tag), attrs, nsmap=NSMAP)
    else:
        el = etree.SubElement(parent, A(tag), attrs)
    if text:
        el.text = _clean(text)
    return el


def _lang(el: etree._Element) -> etree._Element:
    """Mark the language: AKN allows ``xml:lang`` on content containers, not on ``doc``."""
    el.set(f"{{{XML_NS}}}lang", XML_LANG)
    return el


def _attr_name(key: str) -> str:
    # gb_style → {GB_NS}style; class_ → class (a Python keyword)
    if key.startswith("gb_"):
        return G(key[3:])
    return key.rstrip("_")


def _set_text_lines(el: etree._Element, text: str) -> None:
    """Append ``text`` to ``el``; a line break becomes ``<br/>`` (hard breaks are content)."""
    parts = _clean(text).split("\n")
    _append_text(el, parts[0])
    for part in parts[1:]:
        br = etree.SubElement(el, A("br"))
        br.tail = part or None


def _append_text(el: etree._Element, text: str) -> None:
    if not text:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------
# References (TLC*): collected once per output root, since their eIds must be
# unique across the whole gazette too.


@dataclass
class _References:
    source: str = "#gongbao"
    organizations: dict[str, str] = field(default_factory=dict)  # name → eId
    persons: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, str] = field(default_factory=dict)
    _used: set[str] = field(default_factory=lambda: {"gongbao"})

    def _eid(self, kind: str, name: str) -> str:
        base = f"{kind}_{slugify(name) or 'x'}"
        eid, n = base, 1
        while eid in self._used:
            n += 1
            eid = f"{base}_{n}"
        self._used.add(eid)
        return eid

    def organization(self, name: str) -> str:
        if name not in self.organizations:
            self.organizations[name] = self._eid("org", name)
        return "#" + self.organizations[name]

    def person(self, name: str) -> str:
        if name not in self.persons:
            self.persons[name] = self._eid("person", name)
        return "#" + self.persons[name]

    def role(self, name: str) -> str:
        if name not in self.roles:
            self.roles[name] = name
            self._used.add(name)
        return "#" + name

    def concept(self, name: str) -> str:
        if name not in self.concepts:
            self.concepts[name] = name
            self._used.add(name)
        return "#" + name

    def element(self) -> etree._Element:
        refs = _el(None, "references", source=self.source)
        _el(
            refs,
            "TLCOrganization",
            eId="gongbao",
            href="/akn/ontology/organizations/gongbao",
            showAs="公报导出程序",
        )
        for name, eid in self.organizations.items():
            _el(
                refs,
                "TLCOrganization",
                eId=eid,
                href=f"/akn/ontology/organizations/cn/{eid.removeprefix('org_')}",
                showAs=name,
            )
        for name, eid in self.persons.items():
            _el(
                refs,
                "TLCPerson",
                eId=eid,
                href=f"/akn/ontology/persons/cn/{eid.removeprefix('person_')}",
                showAs=name,
            )
        for name in self.roles:
            _el(
                refs,
                "TLCRole",
                eId=name,
                href=f"/akn/ontology/roles/{name}",
                showAs=_ROLE_NAMES.get(name, name),
            )
        for name in self.concepts:
            _el(
                refs,
                "TLCConcept",
                eId=name,
                href=f"/akn/ontology/concepts/{name}",
                showAs=_CONCEPT_NAMES.get(name, name),
            )
        return refs


_ROLE_NAMES = {"speaker": "讲话人"}
_CONCEPT_NAMES = {"signatureDate": "成文日期"}


# ---------------------------------------------------------------------------
# FRBR


@dataclass
class _Context:
    country: str
    locality: str | None
    issue: Issue
    issue_date: date
    generated: date
    refs: _References

    @property
    def place(self) -> str:
        return f"{self.country}-{self.locality}" if self.locality else self.country

    @property
    def publisher(self) -> str:
        return publisher_name(self.issue)


def publisher_name(issue: Issue) -> str:
    """The body that publishes the gazette: 冠县人民政府公报 → 冠县人民政府."""
    name = issue.gazette or ""
    return name.removesuffix("公报") or "公报"


def issue_date(result: ParseResult) -> date:
    """The date the export uses for the issue: the latest date printed in it.

    The model has no publication date. The latest document date (including
    promulgated plans) is the earliest the issue can have come out; with no
    dates at all, 1 January of the issue's year stands in.
    """
    dates = [d.date for d in _all_documents(result.documents) if d.date is not None]
    if dates:
        return max(dates)
    return date(result.issue.year or 1970, 1, 1)


def _all_documents(documents: list[Document]):
    for doc in documents:
        yield doc
        if doc.promulgates is not None:
            yield doc.promulgates


def gazette_work_iri(issue: Issue, *, country: str = "cn", locality: str | None = None) -> str:
    place = f"{country}-{locality or gazette_slug(issue)}"
    number = f"{issue.number or 0}" + (f"-{issue.number_end}" if issue.number_end else "")
    return f"/akn/{place}/officialGazette/{issue.year or 0}/{number}"


def document_work_iri(
    doc: Document,
    issue: Issue,
    *,
    country: str = "cn",
    locality: str | None = None,
    fallback_date: date | None = None,
) -> str:
    """``/akn/cn-guanxian/doc/notice/2018-08-01/guanzhengfa-2018-64``."""
    place = f"{country}-{locality or gazette_slug(issue)}"
    when = doc.date or fallback_date or date(issue.year or 1970, 1, 1)
    return f"/akn/{place}/doc/{doc.kind}/{when.isoformat()}/{doc.ident or 'nn'}"


def _identification(
    parent: etree._Element,
    ctx: _Context,
    *,
    work: str,
    component: str,
    when: date,
    date_name: str,
    author: str,
    number: str | None,
    number_show: str | None,
    subtype: str | None,
    alias: str | None,
) -> None:
    """FRBR Work/Expression/Manifestation; ``component`` is ``main`` or ``attachment_n``."""
    expression = f"{work}/{LANGUAGE}@"
    ident = _el(parent, "identification", source="#gongbao")
    w = _el(ident, "FRBRWork")
    _el(w, "FRBRthis", value=f"{work}/!{component}")
    _el(w, "FRBRuri", value=work)
    if alias:
        _el(w, "FRBRalias", value=alias, name="title")
    _el(w, "FRBRdate", date=when.isoformat(), name=date_name)
    _el(w, "FRBRauthor", href=author)
    _el(w, "FRBRcountry", value=ctx.country)
    if subtype:
        _el(w, "FRBRsubtype", value=subtype)
    if number:
        _el(w, "FRBRnumber", value=number, showAs=number_show)
    e = _el(ident, "FRBRExpression")
    _el(e, "FRBRthis", value=f"{expression}/!{component}")
    _el(e, "FRBRuri", value=expression)
    _el(e, "FRBRdate", date=when.isoformat(), name=date_name)
    _el(e, "FRBRauthor", href=author)
    _el(e, "FRBRlanguage", language=LANGUAGE)
    m = _el(ident, "FRBRManifestation")
    _el(m, "FRBRthis", value=f"{expression}/!{component}.xml")
    _el(m, "FRBRuri", value=f"{expression}.xml")
    _el(m, "FRBRdate", date=ctx.generated.isoformat(), name="generation")
    _el(m, "FRBRauthor", href="#gongbao")


def _publication(parent: etree._Element, ctx: _Context) -> None:
    issue = ctx.issue
    _el(
        parent,
        "publication",
        date=ctx.issue_date.isoformat(),
        name=issue.gazette or "公报",
        showAs=issue_show_as(issue),
        number=_issue_number(issue),
    )


def _issue_number(issue: Issue) -> str:
    return f"{issue.number or 0}" + (f"-{issue.number_end}" if issue.number_end else "")


def issue_show_as(issue: Issue) -> str:
    """2018年第3期（总第27期）, as a gazette prints it."""
    number = f"{issue.number}、{issue.number_end}" if issue.number_end else f"{issue.number}"
    text = f"{issue.year}年第{number}期"
    if issue.cumulative_number:
        text += f"（总第{issue.cumulative_number}期）"
    return text


# ---------------------------------------------------------------------------
# Body tree


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


# ---------------------------------------------------------------------------
# Documents


def _proprietary_blocks(parent: etree._Element, doc: Document) -> None:
    """The printed head and tail blocks (masthead, 版记…) with their roles, verbatim."""
    for part, blocks in (("head", doc.head), ("tail", doc.tail)):
        for block in blocks:
            b = etree.SubElement(parent, G("block"), part=part, role=doc.roles.get(id(block), ""))
            b.text = _clean(block.text)


def _document_meta(
    doc_el: etree._Element,
    doc: Document,
    ctx: _Context,
    *,
    work: str,
    component: str,
    promulgated: bool,
    parent: Document | None,
) -> None:
    meta = _el(doc_el, "meta")
    # A promulgated plan prints no date or issuer of its own: its notice's stand in.
    own_date = doc.date or (parent.date if parent else None)
    when = own_date or ctx.issue_date
    issuer = doc.issuer or (parent.issuer if parent else None) or ctx.publisher
    author = ctx.refs.organization(issuer)
    number = doc.doc_number.text if doc.doc_number else None
    _identification(
        meta,
        ctx,
        work=work,
        component=component,
        when=when,
        date_name="signature" if own_date else "publication",
        author=author,
        number=doc.ident or None,
        number_show=number,
        subtype=doc.kind,
        alias=doc.title or None,
    )
    _publication(meta, ctx)
    prop = _el(meta, "proprietary", source="#gongbao")
    info = etree.SubElement(prop, G("promulgated" if promulgated else "document"))
    _set_attrs(
        info,
        id=doc.ident,
        seq=doc.seq,
        section=NONE_SECTION if doc.section is None else doc.section,
        page=doc.page,
        tocTitle=doc.toc_title,
        dateNote=doc.date_note,
    )
    _proprietary_blocks(info, doc)


def _set_attrs(el: etree._Element, **attrib: Any) -> None:
    for key, value in attrib.items():
        if value is not None:
            el.set(key, _clean(str(value)))


def _preface(doc_el: etree._Element, doc: Document, ctx: _Context, prefix: str) -> None:
    preface = _lang(_el(doc_el, "preface"))
    long_title = _el(preface, "longTitle", eId=f"{prefix}longTitle_1")
    p = _el(long_title, "p")
    for name in doc.issuers or ([doc.issuer] if doc.issuer else []):
        _el(p, "docAuthority", name, refersTo=ctx.refs.organization(name))
    _el(p, "docTitle", doc.title)
    if doc.doc_number is not None:
        n = doc.doc_number
        _el(
            _el(preface, "p", class_="docNumber"),
            "docNumber",
            n.text,
            gb_agencyCode=n.agency_code,
            gb_year=n.year,
            gb_serial=n.serial,
        )
    if doc.speaker:
        p = _el(preface, "p", class_="speaker")
        _el(
            p,
            "person",
            doc.speaker,
            refersTo=ctx.refs.person(doc.speaker),
            as_=ctx.refs.role("speaker"),
        )
    if doc.date is not None:
        _el(
            _el(preface, "p", class_="docDate"),
            "docDate",
            cn_date(doc.date),
            date=doc.date.isoformat(),
        )
    if doc.date_note:
        _el(preface, "p", doc.date_note, class_="dateNote")
    if doc.recipients is not None:
        _set_text_lines(_el(preface, "p", class_="recipients"), doc.recipients)


def _conclusions(doc_el: etree._Element, doc: Document, ctx: _Context, prefix: str) -> None:
    """Signature and 成文日期, then the 版记 lines (附注, 抄送, 印发) as printed."""
    colophon = [b for b in doc.tail if doc.roles.get(id(b)) in ("note", "copy_to", "printed_by")]
    if doc.signature is None and not colophon:
        return
    conclusions = _lang(_el(doc_el, "conclusions"))
    if doc.signature is not None:
        box = _el(
            conclusions, "blockContainer", eId=f"{prefix}blockContainer_1", class_="signature"
        )
        p = _el(box, "p")
        sig = _el(
            _el(p, "signature"),
            "organization",
            refersTo=ctx.refs.organization(doc.signature.split("\n")[0] or ctx.publisher),
        )
        _set_text_lines(sig, doc.signature)
        if doc.date is not None:
            _el(
                _el(box, "p"),
                "date",
                cn_date(doc.date),
                date=doc.date.isoformat(),
                refersTo=ctx.refs.concept("signatureDate"),
            )
    for block in colophon:
        _set_text_lines(_el(conclusions, "p", class_=doc.roles.get(id(block))), block.text)


def _document(
    doc: Document,
    ctx: _Context,
    *,
    prefix: str,
    work: str | None = None,
    component: str = "main",
    parent: Document | None = None,
) -> etree._Element:
    """A ``doc`` element for ``doc``; ``prefix`` starts every eId inside it."""
    el = _el(None, "doc", name=doc.kind or "other", contains="originalVersion")
    if work is None:
        work = document_work_iri(
            doc, ctx.issue, country=ctx.country, locality=ctx.locality, fallback_date=ctx.issue_date
        )
    _document_meta(
        el,
        doc,
        ctx,
        work=work,
        component=component,
        promulgated=parent is not None,
        parent=parent,
    )
    _preface(el, doc, ctx, prefix)
    main = _lang(_el(el, "mainBody"))
    _body(main, doc.body, prefix)
    if len(main) == 0:
        _el(main, "p", class_="emptyBody")  # mainBody must not be empty
    _conclusions(el, doc, ctx, prefix)
    _attachments(el, doc, ctx, prefix, work)
    return el


def _attachments(
    doc_el: etree._Element, doc: Document, ctx: _Context, prefix: str, work: str
) -> None:
    if doc.promulgates is None and not doc.attachments:
        return
    box = _el(doc_el, "attachments")
    n = 0
    if doc.promulgates is not None:
        n += 1
        att = _el(box, "attachment", eId=f"{prefix}att_{n}")
        att.append(
            _document(
                doc.promulgates,
                ctx,
                prefix=f"{prefix}att_{n}__",
                work=work,
                component=f"attachment_{n}",
                parent=doc,
            )
        )
    for attachment in doc.attachments:
        n += 1
        att = _el(box, "attachment", eId=f"{prefix}att_{n}")
        att.append(_attachment_doc(attachment, doc, ctx, f"{prefix}att_{n}__", work, n))


def _attachment_doc(
    att: Attachment, parent: Document, ctx: _Context, prefix: str, work: str, n: int
) -> etree._Element:
    el = _el(None, "doc", name="attachment", contains="originalVersion")
    meta = _el(el, "meta")
    when = parent.date or ctx.issue_date
    _identification(
        meta,
        ctx,
        work=work,
        component=f"attachment_{n}",
        when=when,
        date_name="signature" if parent.date else "publication",
        author=ctx.refs.organization(parent.issuer or ctx.publisher),
        number=str(att.number) if att.number is not None else None,
        number_show=None,
        subtype="attachment",
        alias=att.title or None,
    )
    _publication(meta, ctx)
    prop = _el(meta, "proprietary", source="#gongbao")
    info = etree.SubElement(prop, G("attachment"))
    _set_attrs(info, number=att.number)
    for block in att.head:
        line = etree.SubElement(info, G("head"))
        line.text = _clean(block.text)
    preface = _lang(_el(el, "preface"))
    p = _el(_el(preface, "longTitle", eId=f"{prefix}longTitle_1"), "p")
    if att.number is not None:
        _el(p, "docNumber", f"附件{att.number}")
    _el(p, "docTitle", att.title)
    main = _lang(_el(el, "mainBody"))
    _body(main, att.body, prefix)
    if len(main) == 0:
        _el(main, "p", class_="emptyBody")
    return el


# ---------------------------------------------------------------------------
# The gazette


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
                if c.eid not in claimed and entry.title in (c.document.toc_title, c.document.title)
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
    meta = el.find(A("meta"))
    meta.insert(2, ctx.refs.element())
    issue_meta = meta.find(A("proprietary"))
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


# ---------------------------------------------------------------------------
# Validation


def schema_path() -> Any:
    """The vendored ``akomantoso30.xsd`` (``xml.xsd`` sits beside it; see docs/akn.md)."""
    return resources.files("gongbao").joinpath("schema/akn/akomantoso30.xsd")


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The AKN 3.0 schema, parsed once, from its file path so ``./xml.xsd`` resolves offline."""
    with resources.as_file(schema_path()) as path:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(path), parser))


def validate(element: etree._Element | etree._ElementTree) -> list[str]:
    """Schema errors as ``line: message``; an empty list means valid."""
    xsd = schema()
    if xsd.validate(element):
        return []
    return [f"{e.line}: {e.message}" for e in xsd.error_log]


__all__ = [
    "AKN_NS",
    "GB_NS",
    "document_to_akn",
    "document_work_iri",
    "gazette_work_iri",
    "issue_date",
    "issue_to_akn",
    "schema",
    "to_bytes",
    "validate",
]
