"""时效性 in the archive: proposals from the text, staff review, status on a day, expiring soon.

Reads a document's stored JSON (``core.lifecycle`` extracts from it) and the
rows of ``models``; the only code that writes those rows. What the core
extractor finds is a proposal; staff confirm, correct (each changed field a
``Correction``) or reject it. Status counts only what staff confirmed: a
document's own dates once its ``Life`` is confirmed (before that, in force
from its 成文日期), and the confirmed relations of the documents that change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongbao.core.citations import title_key
from gongbao.core.docnumber import normalize_doc_number
from gongbao.core.export.json_read import document_from_dict
from gongbao.core.lifecycle import (
    Change,
    Lifecycle,
    Status,
    extract_lifecycle,
    is_normative,
    status_on,
)
from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive.models import Document
from gongbao.site.lifecycle.models import CONFIRMED, PROPOSAL, REJECTED, Correction, Life, Relation

#: Relations that change the target's status (依据 only links).
CHANGING = ("repeals", "amends", "extends", "replaces")
LIFE_FIELDS = ("effective", "expires")
RELATION_FIELDS = ("kind", "target_number", "target_title", "articles", "until", "on")
#: Advanced on every write, so that cached page contexts (``page``) are not reused.
EPOCH_KEY = "gongbao:lifecycle-epoch"


def epoch() -> int:
    return cache.get(EPOCH_KEY) or 0


def _changed() -> None:
    cache.set(EPOCH_KEY, epoch() + 1, timeout=None)


@dataclass
class ExtractOutcome:
    document: str
    created: int = 0
    updated: int = 0
    kept: int = 0  # reviewed rows left as staff left them
    removed: int = 0


def extract_for_document(document: Document) -> ExtractOutcome:
    """Create or refresh the proposals of a document; reviewed rows are never overwritten."""
    life = extract_lifecycle(document_from_dict(document.data))
    outcome = ExtractOutcome(document.ident)
    with transaction.atomic():
        _store_life(document, life, outcome)
        _store_relations(document, life, outcome)
    link_targets()
    _changed()
    return outcome


def _store(
    row: Life | Relation | None,
    values: dict[str, Any],
    create: Callable[..., Life | Relation],
    outcome: ExtractOutcome,
) -> None:
    """One extracted proposal: a reviewed row stays as staff left it, a missing one is
    created (``create(**values)``), a proposal takes the new values."""
    if row is not None and row.status != PROPOSAL:
        outcome.kept += 1
    elif row is None:
        create(**values)
        outcome.created += 1
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        outcome.updated += 1


def _store_life(document: Document, life: Lifecycle, outcome: ExtractOutcome) -> None:
    row = Life.objects.select_for_update().filter(document=document).first()
    source = life.effective or life.validity
    values = {
        "effective": life.effective_date,
        "expires": life.expires,
        "anchor": source.anchor if source else "",
        "sentence": source.sentence if source else "",
        "extracted": life.to_dict(),
    }
    _store(row, values, partial(Life.objects.create, document=document), outcome)


def _store_relations(document: Document, life: Lifecycle, outcome: ExtractOutcome) -> None:
    locked = Relation.objects.select_for_update().filter(source=document).order_by("pk")
    existing = {(r.kind, r.target_key): r for r in locked}
    for found in life.relations:
        row = existing.pop((found.kind, found.key), None)
        values = {
            "target_number": found.doc_number or "",
            "target_title": (found.title or "")[:500],
            "articles": list(found.articles),
            "until": found.until,
            "on": found.date,
            "anchor": found.anchor,
            "sentence": found.sentence,
            "extracted": _plain(found.__dict__),
        }
        create = partial(
            Relation.objects.create, source=document, kind=found.kind, target_key=found.key[:500]
        )
        _store(row, values, create, outcome)
    for row in existing.values():
        if row.status == PROPOSAL:
            row.delete()
            outcome.removed += 1


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: dates as ISO strings, tuples as lists."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


# --------------------------------------------------------------------------- linking


def link_targets() -> int:
    """Link relations to the documents they name, once those are in the archive; how many."""
    pending = list(Relation.objects.filter(target__isnull=True))
    if not pending:
        return 0
    numbers, titles = _archive_keys()
    linked = 0
    for rel in pending:
        target = None
        if rel.target_number:
            target = numbers.get(normalize_doc_number(rel.target_number) or "")
        if target is None and rel.target_title:
            target = titles.get(title_key(rel.target_title))
        if target is not None and target != rel.source_id:
            Relation.objects.filter(pk=rel.pk).update(target_id=target)
            linked += 1
    return linked


def _archive_keys() -> tuple[dict[str, int], dict[str, int]]:
    """文号 → document and title → document (with its issuer; a notice's promulgated plan)."""
    numbers: dict[str, int] = {}
    titles: dict[str, int] = {}
    rows = Document.objects.values_list("pk", "doc_number", "title", "issuer", "promulgates")
    for pk, number, title, issuer, plan in rows.order_by("pk"):
        canonical = normalize_doc_number(number) if number else None
        if canonical:
            numbers.setdefault(canonical, pk)
        for key in (title, issuer + title if issuer else "", plan):
            if key:
                titles.setdefault(title_key(key), pk)
    return numbers, titles


# --------------------------------------------------------------------------- review


def _reviewed(row: Life | Relation, status: str, user: Actor) -> None:
    row.status = status
    row.reviewed_by, row.reviewed_at = staff_member(user), timezone.now()
    row.save()
    transaction.on_commit(_changed)


def _item(row: Life | Relation) -> tuple[Document, str]:
    if isinstance(row, Life):
        return row.document, "life"
    return row.source, f"relation:{row.pk}"


def confirm(row: Life | Relation, user: Actor = None) -> Life | Relation:
    """Staff agree with the proposal as it stands."""
    with transaction.atomic():
        _reviewed(row, CONFIRMED, user)
    return row


def reject(row: Life | Relation, user: Actor = None) -> Life | Relation:
    """Staff find the proposal wrong as a whole (counted as a correction of its status)."""
    document, item = _item(row)
    with transaction.atomic():
        Correction.objects.create(
            document=document,
            item=item,
            field="status",
            before=row.status,
            after=REJECTED,
            user=staff_member(user),
        )
        _reviewed(row, REJECTED, user)
    return row


def correct(row: Life | Relation, user: Actor = None, **values: Any) -> list[Correction]:
    """Apply staff corrections and confirm; each changed field is kept as a ``Correction``."""
    allowed = LIFE_FIELDS if isinstance(row, Life) else RELATION_FIELDS
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"不能更正的字段：{'、'.join(sorted(unknown))}")
    document, item = _item(row)
    made: list[Correction] = []
    with transaction.atomic():
        for name, value in values.items():
            before = getattr(row, name)
            if before == value:
                continue
            made.append(
                Correction.objects.create(
                    document=document,
                    item=item,
                    field=name,
                    before=_plain({name: before})[name],
                    after=_plain({name: value})[name],
                    user=staff_member(user),
                )
            )
            setattr(row, name, value)
        _reviewed(row, CONFIRMED, user)
    if isinstance(row, Relation) and {"target_number", "target_title"} & set(values):
        Relation.objects.filter(pk=row.pk).update(target=None)
        link_targets()
    return made


