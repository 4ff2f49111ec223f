"""The API's entry point, its list of gazettes and the publisher's public keys."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from gongbao.site.api import schemas as S
from gongbao.site.api.views.common import API_PREFIX, absolute, api, archive_modified, note_modified
from gongbao.site.archive.models import Gazette
from gongbao.site.opendata import keys, public


@api.get("/", response={200: dict[str, Any], 429: S.Error}, summary="接口入口", tags=["index"])
def index(request: HttpRequest):
    """Links to every collection and to the schema."""
    return {
        "gazettes": absolute(request, f"{API_PREFIX}/gazettes"),
        "issues": absolute(request, f"{API_PREFIX}/issues"),
        "documents": absolute(request, f"{API_PREFIX}/documents"),
        "openapi": absolute(request, f"{API_PREFIX}/openapi.json"),
        "docs": absolute(request, f"{API_PREFIX}/docs"),
        "public_keys": absolute(request, "/keys.json"),
        "bulk": absolute(request, "/data/"),
    }


@api.get(
    "/gazettes",
    response={200: list[S.Gazette], 429: S.Error},
    summary="公报列表",
    tags=["gazettes"],
)
def gazettes(request: HttpRequest):
    counts = dict(public.issues().values_list("gazette_id").annotate(n=Count("id")))
    note_modified(request, None, archive_modified())
    return [
        {
            "slug": g.slug,
            "name": g.name,
            "latin_name": g.latin_name,
            "issues": counts[g.pk],
            "url": absolute(request, f"/{g.slug}/"),
        }
        for g in Gazette.objects.order_by("name", "slug")
        if g.pk in counts
    ]


@api.get(
    "/keys",
    response={200: list[dict[str, Any]], 429: S.Error},
    summary="发布者公钥及有效期",
    tags=["authenticity"],
)
def public_keys(request: HttpRequest):
    return keys.public_keys()
