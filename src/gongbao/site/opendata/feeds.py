"""Atom and RSS 2.0 feeds (feedgen): new issues, new documents, and any saved filter.

Entry ids are tag URIs built from identifiers that never change for a
published item (``tag:{host},2000:gongbao/doc/{gazette}/{ident}``), so readers
do not show an entry twice when a page is re-rendered.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from feedgen.feed import FeedGenerator

from gongbao.site.opendata import public
from gongbao.site.search import sync

ENTRIES = 50
FILTERS = ("gazette", "year", "section", "issuer", "kind")
TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}


def _tag(request: HttpRequest, path: str) -> str:
    return f"tag:{request.get_host().split(':')[0]},2000:gongbao/{path}"


def _feed(request: HttpRequest, title: str, path: str, subtitle: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(_tag(request, path))
    fg.title(title)
    fg.subtitle(subtitle)
    fg.description(subtitle)
    fg.language("zh-CN")
    fg.link(href=request.build_absolute_uri(), rel="self")
    fg.link(href=request.build_absolute_uri("/"), rel="alternate")
    fg.author({"name": "公报编辑部"})
    return fg


def _respond(fg: FeedGenerator, fmt: str, updated) -> HttpResponse:
    fg.updated(updated or timezone.now())
    fg.lastBuildDate(updated or timezone.now())
    body = fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
    return HttpResponse(body, content_type=TYPES[fmt])


def issues_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = list(
        public.printed_issues().select_related("gazette").order_by("-published_at", "-pk")[:ENTRIES]
    )
    fg = _feed(request, "公报：新发布的期", "issues", "最近发布的公报各期")
    for issue in reversed(rows):
        fe = fg.add_entry()
        fe.id(_tag(request, f"issue/{issue.ident}"))
        fe.title(str(issue))
        url = request.build_absolute_uri(
            public.issue_path(issue.gazette.slug, issue.year, issue.number)
        )
        fe.link(href=url)
        fe.published(issue.published_at)
        fe.updated(
            issue.updated_at if issue.updated_at > issue.published_at else issue.published_at
        )
        n = public.documents().filter(issue=issue).count()
        fe.summary(f"{issue}，共 {n} 篇文件。")
        fe.guid(fe.id(), permalink=False)
    return _respond(fg, fmt, rows[0].published_at if rows else None)


def documents_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    """New documents; ``?issuer=…`` (or gazette, year, section, kind, q) makes a saved search."""
    get = request.GET
    filters = {k: get[k].strip()[:200] for k in FILTERS if get.get(k, "").strip()}
    if "year" in filters and not filters["year"].isdigit():
        return HttpResponse(
            "year 应为数字年份", status=400, content_type="text/plain; charset=utf-8"
        )
    q = get.get("q", "").strip()[:200]
    qs = public.filtered(public.documents().select_related("issue", "gazette"), filters)
    if q:
        hits = (
            sync.reader()
            .search(
                q,
                filters={k: int(v) if k == "year" else v for k, v in filters.items()},
                sort="date",
                per_page=ENTRIES,
            )
            .hits
        )
        idents = [h.doc_id.partition("/")[2] for h in hits]
        qs = qs.filter(ident__in=idents)
    rows = list(qs.order_by("-issue__published_at", "-issue_id", "seq")[:ENTRIES])
    described = "，".join([*(f"{k}={v}" for k, v in filters.items()), *([f"q={q}"] if q else [])])
    path = "documents" + (f"?{request.GET.urlencode()}" if described else "")
    title = f"公报：新文件（{described}）" if described else "公报：新发布的文件"
    fg = _feed(request, title, path, "最近发布的公报文件" + (f"：{described}" if described else ""))
    for doc in reversed(rows):
        fe = fg.add_entry()
        fe.id(_tag(request, f"doc/{doc.gazette.slug}/{doc.ident}"))
        title = doc.title + (f"（{doc.doc_number}）" if doc.doc_number else "")
        fe.title(title)
        fe.link(href=request.build_absolute_uri(public.doc_path(doc.gazette.slug, doc.ident)))
        when = doc.issue.published_at
        fe.published(when)
        fe.updated(when)
        if doc.issuer:
            fe.author({"name": doc.issuer})
        fe.category(term=doc.kind)
        fe.summary(
            f"{doc.issuer or ''} {doc.date.isoformat() if doc.date else ''}，刊于{doc.issue}。".strip()
        )
        fe.guid(fe.id(), permalink=False)
    return _respond(fg, fmt, rows[0].issue.published_at if rows else None)
