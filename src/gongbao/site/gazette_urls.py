"""Which gazette a URL means, and the URLs of gazettes, issues and documents.

The default gazette (``settings.DEFAULT_GAZETTE``, else the only one in the
archive) lives at the site root; every gazette also lives under ``/<slug>/``.
The archive holds a handful of gazettes at most, so one query per request
loads them all and every link on the page is built without further queries.
The same query brings the archive's generation, which tells the page cache and
the search index whether another server (or the CLI) published since.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse

from gongbao.site.archive.models import ArchiveState, Gazette

_ATTR = "_gongbao_gazettes"


@dataclass(frozen=True)
class Gazettes:
    all: list[Gazette]
    default: Gazette | None
    generation: int | None = None  # the archive's, as of this request; None: no gazette yet

    def get(self, slug: str | None) -> Gazette:
        """The gazette of a URL: by slug, or the default at the root; 404 otherwise."""
        if slug is None:
            if self.default is None:
                raise Http404("没有默认公报")
            return self.default
        for gazette in self.all:
            if gazette.slug == slug:
                return gazette
        raise Http404("没有这个公报")

    def prefix(self, slug: str) -> str | None:
        """None for the default gazette (root URLs), else its slug."""
        return None if self.default is not None and self.default.slug == slug else slug

    def home_url(self, slug: str) -> str:
        p = self.prefix(slug)
        return reverse("web:home") if p is None else reverse("web:g-home", args=[p])

    def year_url(self, slug: str, year: int) -> str:
        p = self.prefix(slug)
        return (
            reverse("web:year", args=[year]) if p is None else reverse("web:g-year", args=[p, year])
        )

    def issue_url(self, slug: str, year: int, number: int) -> str:
        p = self.prefix(slug)
        return (
            reverse("web:issue", args=[year, number])
            if p is None
            else reverse("web:g-issue", args=[p, year, number])
        )

    def doc_url(self, slug: str, ident: str) -> str:
        p = self.prefix(slug)
        return (
            reverse("web:document", args=[ident])
            if p is None
            else reverse("web:g-document", args=[p, ident])
        )

    def search_url(self, slug: str | None) -> str:
        p = None if slug is None else self.prefix(slug)
        return reverse("web:search") if p is None else reverse("web:g-search", args=[p])


def gazettes(request: HttpRequest) -> Gazettes:
    """The archive's gazettes, loaded once per request."""
    cached = getattr(request, _ATTR, None)
    if cached is not None:
        return cached
    state = ArchiveState.objects.filter(pk=1).values("generation")
    rows = list(
        Gazette.objects.annotate(archive_generation=Subquery(state)).order_by("name", "slug")
    )
    default = None
    if settings.DEFAULT_GAZETTE:
        default = next((g for g in rows if g.slug == settings.DEFAULT_GAZETTE), None)
    elif len(rows) == 1:
        default = rows[0]
    result = Gazettes(rows, default, rows[0].archive_generation or 0 if rows else None)
    setattr(request, _ATTR, result)
    return result
