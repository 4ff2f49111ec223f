"""The REST API, version 1: gazettes, issues, documents, citations, versions, AKN, bundles.

Everything comes through ``gongbao.site.opendata.public`` (and so through
``access``): drafts and non-public documents are unknown ids here (404).
Malformed parameters answer 400 naming the parameter; the OpenAPI 3 schema is
at ``/api/v1/openapi.json`` and the interactive docs at ``/api/v1/docs``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import date
from typing import Any, Literal

from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from pydantic import Field

from gongbao.core import integrity
from gongbao.core.export import akn
from gongbao.site.api import schemas as S
from gongbao.site.api.middleware import last_modified
from gongbao.site.archive.models import Document, Gazette, Issue
from gongbao.site.lifecycle.akn import with_lifecycle
from gongbao.site.lifecycle.api import router as lifecycle_router
from gongbao.site.lifecycle.services import last_reviewed
from gongbao.site.opendata import bulk, history, keys, public, services
from gongbao.site.search import sync
from gongbao.site.search.engine import MAX_PER_PAGE

API_PREFIX = "/api/v1"
MAX_QUERY_CHARS = 200
FACETS = ("year", "section", "kind", "issuer", "gazette")
_NO_DATE = date(1, 1, 1)


class _Utf8(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=_Utf8(),
    title="公报开放接口 gongbao API",
    version="1",
    description="政府公报的期、文件、全文检索、引用、版本与电子签名清单。字段说明见 docs/api.md。",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class BadRequest(Exception):
    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param, self.message = param, message


def _error(status: int, detail: str, code: str, errors: list | None = None) -> HttpResponse:
    body = {"detail": detail, "code": code, "errors": errors or []}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


# pydantic's messages are English; readers of a Chinese API get these instead, by error type.
_MESSAGES = {
    "missing": "缺少此参数",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_parsing": "应为日期，如 2018-08-01",
    "date_from_datetime_parsing": "应为日期，如 2018-08-01",
    "datetime_parsing": "应为日期时间，如 2018-08-01T08:00:00",
    "string_too_long": "过长：最多 {max_length} 个字符",
    "string_too_short": "过短：至少 {min_length} 个字符",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "literal_error": "只能是 {expected}",
    "enum": "只能是 {expected}",
    "string_pattern_mismatch": "格式不对",
    "json_invalid": "不是有效的 JSON",
}


def _message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(str(error.get("type", "")), "取值无效")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template.split("：")[0]


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = [str(x) for x in e.get("loc", []) if x not in ("query", "path")]
        errors.append({"param": ".".join(loc), "message": _message(e)})
    names = "、".join(e["param"] for e in errors if e["param"]) or "参数"
    return _error(400, f"参数有误：{names}", "bad_parameter", errors)


@api.exception_handler(BadRequest)
def _bad(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    return _error(
        400,
        f"参数有误：{exc.param}：{exc.message}",
        "bad_parameter",
        [{"param": exc.param, "message": exc.message}],
    )


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(404, str(exc) or "没有这个资源", "not_found")


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(exc.status_code, str(exc), "error")


ERRORS = {400: S.Error, 404: S.Error, 429: S.Error}


# -- helpers ----------------------------------------------------------------------


def _abs(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _gazette(slug: str) -> Gazette:
    g = Gazette.objects.filter(slug=slug).first()
    if g is None or not public.issues(g).exists():
        raise Http404(f"没有这个公报：{slug}")
    return g


def _issue(ident: str) -> Issue:
    issue = public.issues().select_related("gazette").filter(ident=ident).first()
    if issue is None:
        raise Http404(f"没有这一期：{ident}")
    return issue


def _document(gazette: str, ident: str) -> Document:
    doc = (
        public.documents()
        .select_related("issue", "gazette")
        .filter(gazette__slug=gazette, ident=ident)
        .first()
    )
    if doc is None:
        raise Http404(f"没有这份文件：{gazette}/{ident}")
    return doc


def _encode(state: dict[str, Any]) -> str:
    raw = json.dumps(state, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, key: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("cursor", "无法识别的游标，请使用上一页返回的 next_cursor") from exc
    if not isinstance(state, dict) or state.get("k") != key:
        raise BadRequest("cursor", "游标不属于这组查询条件（条件变了就从第一页开始）")
    return state


def _params_key(params: dict[str, Any]) -> str:
    text = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return _abs(request, request.path + "?" + query.urlencode())


def _lm(response: HttpResponse, when) -> HttpResponse:
    if when is not None:
        response["Last-Modified"] = last_modified(when)
    return response


def _archive_modified():
    return public.issues().aggregate(m=Max("updated_at"))["m"]


def _json(request: HttpRequest, data: Any, when=None) -> Any:
    """Note the resource's Last-Modified; the open-data middleware puts it on the response."""
    if when is not None:
        request.gongbao_last_modified = when
    return data


