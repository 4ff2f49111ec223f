"""Public views: home, year, issue, document, search, and the error pages.

Visibility is decided by ``gongbao.site.access`` only; gazettes and their URLs
by ``gazettes``; the body tree's HTML by ``render``. Each view runs a small,
fixed number of queries (the document page: gazettes, document, its issue's
document list; the body comes from the cache after the first view).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    QueryDict,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from gongbao.site import access
from gongbao.site.archive.models import Document, Gazette, Issue, Redirect
from gongbao.site.gazette_urls import Gazettes, gazettes
from gongbao.site.lifecycle.page import status_context
from gongbao.site.lifecycle.services import in_force_ids
from gongbao.site.opendata import pdf
from gongbao.site.opendata.page import document_context
from gongbao.site.render import Rendered, render_document, safe
from gongbao.site.search import sync
from gongbao.site.search.engine import SearchHit, SearchResults
from gongbao.site.web import library
from gongbao.site.web.proofing import document_findings

KIND_LABELS = {
    "speech": "讲话",
    "notice": "通知",
    "decision": "决定",
    "opinion": "意见",
    "plan": "方案",
    "report": "报告",
    "circular": "通报",
    "announcement": "公告",
    "reply": "批复",
    "letter": "函",
    "minutes": "纪要",
    "resolution": "决议",
    "order": "命令",
    "motion": "议案",
    "request": "请示",
    "measures": "办法",
    "regulation": "规定",
    "list": "名单",
    "news": "政务信息",
    "other": "其他",
}
FACET_NAMES = {
    "year": "年份",
    "section": "栏目",
    "kind": "文种",
    "issuer": "发文机关",
    "gazette": "公报",
}
FILTER_KEYS = ("year", "section", "issuer", "kind", "gazette")
PER_PAGE = 10
MAX_PAGE = 1000  # deeper pages cost the engine a large offset and help nobody
MAX_QUERY_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

View = Callable[..., HttpResponse]


def cache_control(view: View) -> View:
    """Shared caches may keep public pages for anonymous readers; never what staff see."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        elif response.status_code == 200:
            response["Cache-Control"] = "public, max-age=300"
        return response

    return wrapper


def _is_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


# -- table of contents ---------------------------------------------------------


@dataclass
class TocEntry:
    title: str
    doc_number: str
    page: int | None
    url: str


@dataclass
class TocSection:
    name: str
    anchor: str
    entries: list[TocEntry]


def _toc(issue: Issue, docs: list[Document], gz: Gazettes) -> list[TocSection]:
    """The issue's documents grouped by TOC section, in the order the issue prints them.

    Page numbers are the site's print edition's once it has been made (its page
    map is kept beside the PDF), else those of the imported issue.
    """
    printed = pdf.cached_pages(issue) if issue.is_published else {}
    groups: dict[str, list[TocEntry]] = {}
    for d in docs:
        groups.setdefault(d.section or "", []).append(
            TocEntry(
                d.toc_title or d.title,
                d.doc_number,
                printed.get(d.ident, d.page),
                gz.doc_url(issue.gazette.slug, d.ident),
            )
        )
    order = [s for s in issue.sections or [] if s in groups]
    order += [s for s in groups if s not in order]
    return [
        TocSection(name or "其他文件", f"sec-{i}", groups[name])
        for i, name in enumerate(order, start=1)
    ]


def _toc_docs(issue: Issue, user=None) -> list[Document]:
    # Through access: a document that is not 主动公开 is not listed for the public.
    return list(
        access.visible_documents(user)
        .filter(issue=issue)
        .order_by("seq")
        .only("ident", "seq", "section", "page", "title", "toc_title", "doc_number", "issue_id")
    )


# -- home, year, issue ---------------------------------------------------------


def _overview(gz: Gazettes) -> list[dict[str, Any]]:
    """Every gazette with its latest published issue and issue count (one query)."""
    latest: dict[int, Issue] = {}
    counts: dict[int, int] = {}
    for issue in (
        access.public_issues().filter(kind=Issue.ISSUE).order_by("gazette_id", "-year", "-number")
    ):
        latest.setdefault(issue.gazette_id, issue)
        counts[issue.gazette_id] = counts.get(issue.gazette_id, 0) + 1
    return [
        {
            "gazette": g,
            "url": gz.home_url(g.slug),
            "latest": latest.get(g.pk),
            "latest_url": gz.issue_url(g.slug, latest[g.pk].year, latest[g.pk].number)
            if g.pk in latest
            else "",
            "count": counts.get(g.pk, 0),
        }
        for g in gz.all
    ]


