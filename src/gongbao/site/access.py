"""The one place that decides what the public may see. Every public channel asks here.

Two rules: a document is public when its issue is published (or its library
entry is: a document released on its own stays public when a draft issue later
takes it over, see docs/architecture.md) and its 公开属性 is
主动公开 (a document without a disclosure record counts as 主动公开: the gazette is
a 主动公开 channel; every document gets a record when its issue is published);
and its text is public only as de-identified by the privacy review
(``public_data`` for the body tree, ``public_nodes`` for the search passages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from gongbao.site.archive.models import BodyNode, Document, Gazette, Issue


def public_issues(gazette: Gazette | None = None) -> QuerySet[Issue]:
    qs = Issue.objects.filter(status=Issue.PUBLISHED)
    return qs.filter(gazette=gazette) if gazette is not None else qs


def _proactive_only(qs: QuerySet[Document]) -> QuerySet[Document]:
    """公开属性: 依申请公开 and 不予公开 documents never reach a public channel."""
    from gongbao.site.disclosure.models import DisclosureRecord

    hidden = DisclosureRecord.objects.filter(
        gazette_id=OuterRef("gazette_id"),
        ident=OuterRef("ident"),
        attribute__in=DisclosureRecord.NON_PUBLIC,
    )
    return qs.exclude(Exists(hidden))


def public_documents(gazette: Gazette | None = None) -> QuerySet[Document]:
    released = Q(issue__status=Issue.PUBLISHED) | Q(
        issue__isnull=False, library__status=Issue.PUBLISHED
    )
    qs = _proactive_only(Document.objects.filter(released))
    return qs.filter(gazette=gazette) if gazette is not None else qs


def withheld_idents(gazette_slug: str) -> set[str]:
    """Every identifier (current and earlier, by redirect) of the gazette's documents set
    依申请公开 or 不予公开: what older signed material must no longer name in public."""
    from gongbao.site.archive.models import Redirect
    from gongbao.site.disclosure.models import DisclosureRecord

    idents = set(
        DisclosureRecord.objects.filter(
            gazette__slug=gazette_slug, attribute__in=DisclosureRecord.NON_PUBLIC
        ).values_list("ident", flat=True)
    )
    if not idents:
        return idents
    old = Redirect.objects.filter(gazette__slug=gazette_slug, document__ident__in=idents)
    return idents | set(old.values_list("old_ident", flat=True))


def public_data(doc: Document, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The document's body tree as the public may read it: personal data masked."""
    from gongbao.site.disclosure.redaction import public_data as redact

    return redact(doc, doc.data if data is None else data)


def public_nodes(doc: Document, nodes: Iterable[BodyNode]) -> list[BodyNode]:
    """The document's body rows (search passages) as the public may read them."""
    from gongbao.site.disclosure.redaction import public_nodes as redact

    return redact(doc, nodes)


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