# -- index ------------------------------------------------------------------------


@api.get("/", response={200: dict[str, Any], 429: S.Error}, summary="接口入口", tags=["index"])
def index(request: HttpRequest):
    """Links to every collection and to the schema."""
    return {
        "gazettes": _abs(request, f"{API_PREFIX}/gazettes"),
        "issues": _abs(request, f"{API_PREFIX}/issues"),
        "documents": _abs(request, f"{API_PREFIX}/documents"),
        "openapi": _abs(request, f"{API_PREFIX}/openapi.json"),
        "docs": _abs(request, f"{API_PREFIX}/docs"),
        "public_keys": _abs(request, "/keys.json"),
        "bulk": _abs(request, "/data/"),
    }


@api.get(
    "/gazettes",
    response={200: list[S.Gazette], 429: S.Error},
    summary="公报列表",
    tags=["gazettes"],
)
def gazettes(request: HttpRequest):
    counts = dict(public.issues().values_list("gazette_id").annotate(n=Count("id")))
    _json(request, None, _archive_modified())
    return [
        {
            "slug": g.slug,
            "name": g.name,
            "latin_name": g.latin_name,
            "issues": counts[g.pk],
            "url": _abs(request, f"/{g.slug}/"),
        }
        for g in Gazette.objects.order_by("name", "slug")
        if g.pk in counts
    ]


# -- issues -----------------------------------------------------------------------


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
        "url": _abs(request, public.issue_path(issue.gazette.slug, issue.year, issue.number)),
        "api_url": _abs(request, f"{API_PREFIX}/issues/{issue.ident}"),
    }


class IssueFilters(Schema):
    gazette: str | None = Field(None, max_length=60, description="公报标识，如 guanxian")
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
    key = _params_key({"g": filters.gazette, "y": filters.year})
    count = qs.count()
    if filters.cursor:
        s = _decode(filters.cursor, key)
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
        _encode({"k": key, "y": page[-1].year, "n": page[-1].number, "p": page[-1].pk})
        if more
        else None
    )
    _json(request, None, _archive_modified())
    return {
        "count": count,
        "limit": filters.limit,
        "next_cursor": cursor,
        "next": _next_url(request, cursor),
        "results": [_issue_summary(request, i, public_counts.get(i.pk, 0)) for i in page],
    }


@api.get(
    "/issues/{ident}",
    response={200: S.IssueDetail, **ERRORS},
    summary="一期：目录与清单",
    tags=["issues"],
)
def issue_detail(request: HttpRequest, ident: str):
    issue = _issue(ident)
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
                "api_url": _abs(request, f"{API_PREFIX}/documents/{issue.gazette.slug}/{d.ident}"),
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
                    "api_url": _abs(
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
            "akn": _abs(request, f"{API_PREFIX}/issues/{ident}/akn"),
            "bundle": _abs(request, f"/bundle/issue/{ident}.json"),
            "pdf": _abs(request, f"/pdf/issue/{ident}.pdf"),
        },
    )
    _json(request, None, issue.updated_at)
    return out


