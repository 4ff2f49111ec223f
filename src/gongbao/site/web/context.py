"""Template context shared by every page: the gazette one is in, its name and search box,
and the links to every public section (header, footer and home page)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from gongbao.site.archive.models import Gazette
from gongbao.site.gazette_urls import Gazettes, gazettes


def current_gazette(request: HttpRequest, gz: Gazettes) -> Gazette | None:
    """The gazette a page belongs to: the URL's slug, else the default one (the root)."""
    match = getattr(request, "resolver_match", None)
    slug = (match.kwargs.get("gazette") if match else None) or None
    if slug is None and match is not None and match.view_name == "web:search":
        # the header search of a gazette's page: the result page is that gazette's too
        slug = request.GET.get("gazette") or None
    found = next((g for g in gz.all if g.slug == slug), None)
    return found or gz.default


# The header's sections: key (what ``nav`` or the URL selects), name.
NAV = [
    ("home", "公报"),
    ("search", "检索"),
    ("library", "文件库"),
    ("xxgk", "政务公开"),
    ("data", "开放数据"),
    ("api", "接口文档"),
    ("feeds", "订阅"),
    ("verify", "核验"),
]
_PATH_SECTIONS = [
    ("/xxgk/", "xxgk"),
    ("/data/", "data"),
    ("/api/", "api"),
    ("/verify", "verify"),
    ("/keys/", "verify"),
]


def nav_current(request: HttpRequest) -> str:
    """The header section a page belongs to (``aria-current``), from its URL."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "web":
        name = match.url_name.removeprefix("g-")
        return name if name in ("search", "library") else "home"
    for prefix, key in _PATH_SECTIONS:
        if request.path.startswith(prefix):
            return key
    return ""


def nav(request: HttpRequest, gz: Gazettes, current: Gazette | None) -> list[dict[str, str]]:
    """The header's links; the gazette one is in keeps its own home and 文件库."""
    prefix = gz.prefix(current.slug) if current is not None else None
    urls = {
        "home": gz.home_url(current.slug) if current is not None else reverse("web:home"),
        "search": reverse("web:search"),
        "library": reverse("web:g-library", args=[prefix]) if prefix else reverse("web:library"),
        "xxgk": _url("disclosure:index"),
        "data": _url("opendata:data"),
        "api": _url("api-v1:openapi-view"),
        "feeds": _url("opendata:data") + "#feeds" if _url("opendata:data") else "",
        "verify": _url("opendata:verify"),
    }
    return [{"key": k, "name": n, "url": urls[k]} for k, n in NAV if urls[k]]


def _url(name: str, *args: str) -> str:
    # A section whose app is not installed is simply not linked.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def sections() -> list[dict[str, str]]:
    """Every public section, in the order the footer and the home page list them."""
    rows = [
        ("检索", _url("web:search"), "按标题、文号、发文机关或全文查找文件"),
        ("文件库", _url("web:library"), "本公报的全部公开文件，按发文机关、年份、文种查找"),
        ("政府信息公开", _url("disclosure:index"), "公开指南、公开目录与年度报告"),
        ("依申请公开", _url("disclosure:apply"), "在线提交政府信息公开申请，查询办理进度"),
        ("公开目录", _url("disclosure:directory"), "主动公开的政府信息目录"),
        (
            "开放数据",
            _url("opendata:data"),
            "按年份打包下载全部文件（JSON Lines、CSV、Akoma Ntoso）",
        ),
        ("接口文档", _url("api-v1:openapi-view"), "REST API：期、文件、全文检索、引用与版本"),
        ("订阅", _url("opendata:data") + "#feeds", "用 RSS/Atom 订阅新发布的期和文件"),
        ("文件核验", _url("opendata:verify"), "核对下载的文件是否完整、未被改动"),
    ]
    return [{"name": n, "url": u, "about": a} for n, u, a in rows if u and not u.startswith("#")]


def site(request: HttpRequest) -> dict:
    # gazettes() is memoised on the request, so the view and this share one query.
    gz = gazettes(request)
    current = current_gazette(request, gz)
    many = len(gz.all) > 1
    scope = current.slug if current is not None and many else ""
    feed = _url("opendata:documents-feed", "atom")
    return {
        "site_name": current.name if current is not None else "政府公报",
        "site_search": reverse("web:search"),
        "site_home": gz.home_url(current.slug) if current is not None else reverse("web:home"),
        # With several gazettes the header searches the one a reader is in, with a switch to all.
        "site_scope": scope,
        "site_scope_name": current.name if scope else "",
        "site_sections": sections(),
        "site_nav": nav(request, gz, current),
        "site_nav_current": nav_current(request),
        "site_feeds": {
            "issues": _url("opendata:issues-feed", "atom"),
            "documents": feed + ("?" + urlencode({"gazette": scope}) if scope else ""),
        },
    }
