"""One document: its detail (body tree, attachments, citations, versions), citations,
versions and Akoma Ntoso XML (with its 时效性 lifecycle)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from gongbao.site.api import schemas as S
from gongbao.site.api.views.common import (
    AKN_XML,
    API_PREFIX,
    ERRORS,
    absolute,
    api,
    archive_modified,
    note_modified,
    with_api_url,
    with_last_modified,
)
from gongbao.site.archive.models import Document
from gongbao.site.lifecycle.services import last_reviewed
from gongbao.site.opendata import history, public, services
from gongbao.site.opendata.akn import document_akn_bytes


def _versions(request: HttpRequest, doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "version": v["version"],
            "published_at": v["manifest"].signed["manifest"]["published_at"],
            "sha256": v["sha256"],
            "manifest_sha256": v["manifest"].sha256,
            "current": v["current"],
            "bundle_url": absolute(request, v["bundle"]),
        }
        for v in history.listed(doc)
    ]


@api.get(
    "/documents/{gazette}/{ident}",
    response={200: S.DocumentDetail, **ERRORS},
    summary="一份文件：正文树、附件、引用、版本",
    tags=["documents"],
)
def document_detail(request: HttpRequest, gazette: str, ident: str):
    doc = public.document_or_404(gazette, ident)
    data = public.document_data(doc)
    out = with_api_url(request, public.record(doc, data))
    base = f"/{gazette}/{ident}"
    out.update(
        date_note=data.get("date_note"),
        signature=data.get("signature"),
        body=data.get("body") or [],
        attachments=data.get("attachments") or [],
        promulgated_document=data.get("promulgated_document"),
        citations=services.citations(doc),
        versions=_versions(request, doc),
        links={
            "html": out["url"],
            "akn": absolute(request, f"{API_PREFIX}/documents{base}/akn"),
            "bundle": absolute(request, f"/bundle/doc{base}.json"),
            "pdf": absolute(request, f"/pdf/doc{base}.pdf"),
            "history": absolute(request, f"/history{base}/"),
            "source": absolute(request, f"/source/{doc.issue.ident}.txt"),
        },
    )
    note_modified(request, None, doc.issue.updated_at)
    return out


@api.get(
    "/documents/{gazette}/{ident}/citations",
    response={200: S.Citations, **ERRORS},
    summary="引用（cites）与被引用（cited_by）",
    tags=["documents"],
)
def document_citations(request: HttpRequest, gazette: str, ident: str):
    doc = public.document_or_404(gazette, ident)
    out = services.citations(doc)
    for c in out["cites"]:
        if c["url"]:
            c["url"] = absolute(request, c["url"])
    for c in out["cited_by"]:
        c["url"] = absolute(request, c["url"])
    note_modified(request, None, archive_modified())
    return out


@api.get(
    "/documents/{gazette}/{ident}/versions",
    response={200: list[S.Version], **ERRORS},
    summary="版本（每个签名清单中的这份文件）",
    tags=["documents"],
)
def document_versions(request: HttpRequest, gazette: str, ident: str):
    doc = public.document_or_404(gazette, ident)
    note_modified(request, None, doc.issue.updated_at)
    return _versions(request, doc)


@api.get(
    "/documents/{gazette}/{ident}/akn",
    response={200: None, **ERRORS},
    summary="一份文件的 Akoma Ntoso XML",
    tags=["documents"],
    openapi_extra=AKN_XML,
)
def document_akn(request: HttpRequest, gazette: str, ident: str):
    doc = public.document_or_404(gazette, ident)
    response = HttpResponse(document_akn_bytes(doc), content_type="application/akn+xml")
    response["Content-Disposition"] = f'inline; filename="{ident}.akn.xml"'
    # A confirmed 时效性 change alters the XML without a new version of the issue.
    reviewed = last_reviewed(doc)
    changed = max(doc.issue.updated_at, reviewed) if reviewed else doc.issue.updated_at
    return with_last_modified(response, changed)