def _manifest_out(request: HttpRequest, m) -> dict[str, Any]:
    return {
        "version": m.version,
        "sha256": m.sha256,
        "previous": m.previous or None,
        "key_id": m.key_id,
        "published_at": m.signed["manifest"]["published_at"],
        "url": _abs(request, f"/manifests/{m.sha256}.json"),
    }


@api.get(
    "/issues/{ident}/akn",
    response={200: None, **ERRORS},
    summary="一期的 Akoma Ntoso XML",
    tags=["issues"],
    openapi_extra={
        "responses": {
            200: {
                "description": "AKN 3.0 XML",
                "content": {"application/akn+xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def issue_akn(request: HttpRequest, ident: str):
    issue = _issue(ident)
    response = HttpResponse(bulk.issue_akn_bytes(issue), content_type="application/akn+xml")
    response["Content-Disposition"] = f'inline; filename="{ident}.akn.xml"'
    return _lm(response, issue.updated_at)


# -- documents --------------------------------------------------------------------


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
    qs = public.documents()
    lookups = {
        "gazette": "gazette__slug",
        "year": "issue__year",
        "section": "section",
        "issuer": "issuer",
        "kind": "kind",
        "date_from": "date__gte",
        "date_to": "date__lte",
    }
    for key, value in filters.items():
        qs = qs.filter(**{lookups[key]: value})
    return qs


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


def _with_api(request: HttpRequest, row: dict[str, Any]) -> dict[str, Any]:
    row["url"] = _abs(request, row["url"])
    row["api_url"] = _abs(request, f"{API_PREFIX}/documents/{row['gazette']}/{row['id']}")
    return row


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
    key = _params_key({"q": q, "f": filters, "s": sort})
    if q:
        return _search(request, f, q, filters, sort, key)
    qs = _db_filtered(filters)
    count = qs.count()
    ordered = qs.annotate(d=Coalesce("date", Value(_NO_DATE))).order_by("-d", "-pk")
    if f.cursor:
        s = _decode(f.cursor, key)
        try:
            d0, pk0 = date.fromisoformat(s["d"]), int(s["p"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRequest("cursor", "游标内容无效") from exc
        ordered = ordered.filter(Q(d__lt=d0) | Q(d=d0, pk__lt=pk0))
    page = list(ordered.select_related("issue", "gazette")[: f.limit + 1])
    gen = public.generation()
    more = len(page) > f.limit
    page = page[: f.limit]
    cursor = _encode({"k": key, "d": page[-1].d.isoformat(), "p": page[-1].pk}) if more else None
    _json(request, None, _archive_modified())
    return {
        "count": count,
        "limit": f.limit,
        "sort": "date",
        "next_cursor": cursor,
        "next": _next_url(request, cursor),
        "results": [_with_api(request, public.cached_record(d, gen)) for d in page],
        "facets": _db_facets(qs) if f.facets else {},
        "warnings": [],
    }


def _search(request, f: DocumentFilters, q: str, filters: dict, sort: str, key: str):
    offset = 0
    if f.cursor:
        s = _decode(f.cursor, key)
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
        row = _with_api(request, public.cached_record(doc, gen))
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
    cursor = _encode({"k": key, "o": offset + f.limit}) if more else None
    facets = {
        name: sorted(
            ({"value": str(v), "count": n} for v, n in (results.facets.get(name) or {}).items()),
            key=lambda x: (-x["count"], x["value"]),
        )
        for name in FACETS
    }
    _json(request, None, _archive_modified())
    return {
        "count": results.total,
        # ranked retrieval lists documents holding some of the words; this many hold all
        "exact_count": results.exact_total,
        "limit": f.limit,
        "sort": sort,
        "next_cursor": cursor,
        "next": _next_url(request, cursor),
        "results": out,
        "facets": facets if f.facets else {},
        "warnings": [*results.warnings, *results.query.notes],
    }


def _versions(request: HttpRequest, doc: Document) -> list[dict[str, Any]]:
    found = history.versions(doc)
    out = []
    for n, v in enumerate(found):
        m = v["manifest"]
        out.append(
            {
                "version": v["version"],
                "published_at": m.signed["manifest"]["published_at"],
                "sha256": integrity.document_hash(v["data"]),
                "manifest_sha256": m.sha256,
                "current": n == len(found) - 1,
                "bundle_url": _abs(request, f"/bundle/{m.sha256}/{v['data']['id']}.json"),
            }
        )
    return out


@api.get(
    "/documents/{gazette}/{ident}",
    response={200: S.DocumentDetail, **ERRORS},
    summary="一份文件：正文树、附件、引用、版本",
    tags=["documents"],
)
def document_detail(request: HttpRequest, gazette: str, ident: str):
    doc = _document(gazette, ident)
    data = public.document_data(doc)
    out = _with_api(request, public.record(doc, data))
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
            "akn": _abs(request, f"{API_PREFIX}/documents{base}/akn"),
            "bundle": _abs(request, f"/bundle/doc{base}.json"),
            "pdf": _abs(request, f"/pdf/doc{base}.pdf"),
            "history": _abs(request, f"/history{base}/"),
            "source": _abs(request, f"/source/{doc.issue.ident}.txt"),
        },
    )
    _json(request, None, doc.issue.updated_at)
    return out


@api.get(
    "/documents/{gazette}/{ident}/citations",
    response={200: S.Citations, **ERRORS},
    summary="引用（cites）与被引用（cited_by）",
    tags=["documents"],
)
def document_citations(request: HttpRequest, gazette: str, ident: str):
    doc = _document(gazette, ident)
    out = services.citations(doc)
    for c in out["cites"]:
        if c["url"]:
            c["url"] = _abs(request, c["url"])
    for c in out["cited_by"]:
        c["url"] = _abs(request, c["url"])
    _json(request, None, _archive_modified())
    return out


@api.get(
    "/documents/{gazette}/{ident}/versions",
    response={200: list[S.Version], **ERRORS},
    summary="版本（每个签名清单中的这份文件）",
    tags=["documents"],
)
def document_versions(request: HttpRequest, gazette: str, ident: str):
    doc = _document(gazette, ident)
    _json(request, None, doc.issue.updated_at)
    return _versions(request, doc)


@api.get(
    "/documents/{gazette}/{ident}/akn",
    response={200: None, **ERRORS},
    summary="一份文件的 Akoma Ntoso XML",
    tags=["documents"],
    openapi_extra={
        "responses": {
            200: {
                "description": "AKN 3.0 XML",
                "content": {"application/akn+xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def document_akn(request: HttpRequest, gazette: str, ident: str):
    doc = _document(gazette, ident)
    response = HttpResponse(document_akn_bytes(doc), content_type="application/akn+xml")
    response["Content-Disposition"] = f'inline; filename="{ident}.akn.xml"'
    # A confirmed 时效性 change alters the XML without a new version of the issue.
    reviewed = last_reviewed(doc)
    changed = max(doc.issue.updated_at, reviewed) if reviewed else doc.issue.updated_at
    return _lm(response, changed)


def document_akn_bytes(doc: Document) -> bytes:
    from gongbao.site.opendata.model import document_from_dict, issue_from_dict

    model = document_from_dict(public.document_data(doc))
    issue = issue_from_dict(public.issue_dict(doc.issue))
    element = akn.document_to_akn(
        model,
        issue,
        issue_date=public.published_date(doc.issue) or model.date,
        generated=public.published_date(doc.issue),
    )
    return akn.to_bytes(with_lifecycle(doc, element))


@api.get(
    "/keys",
    response={200: list[dict[str, Any]], 429: S.Error},
    summary="发布者公钥及有效期",
    tags=["authenticity"],
)
def public_keys(request: HttpRequest):
    return keys.public_keys()


# 时效性 endpoints live with their app; mounted here so they share the API's errors and limits.
api.add_router("/", lifecycle_router)
