"""A feed of documents whose 有效期 ends soon: ``/feeds/expiring.atom?days=90`` (or ``.rss``).

Reads ``services.expiring`` over the public documents (``access``); one entry per
document, its id a tag URI of the document and the day it ends, so that a
reader sees an extended document again with its new end.
"""

from __future__ import annotations

from datetime import datetime, time

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from feedgen.feed import FeedGenerator

from gongbao.site import access
from gongbao.site.lifecycle import services

TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}
DEFAULT_DAYS, MAX_DAYS = 90, 3660


def expiring_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        days = int(request.GET.get("days", DEFAULT_DAYS))
    except ValueError:
        return HttpResponseBadRequest("days 应为整数".encode())
    if not 0 < days <= MAX_DAYS:
        return HttpResponseBadRequest(f"days 应在 1 至 {MAX_DAYS} 之间".encode())
    today = timezone.localdate()
    host = request.get_host().split(":")[0]
    fg = FeedGenerator()
    fg.id(f"tag:{host},2000:gongbao/expiring/{days}")
    fg.title(f"公报：{days}日内有效期届满的文件")
    fg.subtitle(f"自{today.isoformat()}起{days}日内有效期届满、尚未延长或废止的文件")
    fg.description(f"{days}日内有效期届满的文件")
    fg.language("zh-CN")
    fg.link(href=request.build_absolute_uri(), rel="self")
    fg.link(href=request.build_absolute_uri("/"), rel="alternate")
    fg.author({"name": "公报编辑部"})
    now = timezone.now()
    for item in services.expiring(today, days, access.public_documents().select_related("gazette")):
        doc = item.document
        fe = fg.add_entry()
        fe.id(f"tag:{host},2000:gongbao/expiring/{doc.gazette.slug}/{doc.ident}/{item.expires}")
        number = f"（{doc.doc_number}）" if doc.doc_number else ""
        fe.title(f"{doc.title}{number}：有效期至{item.expires.isoformat()}")
        path = reverse("web:g-document", args=[doc.gazette.slug, doc.ident])
        fe.link(href=request.build_absolute_uri(path))
        fe.summary(f"有效期至{item.expires.isoformat()}，还有{item.days_left}天。")
        fe.updated(timezone.make_aware(datetime.combine(today, time())))
    fg.updated(now)
    fg.lastBuildDate(now)
    body = fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
    response = HttpResponse(body, content_type=TYPES[fmt])
    response["Cache-Control"] = "public, max-age=300"
    return response
