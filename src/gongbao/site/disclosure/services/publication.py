"""Art 26: documents published later than 20 working days after they were formed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from gongbao.core.workdays import CalendarUnknown
from gongbao.site.archive.models import Document, Issue
from gongbao.site.disclosure import deadlines
from gongbao.site.disclosure.services.calendar import schedule


@dataclass
class LatePublication:
    document: Document
    formed: date
    due: date
    published: date


def late_publications(limit: int = 200) -> tuple[list[LatePublication], list[str]]:
    """Documents published later than 20 working days after they were formed (Art 26)."""
    out, notes = [], set()
    extra = schedule()
    docs = (
        Document.objects.filter(issue__status=Issue.PUBLISHED, date__isnull=False)
        .select_related("issue", "gazette")
        .order_by("-issue__published_at")[:limit]
    )
    for doc in docs:
        try:
            due = deadlines.publication_due(doc.date, extra)
        except CalendarUnknown as exc:
            notes.add(str(exc))
            continue
        published = timezone.localdate(doc.issue.published_at)
        if published > due:
            out.append(LatePublication(doc, doc.date, due, published))
    return out, sorted(notes)
