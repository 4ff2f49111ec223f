"""The one place that decides what the public may see. Every public channel asks here."""

from __future__ import annotations

from django.db.models import QuerySet

from gongbao.site.archive.models import Document, Gazette, Issue


def public_issues(gazette: Gazette | None = None) -> QuerySet[Issue]:
    qs = Issue.objects.filter(status=Issue.PUBLISHED)
    return qs.filter(gazette=gazette) if gazette is not None else qs


def public_documents(gazette: Gazette | None = None) -> QuerySet[Document]:
    qs = Document.objects.filter(issue__status=Issue.PUBLISHED)
    return qs.filter(gazette=gazette) if gazette is not None else qs


def visible_issues(user, gazette: Gazette | None = None) -> QuerySet[Issue]:
    """Staff also see drafts (marked as such on the page); the public sees published issues."""
    if user is not None and user.is_authenticated and user.is_staff:
        qs = Issue.objects.all()
        return qs.filter(gazette=gazette) if gazette is not None else qs
    return public_issues(gazette)


def visible_documents(user, gazette: Gazette | None = None) -> QuerySet[Document]:
    if user is not None and user.is_authenticated and user.is_staff:
        qs = Document.objects.all()
        return qs.filter(gazette=gazette) if gazette is not None else qs
    return public_documents(gazette)