@cache_control
def home(request: HttpRequest, gazette: str | None = None) -> HttpResponse:
    gz = gazettes(request)
    if gazette is None and gz.default is None:
        # Several gazettes and none chosen for the root (or an empty archive): list them.
        return render(request, "web/overview.html", {"overview": _overview(gz)})
    g = gz.get(gazette)
    visible = access.visible_issues(request.user, g)
    years = list(visible.values("year").annotate(n=Count("id")).order_by("-year"))
    if gazette is not None and not years:
        raise Http404("该公报没有已发布的期")
    latest = access.public_issues(g).filter(kind=Issue.ISSUE).order_by("-year", "-number").first()
    context: dict[str, Any] = {
        "gazette": g,
        "nav": "home",
        "latest": latest,
        "years": [{**y, "url": gz.year_url(g.slug, y["year"])} for y in years],
        "overview": _overview(gz) if len(gz.all) > 1 else [],
        "search_action": gz.search_url(g.slug),
    }
    if latest is not None:
        latest.gazette = g
        context["latest_url"] = gz.issue_url(g.slug, latest.year, latest.number)
        context["toc"] = _toc(latest, _toc_docs(latest, request.user), gz)
    if _is_staff(request):
        context["drafts"] = [
            (i, gz.issue_url(g.slug, i.year, i.number))
            for i in visible.filter(status=Issue.DRAFT).order_by("-year", "-number")
        ]
    return render(request, "web/home.html", context)


@cache_control
def year(request: HttpRequest, year: int, gazette: str | None = None) -> HttpResponse:
    gz = gazettes(request)
    g = gz.get(gazette)
    issues = list(
        access.visible_issues(request.user, g)
        .filter(year=year)
        .annotate(n_docs=Count("documents"))
        .order_by("number")
    )
    if not issues:
        raise Http404("该年没有公报")
    rows = [(i, gz.issue_url(g.slug, i.year, i.number)) for i in issues]
    context = {
        "gazette": g,
        "year": year,
        "rows": rows,
        "home_url": gz.home_url(g.slug),
        "search_action": gz.search_url(g.slug),
    }
    return render(request, "web/year.html", context)


@cache_control
def issue(request: HttpRequest, year: int, number: int, gazette: str | None = None) -> HttpResponse:
    gz = gazettes(request)
    g = gz.get(gazette)
    found = access.visible_issues(request.user, g).filter(year=year, number=number).first()
    if found is None:
        raise Http404("没有这一期")
    found.gazette = g
    context = {
        "gazette": g,
        "issue": found,
        "toc": _toc(found, _toc_docs(found, request.user), gz),
        "draft": not found.is_published,
        "home_url": gz.home_url(g.slug),
        "year_url": gz.year_url(g.slug, found.year),
        "search_action": gz.search_url(g.slug),
    }
    return render(request, "web/issue.html", context)


# -- document ------------------------------------------------------------------


def _rendered(doc: Document) -> Rendered:
    """The body HTML, built once per version of the issue (updated_at changes on every import)."""
    key = f"gongbao:body:{doc.pk}:{doc.issue.updated_at.timestamp()}"
    rendered = cache.get(key)
    if rendered is None:
        data = Document.objects.filter(pk=doc.pk).values_list("data", flat=True).get()
        rendered = render_document(access.public_data(doc, data))  # de-identified text
        cache.set(key, rendered, timeout=24 * 3600)
    return rendered


def _moved(request: HttpRequest, gz: Gazettes, g: Gazette, ident: str) -> HttpResponse:
    """An old identifier (before a correction) or a plan's own id: redirect; else 404."""
    visible = access.visible_documents(request.user, g)
    target = (
        Redirect.objects.filter(gazette=g, old_ident=ident, document__in=visible)
        .values_list("document__ident", flat=True)
        .first()
    )
    if target:
        return HttpResponsePermanentRedirect(gz.doc_url(g.slug, target))
    if ident.endswith("-text"):
        notice = visible.filter(ident=ident.removesuffix("-text")).only("data").first()
        if notice is not None:
            url = gz.doc_url(g.slug, notice.ident) + _text_anchor(notice.data)
            return HttpResponsePermanentRedirect(url)
    raise Http404("没有这份文件")


