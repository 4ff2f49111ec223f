"""The one place that decides what the public may see. Every public channel asks here.

Two rules: a document is public when its issue is published (or its library
entry is: a document released on its own stays public when a draft issue later
takes it over, see docs/architecture.md) and its 公开属性 is
主动公开 (a document without a disclosure record counts as 主动公开: the gazette is
a 主动公开 channel; every document gets a record when its issue is published);
and its text is public only as de-identified by the privacy review
(``public_data`` for the body tree, ``public_nodes`` for the search passages).

The records behind both rules (公开属性, privacy decisions) are disclosure's:
``disclosure/apps.py`` registers a ``Policy`` at start-up, so this module, which
disclosure's public pages use, never imports disclosure. Without a registered
policy every public channel fails rather than show unreviewed text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from gongbao.site.archive.models import BodyNode, Document, Gazette, Issue, Redirect


@dataclass(frozen=True)
class Policy:
    """The decisions an app that keeps the 公开属性 and privacy records gives access."""

    hide: Callable[[QuerySet[Document]], QuerySet[Document]]  # without 依申请/不予公开 ones
    withheld: Callable[[str], set[str]]  # a gazette's idents set 依申请公开 or 不予公开
    public_data: Callable[[Document, dict[str, Any]], dict[str, Any]]  # personal data masked
    public_nodes: Callable[[Document, Iterable[BodyNode]], list[BodyNode]]


_registered: list[Policy] = []


def register(policy: Policy) -> None:
    """Called once by the disclosure app's ``ready``; a second call replaces the first."""
    _registered[:] = [policy]


def _policy() -> Policy:
    if not _registered:
        raise ImproperlyConfigured("no app registered the public-access policy (disclosure)")
    return _registered[0]


def public_issues(gazette: Gazette | None = None) -> QuerySet[Issue]:
    qs = Issue.objects.filter(status=Issue.PUBLISHED)
    return qs.filter(gazette=gazette) if gazette is not None else qs


def public_documents(gazette: Gazette | None = None) -> QuerySet[Document]:
    released = Q(issue__status=Issue.PUBLISHED) | Q(
        issue__isnull=False, library__status=Issue.PUBLISHED
    )
    # 公开属性: 依申请公开 and 不予公开 documents never reach a public channel.
    qs = _policy().hide(Document.objects.filter(released))
    return qs.filter(gazette=gazette) if gazette is not None else qs


def withheld_idents(gazette_slug: str) -> set[str]:
    """Every identifier (current and earlier, by redirect) of the gazette's documents set
    依申请公开 or 不予公开: what older signed material must no longer name in public."""
    idents = _policy().withheld(gazette_slug)
    if not idents:
        return idents
    old = Redirect.objects.filter(gazette__slug=gazette_slug, document__ident__in=idents)
    return idents | set(old.values_list("old_ident", flat=True))


def public_data(doc: Document, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The document's body tree as the public may read it: personal data masked."""
    return _policy().public_data(doc, doc.data if data is None else data)


def public_nodes(doc: Document, nodes: Iterable[BodyNode]) -> list[BodyNode]:
    """The document's body rows (search passages) as the public may read them."""
    return _policy().public_nodes(doc, nodes)


def visible_issues(user, gazette: Gazette | None = None) -> QuerySet[Issue]:
    """The issues the pages list (library entries are listed as documents, not issues).

    Staff also see drafts (marked as such on the page); the public sees published issues.
    """
    if user is not None and user.is_authenticated and user.is_staff:
        qs = Issue.objects.filter(kind=Issue.ISSUE)
        return qs.filter(gazette=gazette) if gazette is not None else qs
    return public_issues(gazette).filter(kind=Issue.ISSUE)


def visible_documents(user, gazette: Gazette | None = None) -> QuerySet[Document]:
    if user is not None and user.is_authenticated and user.is_staff:
        # A document a later version dropped (detached, kept for its tasks) is in no issue page.
        qs = Document.objects.filter(issue__isnull=False)
        return qs.filter(gazette=gazette) if gazette is not None else qs
    return public_documents(gazette)
