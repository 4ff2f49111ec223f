"""Open-data responses: CORS for GET, per-client rate limits on the API, conditional GET.

Applies to the API (``/api/``) and the other machine-read channels (feeds,
bulk files, keys, sitemap); pages are untouched. The rate limit is a fixed
window per client address counted in the database (``gongbao.site.limits``),
so it is one limit for all server processes and survives a restart. The
numbers are ``GONGBAO_API_RATE`` requests per ``GONGBAO_API_RATE_WINDOW``
seconds, published in docs/api.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

from gongbao.site import limits

OPEN_PREFIXES = (
    "/api/",
    "/feeds/",
    "/data/",
    "/keys.json",
    "/sitemap.xml",
    "/akn/",
    "/bundle/",
    "/pdf/",
    "/manifests/",
    "/history/",
    "/source/",
)
RATE_LIMITED = ("/api/",)
CACHED = ("/api/v1/",)
CACHE_SECONDS = 600
EXPOSED = "ETag, Last-Modified, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


def client_id(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_limit(request: HttpRequest) -> tuple[HttpResponse | None, dict[str, str]]:
    limit = int(getattr(settings, "GONGBAO_API_RATE", 120))
    window = max(1, int(getattr(settings, "GONGBAO_API_RATE_WINDOW", 60)))
    if limit <= 0:
        return None, {}
    counted = limits.hit("api", client_id(request), window)
    count, reset = counted.count, counted.reset
    headers = {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, limit - count)),
        "X-RateLimit-Reset": str(reset),
    }
    if count <= limit:
        return None, headers
    body = {
        "detail": f"请求过于频繁：每个客户端每 {window} 秒最多 {limit} 次，请 {reset} 秒后再试。",
        "code": "rate_limited",
        "limit": limit,
        "window_seconds": window,
        "retry_after": reset,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=429, content_type="application/json"
    )
    response["Retry-After"] = str(reset)
    return response, headers


# The errors django-ninja and Django answer themselves, as HTML or English text.
_PLAIN_ERRORS = {
    404: ("没有这个接口地址，可用的接口见 /api/v1/docs", "not_found"),
    405: ("不支持这种请求方法：本接口只读，请用 GET", "method_not_allowed"),
}


def _json_error(response: HttpResponse) -> HttpResponse:
    """An API error that is not JSON yet becomes the API's JSON error, in Chinese."""
    known = _PLAIN_ERRORS.get(response.status_code)
    if known is None or response.get("Content-Type", "").startswith("application/json"):
        return response
    detail, code = known
    body = {"detail": detail, "code": code, "errors": []}
    out = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=response.status_code,
        content_type="application/json",
    )
    if response.has_header("Allow"):
        out["Allow"] = response["Allow"]
    return out


class OpenDataMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            return self._cors(response)
        if "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in vs[1]):
            # No database takes NUL in text; say so instead of failing deeper down.
            body = {"detail": "参数有误：含有空字符（NUL）", "code": "bad_parameter", "errors": []}
            return self._cors(
                HttpResponse(
                    json.dumps(body, ensure_ascii=False),
                    status=400,
                    content_type="application/json",
                )
            )
        headers: dict[str, str] = {}
        if request.path.startswith(RATE_LIMITED):
            limited, headers = _rate_limit(request)
            if limited is not None:
                for k, v in headers.items():
                    limited[k] = v
                return self._cors(limited)
        response = self._cached(request)
        if request.path.startswith(RATE_LIMITED):
            response = _json_error(response)
        for k, v in headers.items():
            response[k] = v
        when = getattr(request, "gongbao_last_modified", None)
        if when is not None and not response.has_header("Last-Modified"):
            response["Last-Modified"] = last_modified(when)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = self._conditional(request, response)
        return self._cors(response)

    def _cached(self, request: HttpRequest) -> HttpResponse:
        """API answers are kept per URL and archive generation: any change to published
        content (or its de-identification) bumps the generation and so misses the cache."""
        path = request.path
        if (
            request.method not in ("GET", "HEAD")
            or not path.startswith(CACHED)
            or path.endswith(("/docs", "/openapi.json"))
        ):
            return self.get_response(request)
        from gongbao.site.opendata.page import EPOCH_KEY
        from gongbao.site.opendata.public import generation

        # The epoch moves when the publication hook (manifests, citations) has finished.
        stamp = f"{generation()}.{cache.get(EPOCH_KEY) or 0}"
        full = request.build_absolute_uri()
        key = f"gongbao:api:{hashlib.sha256(full.encode()).hexdigest()}:{stamp}"
        hit = cache.get(key)
        if hit is not None:
            response = HttpResponse(hit["body"], content_type=hit["type"])
            for name, value in hit["headers"].items():
                response[name] = value
            return response
        response = self.get_response(request)
        when = getattr(request, "gongbao_last_modified", None)
        if when is not None and not response.has_header("Last-Modified"):
            response["Last-Modified"] = last_modified(when)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            keep = {n: response[n] for n in ("ETag", "Last-Modified", "Content-Disposition")
                    if response.has_header(n)}  # fmt: skip
            entry = {"body": response.content, "type": response["Content-Type"], "headers": keep}
            cache.set(key, entry, timeout=CACHE_SECONDS)
        return response

    @staticmethod
    def _cors(response: HttpResponse) -> HttpResponse:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED
        return response

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(response, "streaming", False):
            return response
        if not response.has_header("ETag"):
            response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response.setdefault("Cache-Control", "public, max-age=60")
        etag = response["ETag"]
        inm = request.META.get("HTTP_IF_NONE_MATCH")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            if etag in tags or "*" in tags:
                return _not_modified(response)
            return response
        ims = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        lm = parse_http_date_safe(response.get("Last-Modified", ""))
        if ims is not None and lm is not None and lm <= ims:
            return _not_modified(response)
        return response


def _not_modified(response: HttpResponse) -> HttpResponse:
    out = HttpResponseNotModified()
    for name in (
        "ETag",
        "Last-Modified",
        "Cache-Control",
        "Vary",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
    ):
        if response.has_header(name):
            out[name] = response[name]
    return out


def last_modified(when) -> str:
    return http_date(when.timestamp())