def _text_anchor(data: dict) -> str:
    """Where a notice's ``-text`` lands: its promulgated plan, else its first attachment
    (a plan printed as 附件), else the page top: never an anchor the page lacks."""
    if data.get("promulgated_document"):
        return "#plan"
    if data.get("attachments"):
        return "#attachment-1"
    return ""


@cache_control
def document(request: HttpRequest, ident: str, gazette: str | None = None) -> HttpResponse:
    gz = gazettes(request)
    g = gz.get(gazette)
    doc = (
        library.with_index_number(access.visible_documents(request.user, g))
        .filter(ident=ident)
        .select_related("issue", "library")
        .defer("data")
        .first()
    )
    if doc is None:
        return _moved(request, gz, g, ident)
    doc.gazette = doc.issue.gazette = g
    records = library.records(doc, gz)
    siblings = list(
        access.visible_documents(request.user)
        .filter(issue_id=doc.issue_id)
        .order_by("seq")
        .values_list("ident", "title")
    )
    idents = [s[0] for s in siblings]
    here = idents.index(doc.ident)
    prev = siblings[here - 1] if here > 0 else None
    nxt = siblings[here + 1] if here + 1 < len(siblings) else None
    rendered = _rendered(doc)
    issue_url = (records["printed"] or records["library"])["url"]
    context = {
        "gazette": g,
        "doc": doc,
        "kind_label": KIND_LABELS.get(doc.kind, doc.kind),
        "body": safe(rendered.html),
        "outline": safe(rendered.outline),
        "attachments": rendered.attachments,
        "plan_title": rendered.plan_title,
        "date_note": rendered.date_note,
        "issue": doc.issue,
        "issue_url": issue_url,
        "position": len(siblings) and here + 1,
        "count": len(siblings),
        "prev": (prev[1], gz.doc_url(g.slug, prev[0])) if prev else None,
        "next": (nxt[1], gz.doc_url(g.slug, nxt[0])) if nxt else None,
        "records": records,
        "draft": not library.is_public(doc),
        "home_url": gz.home_url(g.slug),
        "year_url": gz.year_url(g.slug, doc.issue.year),
        "search_action": gz.search_url(g.slug),
    }
    context["opendata"] = document_context(doc, request)  # citations, downloads, metadata
    # 时效性 on the day of the request; the page cache's time limit bounds how stale it gets.
    context["lifecycle"] = status_context(
        doc, timezone.localdate(), lambda ident: gz.doc_url(g.slug, ident)
    )
    if request.user.is_staff:
        context["findings"] = document_findings(doc)
    return render(request, "web/document.html", context)


# -- search --------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _date(value: str, label: str, notes: list[str]) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        notes.append(f"{label}“{value[:20]}”无法识别，应为“2018-08-01”这样的日期，已忽略。")
        return ""


def _qs(params: dict[str, str], **changes: str) -> str:
    merged = {**params, **changes}
    return "?" + urlencode(
        {k: v for k, v in merged.items() if v and not (k == "page" and v == "1")}
    )


