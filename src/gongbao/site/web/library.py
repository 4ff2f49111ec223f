"""The 政府信息公开 view of the archive: every document, browsable as portals present them.

``/library/`` (and ``/<gazette>/library/``) lists the gazette's documents, printed in
an issue or held only in the library (文件库), filtered by 主题分类 (from the portal's
metadata table of a saved page), 发文机关, year and 文种, each with its 索引号.
``records`` gives a document page both of its records: its gazette printing (刊载于 …)
and its library entry, with the saved page's metadata table and attachments.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gongbao.site import access
from gongbao.site.archive.models import Document
from gongbao.site.gazette_urls import Gazettes, gazettes
from gongbao.site.portal.models import PortalAttachment, PortalRecord

PER_PAGE = 50
FILTERS = ("topic", "issuer", "year", "kind")


def library_url(gz: Gazettes, slug: str) -> str:
    p = gz.prefix(slug)
    return reverse("web:library") if p is None else reverse("web:g-library", args=[p])


def records(doc: Document, gz: Gazettes) -> dict[str, Any]:
    """The document's gazette printing (None while only the library holds it) and its
    library record (None for a document that reached the archive in an issue only)."""
    issue, g = doc.issue, doc.gazette
    printed = None
    if not issue.is_library:
        printed = {
            "label": f"《{g.name}》{issue.year}年第{issue.label}期",
            "url": gz.issue_url(g.slug, issue.year, issue.number),
            "page": doc.page,
        }
    entry = doc.library
    record = None
    if entry is not None:
        versions = list(entry.versions.order_by("number").only("source_name", "imported_at"))
        record = {
            "url": library_url(gz, g.slug),
            "source": versions[0].source_name if versions else "",
            "imported": versions[0].imported_at if versions else None,
            "versions": len(versions),
        }
    portal, files = None, []
    if entry is not None:  # only a library import records a saved page's metadata and files
        portal = PortalRecord.objects.filter(gazette_id=g.pk, ident=doc.ident).first()
        files = [
            {"name": a.name, "label": a.label, "size": a.size, "url": _file_url(a)}
            for a in PortalAttachment.objects.filter(gazette_id=g.pk, ident=doc.ident).defer("data")
        ]
    return {
        "printed": printed,
        "library": record,
        "index_number": getattr(doc, "index_no", ""),
        "portal": {"source": portal.source_name, "metadata": portal.metadata} if portal else None,
        "files": files,
    }


def _file_url(item: PortalAttachment) -> str:
    return reverse("portal:file", args=[item.pk, item.name])


def is_public(doc: Document) -> bool:
    """Published through its issue, or through its library entry before an issue prints it."""
    return doc.issue.is_published or (doc.library is not None and doc.library.is_published)


def with_index_number(qs):
    """Each document's 索引号 (``index_no``) in the same query: the page's query budget is fixed."""
    from gongbao.site.disclosure.models import DisclosureRecord

    record = DisclosureRecord.objects.filter(
        gazette_id=OuterRef("gazette_id"), ident=OuterRef("ident")
    )
    return qs.annotate(index_no=Subquery(record.values("index_number")[:1]))


def _with_year(qs):
    """A document's year: its 成文日期's, else its issue's (or library entry's); and its
    主题分类 from a saved page's metadata table ("" without one)."""
    topic = PortalRecord.objects.filter(gazette_id=OuterRef("gazette_id"), ident=OuterRef("ident"))
    return qs.annotate(
        list_year=Coalesce(ExtractYear("date"), "issue__year", output_field=IntegerField()),
        topic=Subquery(topic.values("topic")[:1]),
    )


def _filtered(qs, params: dict[str, str]):
    if params.get("topic"):
        qs = qs.filter(topic=params["topic"])
    if params.get("issuer"):
        qs = qs.filter(issuer=params["issuer"])
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    if params.get("year", "").isdigit():
        qs = qs.filter(list_year=int(params["year"]))
    return qs


def _facets(qs, params: dict[str, str], labels: dict[str, str]) -> list[dict[str, Any]]:
    """发文机关, year and 文种 with their counts, each a link that sets (or clears) it."""
    groups = []
    for key, field, title in (
        ("topic", "topic", "主题分类"),
        ("issuer", "issuer", "发文机关"),
        ("year", "list_year", "年份"),
        ("kind", "kind", "文种"),
    ):
        rows = qs.values(field).annotate(n=Count("id")).order_by("-n", field)
        values = [
            {
                "label": labels.get(r[field], r[field]) if key == "kind" else str(r[field]),
                "n": r["n"],
                "url": "?" + urlencode({**params, key: r[field]}),
                "active": params.get(key) == str(r[field]),
            }
            for r in rows
            if r[field] not in ("", None)
        ]
        clear = "?" + urlencode({k: v for k, v in params.items() if k != key})
        groups.append({"title": title, "values": values, "clear": clear if key in params else ""})
    return groups


def library(
    request: HttpRequest, gazette: str | None = None, *, kind_labels: dict[str, str]
) -> HttpResponse:
    """The list; ``kind_labels`` (文种 names) come from the URLconf, as views.py owns them."""
    gz = gazettes(request)
    g = gz.get(gazette)
    params = {k: request.GET.get(k, "").strip()[:200] for k in FILTERS}
    params = {k: v for k, v in params.items() if v}
    visible = access.visible_documents(request.user, g)
    everything = _with_year(visible.filter(~Q(issue__isnull=True)))
    chosen = _filtered(everything, params)
    page = Paginator(
        with_index_number(chosen.select_related("issue", "library")).order_by(
            "-list_year", "-date", "ident"
        ),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    rows = [
        {
            "doc": d,
            "url": gz.doc_url(g.slug, d.ident),
            "kind": kind_labels.get(d.kind, d.kind),
            "index_number": d.index_no or "",
            "printed": None if d.issue.is_library else f"{d.issue.year}年第{d.issue.label}期",
        }
        for d in page
    ]
    context = {
        "gazette": g,
        "nav": "library",
        "rows": rows,
        "page": page,
        "total": chosen.count(),
        "facets": _facets(chosen, params, kind_labels),
        "page_query": urlencode(params),
        "params": params,
        "home_url": gz.home_url(g.slug),
        "library_url": library_url(gz, g.slug),
        "search_action": gz.search_url(g.slug),
    }
    return render(request, "web/library.html", context)
