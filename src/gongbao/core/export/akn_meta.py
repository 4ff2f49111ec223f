"""Akoma Ntoso ``meta``: the TLC references (unique across a gazette) and the FRBR
identification and publication of a gazette or a document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from gongbao.core.export.akn_xml import LANGUAGE, _el
from gongbao.core.ids import gazette_slug, slugify
from gongbao.core.model import Document, Issue, ParseResult


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


def _all_documents(documents: list[Document]) -> Iterator[Document]:
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