def _pages(page: int, last: int) -> list[int | None]:
    """Page numbers around the current one, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
    shown = {1, last, *range(max(1, page - 2), min(last, page + 2) + 1)}
    out: list[int | None] = []
    for n in sorted(shown):
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


@dataclass
class _SearchForm:
    """A search request as read: the engine's arguments, the links' parameters, the notes."""

    q: str
    params: dict[str, str]  # what the page's links carry on
    filters: dict[str, Any]  # what the engine is asked
    sort: str
    exact: bool
    page: int
    notes: list[str]


def _query(get: QueryDict, notes: list[str]) -> str:
    q = _CONTROL.sub(" ", get.get("q", "")).strip()
    if len(q) > MAX_QUERY_CHARS:
        notes.append(f"检索词过长，只按前 {MAX_QUERY_CHARS} 个字检索。")
        return q[:MAX_QUERY_CHARS]
    return q


def _field_filters(
    get: QueryDict,
    scope: Gazette | None,
    params: dict[str, str],
    filters: dict[str, Any],
    notes: list[str],
) -> None:
    """The facet fields (year, section, ...) and the gazette a scoped page stands for."""
    for key in FILTER_KEYS:
        value = _CONTROL.sub(" ", get.get(key, "")).strip()[:MAX_QUERY_CHARS]
        if key == "year" and value and (_int(value) is None or not 0 < _int(value) < 10000):
            notes.append(f"年份“{value[:20]}”无法识别，已忽略。")
            value = ""
        if value:
            params[key] = value
            filters[key] = int(value) if key == "year" else value
    if scope is not None:
        filters["gazette"] = scope.slug


def _date_filters(
    get: QueryDict, params: dict[str, str], filters: dict[str, Any], notes: list[str]
) -> None:
    """The date range, and the day documents must be in force on."""
    for key, label in (("date_from", "起始日期"), ("date_to", "截止日期")):
        value = _date(get.get(key, ""), label, notes)
        if value:
            params[key] = filters[key] = value
    in_force_on = _date(get.get("in_force_on", ""), "现行有效日期", notes)
    if in_force_on:
        params["in_force_on"] = in_force_on
        # 时效性: only documents confirmed in force that day (a sentinel id when none is).
        ids = in_force_ids(date.fromisoformat(in_force_on))
        filters["doc_ids"] = sorted(ids) or ["-"]
    if (
        params.get("date_from")
        and params.get("date_to")
        and params["date_from"] > params["date_to"]
    ):
        notes.append("起始日期晚于截止日期，没有文件能同时满足。")


def _page_number(get: QueryDict, notes: list[str]) -> int:
    raw_page = get.get("page", "1")
    page = _int(raw_page)
    if page is None or page < 1:
        notes.append(f"页码“{raw_page[:20]}”无效，显示第 1 页。")
        page = 1
    return min(page, MAX_PAGE)


def _search_form(get: QueryDict, scope: Gazette | None) -> _SearchForm:
    """Reads the request leniently: what cannot be used is dropped, with a note saying so."""
    notes: list[str] = []
    q = _query(get, notes)
    params: dict[str, str] = {"q": q}
    filters: dict[str, Any] = {}
    _field_filters(get, scope, params, filters, notes)
    _date_filters(get, params, filters, notes)
    sort = "date" if get.get("sort") == "date" else "relevance"
    if sort == "date":
        params["sort"] = "date"
    # exact=1: only documents holding every word, instead of ranked retrieval
    exact = get.get("exact") == "1"
    if exact:
        params["exact"] = "1"
    page = _page_number(get, notes)
    return _SearchForm(q, params, filters, sort, exact, page, notes)


def _run_search(form: _SearchForm) -> tuple[SearchResults, int, int]:
    """Results, page shown and last page; a page past the end shows the last, with a note."""
    index = sync.reader()
    options = {
        "filters": form.filters,
        "sort": form.sort,
        "per_page": PER_PAGE,
        "exact": form.exact,
    }
    page = form.page
    results = index.search(form.q, page=page, **options)
    last = max(1, math.ceil(results.total / PER_PAGE))
    if page > last:
        form.notes.append(f"共 {last} 页，没有第 {page} 页，显示最后一页。")
        page = last
        results = index.search(form.q, page=page, **options)
    return results, page, last


def _hit_rows(hits: list[SearchHit], gz: Gazettes, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each hit with its URL, gazette name (when there are several) and first passages."""
    rows = []
    for hit in hits:
        slug, _, ident = hit.doc_id.partition("/")
        url = gz.doc_url(slug, ident)
        rows.append(
            {
                "hit": hit,
                "url": url,
                "gazette": names.get(slug, slug) if len(gz.all) > 1 else "",
                "title": safe(hit.title_highlighted),
                "matched": "、".join(hit.matched),
                "passages": [
                    {
                        "url": f"{url}#{p.anchor}" if p.anchor else url,
                        "heading": safe(p.heading_highlighted),
                        "text": safe(p.highlighted),
                    }
                    for p in hit.passages[:3]
                ],
            }
        )
    return rows


