"""Template context shared by every page: the site's name and where the search box goes."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from gongbao.site.web.gazettes import gazettes


def site(request: HttpRequest) -> dict:
    # gazettes() is memoised on the request, so the view and this share one query.
    default = gazettes(request).default
    return {
        "site_name": default.name if default is not None else "政府公报",
        "site_search": reverse("web:search"),
        "site_home": reverse("web:home"),
    }
