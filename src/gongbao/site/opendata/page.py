"""What the document page shows from open data: citations, downloads, history, metadata.

``document_context(doc)`` is the one entry the web app's document view adds to
its context (as ``opendata``); ``opendata/_document_links.html`` and
``opendata/_document_meta.html`` render it.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import cache
from django.utils.safestring import mark_safe

from gongbao.site.archive.models import Document, Issue
from gongbao.site.opendata import public, services

EPOCH_KEY = "gongbao:opendata-epoch"
TIMEOUT = 300  # as long as shared caches may keep the page itself


def bump_epoch() -> None:
    """Forget every cached context of this process (the hook calls it after each change)."""
    cache.set(EPOCH_KEY, (cache.get(EPOCH_KEY) or 0) + 1, timeout=None)


def document_context(doc: Document, request=None) -> dict[str, Any] | None:
    """None for a draft (staff preview): nothing of it is published yet.

    Cached per document version (no queries on a warm page); other workers see a
    new citation within ``TIMEOUT`` seconds.
    """
    if not doc.issue.is_published:
        return None
    context = cache.get(_key(doc))
    if context is None:
        context = warm(doc)
    page_url = (
        request.build_absolute_uri(public.doc_path(doc.issue.gazette.slug, doc.ident))
        if request
        else ""
    )
    return {**context, "jsonld": _jsonld(doc, page_url)}


def _key(doc: Document) -> str:
    epoch = cache.get(EPOCH_KEY) or 0
    return f"gongbao:doc-opendata:{doc.pk}:{doc.issue.updated_at.timestamp()}:{epoch}"


def warm(doc: Document) -> dict[str, Any]:
    """Compute and cache the context (the publication hook warms every document of the issue)."""
    context = _context(doc)
    cache.set(_key(doc), context, timeout=TIMEOUT)
    return context


def _context(doc: Document) -> dict[str, Any]:
    slug, ident = doc.issue.gazette.slug, doc.ident
    base = f"{slug}/{ident}"
    versions = len(services.manifests_of(doc.issue.ident))  # those the history page lists
    links = {
        "akn": f"/akn/doc/{base}.xml",
        "pdf": f"/pdf/doc/{base}.pdf",
        "bundle": f"/bundle/doc/{base}.json",
        "history": f"/history/{base}/",
        "api": f"/api/v1/documents/{base}",
        "source": f"/source/{doc.issue.ident}.txt" if _source_public(doc.issue) else "",
    }
    return {**services.citations(doc), "links": links, "versions": versions}


def _source_public(issue: Issue) -> bool:
    key = f"gongbao:source-public:{issue.pk}:{issue.updated_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        found = source_is_public(issue)
        cache.set(key, found, timeout=3600)
    return found


def source_is_public(issue: Issue) -> bool:
    """Only when the public sees every document unchanged (no non-public or de-identified text)."""
    docs = list(issue.documents.all())
    public_ids = set(public.documents().filter(issue=issue).values_list("pk", flat=True))
    return bool(docs) and all(
        d.pk in public_ids and public.document_data(d) == d.data for d in docs
    )


def _jsonld(doc: Document, url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": doc.title,
        "legislationIdentifier": doc.doc_number or doc.ident,
        "inLanguage": "zh-CN",
        "legislationDate": doc.date.isoformat() if doc.date else None,
        "datePublished": doc.issue.published_at.date().isoformat()
        if doc.issue.published_at
        else None,
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": doc.issuer}
        if doc.issuer
        else None,
        "isPartOf": {
            "@type": "PublicationIssue",
            "name": str(doc.issue),
            "issueNumber": doc.issue.label,
        },
        "url": url or None,
        "encoding": [
            {
                "@type": "MediaObject",
                "encodingFormat": "application/akn+xml",
                "contentUrl": f"/akn/doc/{doc.issue.gazette.slug}/{doc.ident}.xml",
            }
        ],
    }
    text = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)
