"""Akoma Ntoso ``doc``: one document's meta, preface (版头, 文号, title, 主送),
body, conclusions (signature, 成文日期) and attachments (附件, a promulgated plan).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from gongbao.core.export.akn_body import _body
from gongbao.core.export.akn_meta import _Context, _identification, _publication, document_work_iri
from gongbao.core.export.akn_xml import (
    NONE_SECTION,
    G,
    _clean,
    _el,
    _lang,
    _set_text_lines,
    cn_date,
)
from gongbao.core.model import Attachment, Document


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
