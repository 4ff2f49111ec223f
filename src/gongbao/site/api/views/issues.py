"""Issues (期): the list, newest first with a keyset cursor; one issue's TOC and manifests; its AKN."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema
from pydantic import Field

from gongbao.site.api import schemas as S
from gongbao.site.api.views.common import (
    AKN_XML,
    API_PREFIX,
    ERRORS,
    BadRequest,
    absolute,
    api,
    archive_modified,
    decode_cursor,
    encode_cursor,
    issue_or_404,
    next_url,
    note_modified,
    params_key,
    with_last_modified,
)
from gongbao.site.archive.models import Document, Issue
from gongbao.site.opendata import bulk, public, services
from gongbao.site.search.engine import MAX_PER_PAGE


def _issue_summary(request: HttpRequest, issue: Issue, n_docs: int) -> dict[str, Any]:
    return {
        "id": issue.ident,
        "gazette": issue.gazette.slug,
        "gazette_name": issue.gazette.name,
        "year": issue.year,
        "number": issue.number,
        "number_end": issue.number_end,
        "cumulative_number": issue.cumulative_number,
        "label": issue.label,
        "published_at": issue.published_at.isoformat() if issue.published_at else None,
        "documents": n_docs,
        "url": absolute(request, public.issue_path(issue.gazette.slug, issue.year, issue.number)),
        "api_url": absolute(request, f"{API_PREFIX}/issues/{issue.ident}"),
    }


class IssueFilters(Schema):
    gazette: str | None = Field(None, max_length=60, description="公报标识（网址中的名称）")
    year: int | None = Field(None, ge=1, le=9999, description="年份")
    limit: int = Field(20, ge=1, le=MAX_PER_PAGE, description="每页条数（1–100）")
    cursor: str | None = Field(None, max_length=500, description="上一页的 next_cursor")


@api.get(
    "/issues", response={200: S.IssueList, **ERRORS}, summary="期列表（新的在前）", tags=["issues"]
)
def issues(request: HttpRequest, filters: Query[IssueFilters]):
    qs = public.printed_issues().select_related("gazette")
    if filters.gazette:
        qs = qs.filter(gazette__slug=filters.gazette)
    if filters.year:
        qs = qs.filter(year=filters.year)
    key = params_key({"g": filters.gazette, "y": filters.year})
    count = qs.count()
    if filters.cursor:
        s = decode_cursor(filters.cursor, key)
        try:
            y, n, pk = int(s["y"]), int(s["n"]), int(s["p"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRequest("cursor", "游标内容无效") from exc
        qs = qs.filter(Q(year__lt=y) | Q(year=y, number__lt=n) | Q(year=y, number=n, pk__lt=pk))
    page = list(
        qs.annotate(n_docs=Count("documents")).order_by("-year", "-number", "-pk")[
            : filters.limit + 1
        ]
    )
    more = len(page) > filters.limit
    page = page[: filters.limit]
    public_counts = dict(
        public.documents().filter(issue__in=page).values_list("issue_id").annotate(n=Count("id"))
    )
    cursor = (
        encode_cursor({"k": key, "y": page[-1].year, "n": page[-1].number, "p": page[-1].pk})
        if more
        else None
    )
    note_modified(request, None, archive_modified())
    return {
        "count": count,
        "limit": filters.limit,
        "next_cursor": cursor,
        "next": next_url(request, cursor),
        "results": [_issue_summary(request, i, public_counts.get(i.pk, 0)) for i in page],
    }


@api.get(
    "/issues/{ident}",
    response={200: S.IssueDetail, **ERRORS},
    summary="一期：目录与清单",
    tags=["issues"],
)
def issue_detail(request: HttpRequest, ident: str):
    issue = issue_or_404(ident)
    docs = list(public.documents().filter(issue=issue).order_by("seq"))
    by_title: dict[str, Document] = {}
    titles: dict[int, str] = {}
    for d in docs:
        data = public.document_data(d)
        titles[d.pk] = data.get("toc_title") or data.get("title") or d.title
        for t in (d.toc_title, d.title):
            if t:
                by_title.setdefault(t, d)
    toc = []
    for entry in issue.toc or []:
        d = by_title.get(entry.get("title") or "")
        if d is None:
            continue  # a TOC line of a document the public may not see
        toc.append(
            {
                "section": entry.get("section"),
                "title": titles[d.pk],
                "doc_number": entry.get("doc_number"),
                "page": entry.get("page"),
                "document": d.ident,
                "api_url": absolute(
                    request, f"{API_PREFIX}/documents/{issue.gazette.slug}/{d.ident}"
                ),
            }
        )
    listed = {t["document"] for t in toc}
    for d in docs:
        if d.ident not in listed:
            toc.append(
                {
                    "section": d.section or None,
                    "title": titles[d.pk],
                    "doc_number": d.doc_number or None,
                    "page": d.page,
                    "document": d.ident,
                    "api_url": absolute(
                        request, f"{API_PREFIX}/documents/{issue.gazette.slug}/{d.ident}"
                    ),
                }
            )
    manifests = [_manifest_out(request, m) for m in services.manifests_of(issue.ident)]
    out = _issue_summary(request, issue, len(docs))
    out.update(
        slogan=issue.slogan,
        sections=[s for s in issue.sections if any(d.section == s for d in docs)],
        toc=toc,
        manifests=manifests,
        links={
            "akn": absolute(request, f"{API_PREFIX}/issues/{ident}/akn"),
            "bundle": absolute(request, f"/bundle/issue/{ident}.json"),
            "pdf": absolute(request, f"/pdf/issue/{ident}.pdf"),
        },
    )
    note_modified(request, None, issue.updated_at)
    return out


def _manifest_out(request: HttpRequest, m) -> dict[str, Any]:
    return {
        "version": m.version,
        "sha256": m.sha256,
        "previous": m.previous or None,
        "key_id": m.key_id,
        "published_at": m.signed["manifest"]["published_at"],
        "url": absolute(request, f"/manifests/{m.sha256}.json"),
    }


@api.get(
    "/issues/{ident}/akn",
    response={200: None, **ERRORS},
    summary="一期的 Akoma Ntoso XML",
    tags=["issues"],
    openapi_extra=AKN_XML,
)
def issue_akn(request: HttpRequest, ident: str):
    issue = issue_or_404(ident)
    response = HttpResponse(bulk.issue_akn_bytes(issue), content_type="application/akn+xml")
    response["Content-Disposition"] = f'inline; filename="{ident}.akn.xml"'
    return with_last_modified(response, issue.updated_at)