def correction_stats() -> dict[str, Any]:
    """How often staff changed the extractor's proposals (its evaluation data), per field."""
    reviewed = (
        Life.objects.exclude(status=PROPOSAL).count()
        + Relation.objects.exclude(status=PROPOSAL).count()
    )
    per_field: dict[str, int] = {}
    for field in Correction.objects.values_list("field", flat=True):
        per_field[field] = per_field.get(field, 0) + 1
    corrected = Correction.objects.values("document", "item").distinct().count()
    return {
        "reviewed": reviewed,
        "corrected": corrected,
        "accepted_unchanged": reviewed - corrected,
        "corrections": sum(per_field.values()),
        "per_field": dict(sorted(per_field.items())),
    }


# --------------------------------------------------------------------------- status


def documents_with_facts() -> set[int]:
    """Documents with a confirmed 施行/有效期 or a confirmed relation to or from them."""
    lives = Life.objects.filter(status=CONFIRMED).values_list("document_id", flat=True)
    relations = Relation.objects.filter(status=CONFIRMED).values_list("source_id", "target_id")
    out = set(lives)
    for source, target in relations:
        out.add(source)
        if target is not None:
            out.add(target)
    return out


def own_dates(document: Document) -> tuple[date | None, date | None]:
    """(施行日期, 有效期至) as confirmed; unconfirmed, in force from its 成文日期, no end."""
    life = Life.objects.filter(document=document, status=CONFIRMED).first()
    if life is None:
        return document.date, None
    return life.effective or document.date, life.expires


def changes_for(document: Document) -> list[Change]:
    """The confirmed changes later documents make to ``document``, each dated when it applies.

    A relation without its own date applies when its source takes effect
    (its confirmed 施行日期, else its 成文日期); one with neither is left out.
    """
    return [change for change, _ in changes_with_sources(document)]


def changes_with_sources(document: Document) -> list[tuple[Change, Document]]:
    """``changes_for`` with the document that makes each change."""
    rows = Relation.objects.filter(target=document, status=CONFIRMED, kind__in=CHANGING)
    out: list[tuple[Change, Document]] = []
    for rel in rows.select_related("source", "source__issue").order_by("pk"):
        on = rel.on or own_dates(rel.source)[0]
        if on is not None:
            change = Change(rel.kind, on, rel.source.ident, tuple(rel.articles or ()), rel.until)
            out.append((change, rel.source))
    return out


