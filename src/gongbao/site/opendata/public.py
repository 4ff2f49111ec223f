"""What every open-data channel publishes: the API, feeds, bulk files, sitemap, exports.

All of them read the archive through this module, and this module reads it
through ``gongbao.site.access`` only: published issues, public documents, and
the public (de-identified) JSON of each document. Nothing here queries
``Document`` or ``Issue`` for public output any other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from gongbao.core import integrity
from gongbao.core.export.json_read import result_from_dicts
from gongbao.core.model import ParseResult
from gongbao.site import access
from gongbao.site.archive.models import ArchiveState, Document, Gazette, Issue

#: Metadata columns of the CSV and of the API's document list, in order.
FIELDS = (
    "id",
    "gazette",
    "issue",
    "year",
    "issue_number",
    "seq",
    "section",
    "page",
    "kind",
    "title",
    "toc_title",
    "doc_number",
    "issuer",
    "date",
    "recipients",
    "speaker",
    "promulgates",
    "published_at",
    "sha256",
    "url",
)


def issues(gazette: Gazette | None = None) -> QuerySet[Issue]:
    return access.public_issues(gazette)


def printed_issues(gazette: Gazette | None = None) -> QuerySet[Issue]:
    """The issues that lists of issues show: a library entry (文件库) is served as its
    documents, and as an issue only where it is named (bulk files, AKN, manifests)."""
    return issues(gazette).filter(kind=Issue.ISSUE)


def documents(gazette: Gazette | None = None) -> QuerySet[Document]:
    return access.public_documents(gazette)


#: The public lists' filters (API search, saved-search feeds) as ``Document`` lookups.
FILTER_LOOKUPS = {
    "gazette": "gazette__slug",
    "year": "issue__year",
    "section": "section",
    "issuer": "issuer",
    "kind": "kind",
    "date_from": "date__gte",
    "date_to": "date__lte",
}


def filtered(qs: QuerySet[Document], filters: dict[str, Any]) -> QuerySet[Document]:
    """``qs`` narrowed by the filters ``FILTER_LOOKUPS`` names, as the search index applies them."""
    for key, value in filters.items():
        qs = qs.filter(**{FILTER_LOOKUPS[key]: value})
    return qs


def document_or_404(gazette: str, ident: str) -> Document:
    """The public document ``ident`` of the gazette with slug ``gazette``: the one lookup of
    the public channels (pages, API, downloads); ``Http404`` for anything the public may not see."""
    doc = (
        documents()
        .select_related("issue", "issue__gazette", "gazette")
        .filter(gazette__slug=gazette, ident=ident)
        .first()
    )
    if doc is None:
        raise Http404(f"没有这份文件：{gazette}/{ident}")
    return doc


def document_data(doc: Document) -> dict[str, Any]:
    """The document's JSON as the public may read it (de-identified where access says so)."""
    for name in ("public_data", "public_document_data"):
        fn = getattr(access, name, None)
        if fn is not None:
            return fn(doc)
    return doc.data


def site_url(path: str) -> str:
    """An absolute URL for files made without a request (bulk files): ``GONGBAO_SITE_URL``
    + path; the bare path when the site's address is not configured."""
    base = getattr(settings, "GONGBAO_SITE_URL", "")
    return base.rstrip("/") + path if base else path


def doc_path(slug: str, ident: str) -> str:
    """The document page under its gazette (valid whichever gazette is the default)."""
    return reverse("web:g-document", args=[slug, ident])


def issue_path(slug: str, year: int, number: int) -> str:
    return reverse("web:g-issue", args=[slug, year, number])


def latest_version(issue: Issue):
    return issue.versions.order_by("-number").first()


def issue_dict(issue: Issue) -> dict[str, Any]:
    """The issue's ``to_dict`` header as of its current version."""
    version = latest_version(issue)
    if version is not None:
        return dict(version.parsed.get("issue") or {})
    return {
        "id": issue.ident,
        "gazette": issue.gazette.name,
        "year": issue.year,
        "number": issue.number,
        "sections": issue.sections,
        "toc": issue.toc,
    }


def record(doc: Document, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """A document's metadata row: the API list, the CSV, the JSONL's head fields and feeds.

    ``doc`` must come with ``select_related("issue", "gazette")``.
    """
    data = document_data(doc) if data is None else data
    issue = doc.issue
    return {
        "id": doc.ident,
        "gazette": doc.gazette.slug,
        "issue": issue.ident,
        "year": issue.year,
        "issue_number": issue.number,
        "seq": doc.seq,
        "section": data.get("section") or doc.section or None,
        "page": doc.page,
        "kind": doc.kind,
        "title": data.get("title") or doc.title,
        "toc_title": data.get("toc_title") or None,
        "doc_number": doc.doc_number or None,
        "issuer": doc.issuer or None,
        "date": doc.date.isoformat() if doc.date else None,
        "recipients": data.get("recipients") or None,
        "speaker": data.get("speaker") or None,
        "promulgates": data.get("promulgates") or None,
        "published_at": issue.published_at.isoformat() if issue.published_at else None,
        "sha256": integrity.document_hash(data),
        "url": doc_path(doc.gazette.slug, doc.ident),
    }


def generation() -> int:
    state = ArchiveState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return state or 0


def cached_record(doc: Document, gen: int) -> dict[str, Any]:
    """``record`` through the cache: the public text is scanned once per archive generation.

    ``gen`` is ``generation()`` read once per request; every change to published
    content (and to its de-identification) bumps it.
    """
    key = f"gongbao:record:{doc.pk}:{doc.issue.updated_at.timestamp()}:{gen}"
    row = cache.get(key)
    if row is None:
        row = record(doc)
        cache.set(key, row, timeout=24 * 3600)
    return dict(row)


def iter_documents(qs: QuerySet[Document], chunk: int = 500) -> Iterator[Document]:
    """Public documents with issue and gazette, in issue order, streamed."""
    yield from (
        qs.select_related("issue", "gazette")
        .order_by("issue__year", "issue__number", "issue_id", "seq")
        .iterator(chunk_size=chunk)
    )


def issue_result(issue: Issue) -> ParseResult:
    """The published issue as the core model, with its public documents only (for AKN)."""
    docs = documents().filter(issue=issue).order_by("seq")
    return result_from_dicts(issue_dict(issue), [document_data(d) for d in docs])


def published_date(issue: Issue) -> date | None:
    """The day the issue went public on this site (AKN's and bulk files' generation date)."""
    when: datetime | None = issue.published_at
    return when.date() if when else None


def issue_date(issue: Issue) -> date | None:
    """The issue's 出版日期 as readers see it (printed in it or entered by the editor);
    the day it went public here only where it has none, never the import time of an old issue."""
    return issue.issue_date or published_date(issue)


def as_documents(rows: Iterable[Document]) -> list[dict[str, Any]]:
    return [document_data(d) for d in rows]
