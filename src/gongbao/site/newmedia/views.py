"""Downloads of the 公众号 article (an attachment) and the share card (an image)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from gongbao.core.export.card import FontMissing
from gongbao.site.archive.models import Issue
from gongbao.site.newmedia import export
from gongbao.site.opendata import public


def _issue(ident: str) -> Issue:
    issue = public.printed_issues().select_related("gazette").filter(ident=ident).first()
    if issue is None:
        raise Http404("没有这一期")
    return issue


def _article(html: str, filename: str) -> HttpResponse:
    response = HttpResponse(html.encode("utf-8"), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _png(make, filename: str) -> HttpResponse:
    try:
        body = make()
    except (FontMissing, export.NoSiteUrl) as exc:
        return HttpResponse(
            f"暂时无法生成分享卡片：{exc}", status=503, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(body, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def document_wechat(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = public.document_or_404(gazette, ident)
    return _article(export.document_article(doc, request), f"{ident}.wechat.html")


@require_GET
def issue_wechat(request: HttpRequest, ident: str) -> HttpResponse:
    issue = _issue(ident)
    return _article(export.issue_article(issue, request), f"{ident}.wechat.html")


@require_GET
def document_card(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = public.document_or_404(gazette, ident)
    return _png(lambda: export.document_card(doc, request), f"{ident}.card.png")


@require_GET
def issue_card(request: HttpRequest, ident: str) -> HttpResponse:
    issue = _issue(ident)
    return _png(lambda: export.issue_card(issue, request), f"{ident}.card.png")