def _page_links(params: dict[str, str], page: int, last: int) -> dict[str, Any]:
    page_params = {**params, "page": str(page)}
    return {
        "pages": [(n, _qs(page_params, page=str(n)) if n else "") for n in _pages(page, last)],
        "prev_url": _qs(page_params, page=str(page - 1)) if page > 1 else "",
        "next_url": _qs(page_params, page=str(page + 1)) if page < last else "",
    }


@cache_control
def search(request: HttpRequest, gazette: str | None = None) -> HttpResponse:
    """The search page: read the request, ask the engine, lay out hits, facets and page links."""
    gz = gazettes(request)
    scope = gz.get(gazette) if gazette is not None else None
    form = _search_form(request.GET, scope)
    results, page, last = _run_search(form)
    names = {g.slug: g.name for g in gz.all}
    params = form.params
    context = {
        "nav": "search",
        "gazette": scope or gz.default,
        "scope": scope,
        "q": form.q,
        "params": params,
        "sort": form.sort,
        "results": results,
        "hits": _hit_rows(results.hits, gz, names),
        "searched": bool(form.q or form.filters),
        "warnings": list(dict.fromkeys([*form.notes, *results.warnings])),
        "query_notes": results.query.notes,
        **_scope_links(params, scope, names),
        "exact": form.exact,
        "exact_url": _qs(params, exact="1"),
        "ranked_url": _qs(params, exact=""),
        "facets": _facets(results.facets, params, names),
        "active": _active(params, names),
        "page": page,
        "last": last,
        "first": (page - 1) * PER_PAGE + 1,
        **_page_links(params, page, last),
        "sort_urls": {
            "relevance": _qs(params, sort=""),
            "date": _qs(params, sort="date"),
        },
        "search_action": request.path,
        "years": range(date.today().year, 1999, -1),
    }
    return render(request, "web/search.html", context)


def _scope_links(params: dict[str, str], scope: Any, names: dict[str, str]) -> dict[str, str]:
    """The switch from one gazette's search to all, and the feed of this search."""
    chosen = scope.slug if scope is not None else params.get("gazette", "")
    rest = {k: v for k, v in params.items() if k not in ("gazette", "page", "sort", "exact")}
    feed = {**rest, "gazette": chosen} if chosen else rest
    return {
        "all_url": reverse("web:search") + _qs(rest) if chosen and len(names) > 1 else "",
        "scope_name": names.get(chosen, chosen),
        "feed_url": reverse("opendata:documents-feed", args=["atom"]) + _qs(feed)
        if params.get("q") or chosen
        else "",
    }


def _label(key: str, value: Any, names: dict[str, str]) -> str:
    if key == "kind":
        return KIND_LABELS.get(str(value), str(value))
    if key == "gazette":
        return names.get(str(value), str(value))
    if key == "year":
        return f"{value}年"
    return str(value)


def _facets(
    facets: dict[str, dict[Any, int]], params: dict[str, str], names: dict[str, str]
) -> list[dict[str, Any]]:
    """Facet counts as filter links; a value already chosen links to its removal."""
    out = []
    for key in ("year", "section", "kind", "issuer", "gazette"):
        counts = facets.get(key) or {}
        if not counts or (key == "gazette" and len(names) < 2):
            continue
        if key == "year":
            items = sorted(counts.items(), key=lambda kv: -int(kv[0]))
        else:
            items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        values = []
        for value, n in items:
            chosen = params.get(key) == str(value)
            url = _qs(params, page="1", **{key: "" if chosen else str(value)})
            values.append(
                {"label": _label(key, value, names), "count": n, "url": url, "chosen": chosen}
            )
        out.append({"key": key, "name": FACET_NAMES[key], "values": values})
    return out


def _active(params: dict[str, str], names: dict[str, str]) -> list[dict[str, str]]:
    labels = {**FACET_NAMES, "date_from": "起始日期", "date_to": "截止日期"}
    return [
        {"name": labels[k], "label": _label(k, v, names), "remove": _qs(params, **{k: ""})}
        for k, v in params.items()
        if k in labels and v
    ]


# -- errors --------------------------------------------------------------------


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # no header section is this page's own (the URL may look like a gazette's)
    return HttpResponseNotFound(loader.render_to_string("web/404.html", {"nav": "none"}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the context processors may be what failed.
    return HttpResponseServerError(loader.render_to_string("web/500.html", {}))
