"""时效性 in the REST API: a document's status on a day, documents in force, documents expiring.

A ninja ``Router`` that the API (``api/views.py``) mounts under ``/api/v1``. Reads
``access`` (public documents only; one document through ``opendata.public``'s
lookup, as every public channel) and ``services`` (confirmed facts only); a
document staff confirmed nothing about has ``status`` null.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from gongbao.core.lifecycle import Status
from gongbao.site import access
from gongbao.site.archive.models import Document
from gongbao.site.lifecycle import services
from gongbao.site.lifecycle.models import CONFIRMED, Relation
from gongbao.site.opendata import public

router = Router(tags=["lifecycle"])
MAX_DAYS = 3660


class OnDay(Schema):
    on: date | None = Field(None, description="日期（默认今天）")


class InForce(Schema):
    on: date | None = Field(None, description="日期（默认今天）")
    gazette: str | None = Field(None, description="公报标识")


class ExpiringQuery(Schema):
    on: date | None = Field(None, description="起算日期（默认今天）")
    days: int = Field(90, ge=1, le=MAX_DAYS, description="天数")
    gazette: str | None = Field(None, description="公报标识")


def _day(value: date | None) -> date:
    return value or timezone.localdate()


def _status_dict(doc: Document, day: date, with_facts: set[int]) -> dict[str, Any]:
    if doc.pk not in with_facts:
        return {"status": None, "label": "未确认", "on": day.isoformat()}
    status: Status = services.status_of(doc, day)
    effective, _ = services.own_dates(doc)
    return {
        "status": status.code,
        "label": status.label,
        "on": day.isoformat(),
        "in_force": status.in_force,
        "effective": effective.isoformat() if effective else None,
        "expires": status.expires.isoformat() if status.expires else None,
        "by": list(status.by),
        "chain": [
            {
                "kind": c.kind,
                "on": c.on.isoformat(),
                "by": c.by,
                "articles": list(c.articles),
                "until": c.until.isoformat() if c.until else None,
            }
            for c in status.chain
        ],
    }


def _relations(doc: Document) -> list[dict[str, Any]]:
    """What this document does to others (confirmed), linked or still by 文号/title."""
    rows = Relation.objects.filter(source=doc, status=CONFIRMED).select_related("target")
    return [
        {
            "kind": r.kind,
            "target": r.target.ident if r.target else None,
            "doc_number": r.target_number or None,
            "title": r.target_title or None,
            "articles": r.articles,
            "until": r.until.isoformat() if r.until else None,
            "anchor": r.anchor,
            "sentence": r.sentence,
        }
        for r in rows
    ]


def _public(gazette: str | None):
    qs = access.public_documents()
    return qs.filter(gazette__slug=gazette) if gazette else qs


@router.get(
    "/documents/{gazette}/{ident}/status",
    response={200: dict[str, Any]},
    summary="文件在某日的时效性与沿革",
)
def document_status(request: HttpRequest, gazette: str, ident: str, q: Query[OnDay]):
    doc = public.document_or_404(gazette, ident)
    day = _day(q.on)
    out = {"id": doc.ident, "gazette": gazette}
    out.update(_status_dict(doc, day, services.documents_with_facts()))
    out["relations"] = _relations(doc)
    return out


@router.get("/lifecycle/in-force", response={200: dict[str, Any]}, summary="某日现行有效的文件")
def in_force(request: HttpRequest, q: Query[InForce]):
    """Documents with confirmed facts that are in force on the day (in_force_on)."""
    day = _day(q.on)
    with_facts = services.documents_with_facts()
    docs = _public(q.gazette).filter(pk__in=with_facts).select_related("gazette")
    results = [
        {
            "id": d.ident,
            "gazette": d.gazette.slug,
            "title": d.title,
            **_status_dict(d, day, with_facts),
        }
        for d in services.in_force_on(day, docs.order_by("date", "pk"))
    ]
    return {"on": day.isoformat(), "count": len(results), "results": results}


@router.get(
    "/lifecycle/expiring", response={200: dict[str, Any]}, summary="有效期将在N天内届满的文件"
)
def expiring(request: HttpRequest, q: Query[ExpiringQuery]):
    day = _day(q.on)
    found = services.expiring(day, q.days, _public(q.gazette).select_related("gazette"))
    results = [
        {
            "id": e.document.ident,
            "gazette": e.document.gazette.slug,
            "title": e.document.title,
            "doc_number": e.document.doc_number or None,
            "expires": e.expires.isoformat(),
            "days_left": e.days_left,
        }
        for e in found
    ]
    return {"on": day.isoformat(), "days": q.days, "count": len(results), "results": results}
