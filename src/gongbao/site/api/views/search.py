"""``/documents``: every public document (newest 成文日期 first, keyset cursor, exact facets
from the database) or, with ``q``, the site's full-text search (ranked or by date)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from gongbao.site.api import schemas as S
from gongbao.site.api.views.common import (
    ERRORS,
    BadRequest,
    api,
    archive_modified,
    decode_cursor,
    encode_cursor,
    next_url,
    note_modified,
    params_key,
    with_api_url,
)
from gongbao.site.opendata import public
from gongbao.site.search import sync
from gongbao.site.search.engine import MAX_PER_PAGE

MAX_QUERY_CHARS = 200
FACETS = ("year", "section", "kind", "issuer", "gazette")
_NO_DATE = date(1, 1, 1)


class DocumentFilters(Schema):
    q: str | None = Field(
        None, max_length=MAX_QUERY_CHARS, description="全文检索词（可用引号、文号）"
    )
    gazette: str | None = Field(None, max_length=60, description="公报标识")
    year: int | None = Field(None, ge=1, le=9999, description="期的年份")
    section: str | None = Field(None, max_length=100, description="栏目")
    issuer: str | None = Field(None, max_length=200, description="发文机关")
    kind: str | None = Field(None, max_length=30, description="文种，如 notice")
    date_from: date | None = Field(None, description="成文日期起（YYYY-MM-DD）")
    date_to: date | None = Field(None, description="成文日期止（YYYY-MM-DD）")
    sort: Literal["relevance", "date"] | None = Field(
        None, description="relevance（有 q 时默认）或 date"
    )
    limit: int = Field(20, ge=1, le=MAX_PER_PAGE, description="每页条数（1–100）")
    cursor: str | None = Field(None, max_length=500, description="上一页的 next_cursor")
    facets: bool = Field(True, description="是否返回分面计数")


def _clean(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch >= " " and ch != "\x7f").strip()


def _filters(f: DocumentFilters) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("gazette", "section", "issuer", "kind"):
        value = _clean(getattr(f, key))
        if value:
            out[key] = value
    if f.year:
        out["year"] = f.year
    if f.date_from:
        out["date_from"] = f.date_from.isoformat()
    if f.date_to:
        out["date_to"] = f.date_to.isoformat()
    return out


def _db_filtered(filters: dict[str, Any]):
    return public.filtered(public.documents(), filters)


def _db_facets(qs) -> dict[str, list[dict[str, Any]]]:
    fields = {
        "year": "issue__year",
        "section": "section",
        "kind": "kind",
        "issuer": "issuer",
        "gazette": "gazette__slug",
    }
    out = {}
    for name, field in fields.items():
        rows = qs.values_list(field).annotate(n=Count("id")).order_by()
        values = [{"value": str(v), "count": n} for v, n in rows if v not in (None, "")]
        out[name] = sorted(values, key=lambda x: (-x["count"], x["value"]))
    return out


@api.get(
    "/documents",
    response={200: S.DocumentList, **ERRORS},
    summary="文件列表与全文检索（精确总数、分面、游标）",
    tags=["documents"],
)
def documents(request: HttpRequest, f: Query[DocumentFilters]):
    """Without ``q``: every public document, newest 成文日期 first (keyset cursor, stable
    while documents are added). With ``q``: the site's search (relevance or date)."""
    q = _clean(f.q)
    filters = _filters(f)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise BadRequest("date_from", "起始日期晚于截止日期")
    sort = f.sort or ("relevance" if q else "date")
    key = params_key({"q": q, "f": filters, "s": sort})
    if q:
        return _search(request, f, q, filters, sort, key)
    qs = _db_filtered(filters)
    count = qs.count()
    ordered = qs.annotate(d=Coalesce("date", Value(_NO_DATE))).order_by("-d", "-pk")
    if f.cursor:
        s = decode_cursor(f.cursor, key)
        try:
            d0, pk0 = date.fromisoformat(s["d"]), int(s["p"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRequest("cursor", "游标内容无效") from exc
        ordered = ordered.filter(Q(d__lt=d0) | Q(d=d0, pk__lt=pk0))
    page = list(ordered.select_related("issue", "gazette")[: f.limit + 1])
    gen = public.generation()
    more = len(page) > f.limit
    page = page[: f.limit]
    cursor = (
        encode_cursor({"k": key, "d": page[-1].d.isoformat(), "p": page[-1].pk}) if more else None
    )
    note_modified(request, None, archive_modified())
    return {
        "count": count,
        "limit": f.limit,
        "sort": "date",
        "next_cursor": cursor,
        "next": next_url(request, cursor),
        "results": [with_api_url(request, public.cached_record(d, gen)) for d in page],
        "facets": _db_facets(qs) if f.facets else {},
        "warnings": [],
    }


def _search(request, f: DocumentFilters, q: str, filters: dict, sort: str, key: str):
    offset = 0
    if f.cursor:
        s = decode_cursor(f.cursor, key)
        try:
            offset = int(s["o"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRequest("cursor", "游标内容无效") from exc
        if offset < 0 or offset % f.limit:
            raise BadRequest("cursor", "游标与 limit 不一致（翻页时不要改 limit）")
    index = sync.reader()
    results = index.search(
        q, filters=filters, sort=sort, page=offset // f.limit + 1, per_page=f.limit
    )
    ids = [h.doc_id.partition("/") for h in results.hits]
    rows = {
        (d.gazette.slug, d.ident): d
        for d in public.documents()
        .select_related("issue", "gazette")
        .filter(ident__in=[i for _, _, i in ids])
    }
    out = []
    gen = public.generation()
    for hit, (slug, _, ident) in zip(results.hits, ids, strict=True):
        doc = rows.get((slug, ident))
        if doc is None:  # not public (any more): never shown
            continue
        row = with_api_url(request, public.cached_record(doc, gen))
        row.update(
            score=hit.score if sort == "relevance" else None,
            title_highlighted=hit.title_highlighted,
            matched=hit.matched,
            passages=[
                {"anchor": p.anchor, "heading": p.heading, "highlighted": p.highlighted}
                for p in hit.passages
            ],
        )
        out.append(row)
    more = offset + f.limit < results.total
    cursor = encode_cursor({"k": key, "o": offset + f.limit}) if more else None
    facets = {
        name: sorted(
            ({"value": str(v), "count": n} for v, n in (results.facets.get(name) or {}).items()),
            key=lambda x: (-x["count"], x["value"]),
        )
        for name in FACETS
    }
    note_modified(request, None, archive_modified())
    return {
        "count": results.total,
        # ranked retrieval lists documents holding some of the words; this many hold all
        "exact_count": results.exact_total,
        "limit": f.limit,
        "sort": sort,
        "next_cursor": cursor,
        "next": next_url(request, cursor),
        "results": out,
        "facets": facets if f.facets else {},
        "warnings": [*results.warnings, *results.query.notes],
    }
