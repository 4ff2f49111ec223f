"""What every API module shares: the ``NinjaAPI``, its Chinese error answers, lookups and cursors.

Errors: malformed parameters answer 400 naming the parameter (pydantic's messages
replaced by Chinese ones), unknown ids 404; every error body is ``{detail, code,
errors}``. Lookups go through ``gongbao.site.opendata.public`` (and so through
``access``): drafts and non-public documents are unknown ids here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from gongbao.site.api import schemas as S
from gongbao.site.api.middleware import last_modified
from gongbao.site.archive.models import Gazette, Issue
from gongbao.site.opendata import public

API_PREFIX = "/api/v1"
# The OpenAPI description of an endpoint that answers Akoma Ntoso XML.
AKN_XML = {
    "responses": {
        200: {
            "description": "AKN 3.0 XML",
            "content": {"application/akn+xml": {"schema": {"type": "string"}}},
        }
    }
}


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


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def gazette_or_404(slug: str) -> Gazette:
    g = Gazette.objects.filter(slug=slug).first()
    if g is None or not public.issues(g).exists():
        raise Http404(f"没有这个公报：{slug}")
    return g


def issue_or_404(ident: str) -> Issue:
    issue = public.issues().select_related("gazette").filter(ident=ident).first()
    if issue is None:
        raise Http404(f"没有这一期：{ident}")
    return issue


def encode_cursor(state: dict[str, Any]) -> str:
    raw = json.dumps(state, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("cursor", "无法识别的游标，请使用上一页返回的 next_cursor") from exc
    if not isinstance(state, dict) or state.get("k") != key:
        raise BadRequest("cursor", "游标不属于这组查询条件（条件变了就从第一页开始）")
    return state


def params_key(params: dict[str, Any]) -> str:
    text = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return absolute(request, request.path + "?" + query.urlencode())


def with_last_modified(response: HttpResponse, when) -> HttpResponse:
    if when is not None:
        response["Last-Modified"] = last_modified(when)
    return response


def archive_modified():
    return public.issues().aggregate(m=Max("updated_at"))["m"]


def note_modified(request: HttpRequest, data: Any, when=None) -> Any:
    """Note the resource's Last-Modified; the open-data middleware puts it on the response."""
    if when is not None:
        request.gongbao_last_modified = when
    return data


def with_api_url(request: HttpRequest, row: dict[str, Any]) -> dict[str, Any]:
    row["url"] = absolute(request, row["url"])
    row["api_url"] = absolute(request, f"{API_PREFIX}/documents/{row['gazette']}/{row['id']}")
    return row
