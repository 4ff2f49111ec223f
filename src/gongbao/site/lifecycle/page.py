"""What the document page shows of 时效性: a status line, a banner, the chain, an SVG timeline.

Reads ``services`` (confirmed facts only) and writes a template context for
``lifecycle/_status.html``. The timeline is drawn here as an SVG string, so the
page needs no JavaScript; every text in it is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongbao.core.lifecycle import RELATION_KINDS, Status
from gongbao.site.archive.models import Document
from gongbao.site.lifecycle import services
from gongbao.site.lifecycle.models import CONFIRMED, Relation

#: How the chain names what a later document did to this one.
CHANGE_VERBS = {"repeals": "废止", "amends": "修改", "extends": "延长有效期", "replaces": "替代"}
ENDED = ("repealed", "expired")
_WIDTH, _HEIGHT, _MARGIN = 640, 96, 48
#: Seconds another worker process may show a context from before a review (as open data).
TIMEOUT = 300


@dataclass(frozen=True)
class Event:
    """One mark on the timeline: a day and what happened on it."""

    day: date
    label: str


def status_context(doc: Document, day: date, doc_url) -> dict[str, Any] | None:
    """The context of ``lifecycle/_status.html`` for ``doc`` on ``day``, cached.

    None for a document staff confirmed nothing about: a speech or a news item
    has no 时效性, and an unreviewed proposal is not shown as a fact.
    ``doc_url(ident)`` gives the page of another document (the chain links to
    the documents that changed this one). A warm page costs no query.
    """
    stamp = services.epoch()
    facts_key = f"gongbao:lifecycle-docs:{stamp}"
    with_facts = cache.get(facts_key)
    if with_facts is None:
        with_facts = services.documents_with_facts()
        cache.set(facts_key, with_facts, timeout=TIMEOUT)
    if doc.pk not in with_facts:
        return None
    key = f"gongbao:lifecycle:{doc.pk}:{day.isoformat()}:{stamp}"
    context = cache.get(key)
    if context is None:
        context = _context(doc, day, doc_url)
        cache.set(key, context, timeout=TIMEOUT)
    return context


def _context(doc: Document, day: date, doc_url) -> dict[str, Any]:
    status = services.status_of(doc, day)
    effective, _ = services.own_dates(doc)
    sources = _sources(doc)
    chain = [
        {
            "day": change.on,
            "verb": CHANGE_VERBS.get(change.kind, change.kind),
            "title": sources.get(change.by, change.by),
            "url": doc_url(change.by),
            "until": change.until,
        }
        for change in status.chain
    ]
    return {
        "code": status.code,
        "label": _label(status, sources),
        "on": day,
        "effective": effective,
        "expires": status.expires,
        "banner": status.code in ENDED,
        "chain": chain,
        "pending_targets": _outside_archive(doc),
        "timeline": timeline_svg(_events(doc, status, effective)),
    }


def _sources(doc: Document) -> dict[str, str]:
    """ident → title of the documents with confirmed changes to ``doc``."""
    rows = Relation.objects.filter(target=doc, status=CONFIRMED).select_related("source")
    return {r.source.ident: r.source.title for r in rows}


def _label(status: Status, sources: dict[str, str]) -> str:
    if status.code == "expired":
        return f"{status.label}（有效期届满）"
    if status.by:
        names = "、".join(f"《{sources.get(b, b)}》" for b in status.by)
        return f"{status.label}（{names}）"
    return status.label


def _outside_archive(doc: Document) -> list[dict[str, Any]]:
    """Confirmed relations of this document to documents not (yet) in the archive."""
    rows = Relation.objects.filter(source=doc, status=CONFIRMED, target__isnull=True)
    return [
        {
            "kind": RELATION_KINDS.get(r.kind, r.kind),
            "number": r.target_number,
            "title": r.target_title,
        }
        for r in rows
    ]


def _events(doc: Document, status: Status, effective: date | None) -> list[Event]:
    events = []
    if doc.date:
        events.append(Event(doc.date, "成文"))
    printed = _issue_published(doc)
    if printed:
        events.append(Event(printed, f"刊载于第{doc.issue.label}期"))
    if effective and effective != doc.date:
        events.append(Event(effective, "施行"))
    for change in status.chain:
        events.append(Event(change.on, CHANGE_VERBS.get(change.kind, change.kind)))
    if status.expires and status.code != "repealed":
        events.append(Event(status.expires, "有效期届满"))
    return sorted(events, key=lambda e: e.day)


def _issue_published(doc: Document) -> date | None:
    """The day the issue that printed the document was published (the library holds none)."""
    issue = doc.issue
    if issue is None or issue.published_at is None or getattr(issue, "is_library", False):
        return None
    return timezone.localdate(issue.published_at)


def timeline_svg(events: list[Event]) -> SafeString:
    """A horizontal timeline, one dot and label per event; empty for fewer than two events."""
    if len(events) < 2:
        return mark_safe("")
    first, last = events[0].day, events[-1].day
    span = max((last - first).days, 1)
    parts = [
        f'<svg class="lifecycle-timeline" role="img" aria-label="时效沿革" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{_MARGIN}" y1="40" x2="{_WIDTH - _MARGIN}" y2="40" stroke="currentColor"/>',
    ]
    for i, event in enumerate(events):
        x = _MARGIN + round((event.day - first).days / span * (_WIDTH - 2 * _MARGIN))
        y = 28 if i % 2 == 0 else 64  # alternate above and below: close dates stay readable
        parts.append(f'<circle cx="{x}" cy="40" r="4" fill="currentColor"/>')
        parts.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" font-size="11">'
            f"{escape(event.label)} {event.day.isoformat()}</text>"
        )
    parts.append("</svg>")
    # Safe: every text in it went through escape(), the rest are numbers and dates.
    return mark_safe("".join(parts))