def last_reviewed(document: Document) -> datetime | None:
    """When staff last reviewed a fact of ``document`` (its dates, or a relation to or from it)."""
    times = [
        *Life.objects.filter(document=document).values_list("reviewed_at", flat=True),
        *Relation.objects.filter(source=document).values_list("reviewed_at", flat=True),
        *Relation.objects.filter(target=document).values_list("reviewed_at", flat=True),
    ]
    return max((t for t in times if t is not None), default=None)


def status_of(document: Document, day: date) -> Status:
    """The document's 时效性 on ``day`` with its chain (沿革)."""
    effective, expires = own_dates(document)
    return status_on(day, effective=effective, expires=expires, changes=changes_for(document))


def in_force_on(day: date, documents: QuerySet[Document]) -> list[Document]:
    """The documents of ``documents`` in force on ``day`` (现行有效, 已修改 or 部分失效)."""
    return [d for d in documents if status_of(d, day).in_force]


def in_force_ids(day: date) -> set[str]:
    """Search ids (``gazette/ident``) of the documents confirmed in force on ``day``."""
    docs = Document.objects.filter(pk__in=documents_with_facts()).select_related("gazette")
    return {f"{d.gazette.slug}/{d.ident}" for d in in_force_on(day, docs)}


@dataclass(frozen=True)
class Expiring:
    document: Document
    expires: date
    days_left: int


def expiring(as_of: date, within_days: int, documents: QuerySet[Document]) -> list[Expiring]:
    """Documents in force on ``as_of`` whose 有效期 (as extended) ends within ``within_days``.

    Only documents with a confirmed end can expire; soonest first.
    """
    ends = Life.objects.filter(status=CONFIRMED, expires__isnull=False)
    candidates = documents.filter(life__in=ends) | documents.filter(
        lifecycle_changes__kind="extends", lifecycle_changes__status=CONFIRMED
    )
    last = as_of + timedelta(days=within_days)
    out: list[Expiring] = []
    for document in candidates.distinct():
        status = status_of(document, as_of)
        if status.in_force and status.expires is not None and status.expires <= last:
            out.append(Expiring(document, status.expires, (status.expires - as_of).days))
    return sorted(out, key=lambda e: (e.expires, e.document.ident))


# --------------------------------------------------------------------------- 清理


#: The 清理 list's reasons, in the order the legal office reads them.
CLEANUP_REASONS = {
    "expired": "有效期已届满且未延长",
    "expiring_90": "有效期将在90日内届满",
    "expiring_180": "有效期将在91至180日内届满",
    "cites_ended": "所依据的文件已废止或失效",
}


@dataclass(frozen=True)
class CleanupRow:
    document: Document
    reason: str
    normative: bool
    expires: date | None = None
    cited: str = ""  # the repealed or expired document it still relies on

    @property
    def reason_label(self) -> str:
        return CLEANUP_REASONS[self.reason]


def cleanup(as_of: date, documents: QuerySet[Document]) -> list[CleanupRow]:
    """The 清理 list on ``as_of``: what the legal office (司法局) reviews each year.

    Documents past their 有效期 that nothing extended, those ending within 90 and
    180 days, and those still relying (依据, confirmed) on a document repealed or
    expired by then. Each row says whether the text marks itself a 规范性文件.
    """
    with_facts = documents_with_facts()
    out: list[CleanupRow] = []
    for document in documents.filter(pk__in=with_facts).order_by("pk"):
        status = status_of(document, as_of)
        normative = is_normative(document_from_dict(document.data)) if document.data else False
        reason = _end_reason(status, as_of)
        if reason:
            out.append(CleanupRow(document, reason, normative, status.expires))
        for cited in _ended_bases(document, as_of):
            out.append(CleanupRow(document, "cites_ended", normative, cited=cited))
    order = list(CLEANUP_REASONS)
    return sorted(out, key=lambda r: (order.index(r.reason), r.expires or as_of, r.document.pk))


def _end_reason(status: Status, as_of: date) -> str:
    if status.code == "expired":
        return "expired"
    if status.in_force and status.expires is not None:
        left = (status.expires - as_of).days
        if left <= 90:
            return "expiring_90"
        if left <= 180:
            return "expiring_180"
    return ""


def _ended_bases(document: Document, as_of: date) -> list[str]:
    rows = Relation.objects.filter(
        source=document, kind="based_on", status=CONFIRMED, target__isnull=False
    ).select_related("target")
    return [
        r.target.ident for r in rows if status_of(r.target, as_of).code in ("repealed", "expired")
    ]
