"""Public views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(
        '<!doctype html><html lang="zh-CN"><title>页面不存在</title><p>页面不存在。</p></html>'
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(
        '<!doctype html><html lang="zh-CN"><title>服务器错误</title><p>服务器出错，请稍后再试。</p></html>'
    )
