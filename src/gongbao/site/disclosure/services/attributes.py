"""公开属性 and 索引号: each document's disclosure record, its legal ground and index number."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive.models import Document, Issue
from gongbao.site.disclosure import outcomes
from gongbao.site.disclosure.models import (
    CatalogItem,
    Config,
    DisclosureRecord,
)
from gongbao.site.disclosure.services.common import DisclosureError, audit


def doc_subject(gazette_id: int, ident: str) -> str:
    return f"document:{gazette_id}/{ident}"


def touch(gazette_id: int, ident: str) -> None:
    """Public text or visibility changed: refresh the page cache and the search index."""
    from gongbao.site.archive.services import bump_generation

    issue = Issue.objects.filter(documents__gazette_id=gazette_id, documents__ident=ident).first()
    if issue is None:
        return
    Issue.objects.filter(pk=issue.pk).update(updated_at=timezone.now())
    if issue.is_published:
        bump_generation(issue)


def set_attribute(
    document: Document, attribute: str, ground: str = "", note: str = "", user: Actor = None
) -> DisclosureRecord:
    """Decide a document's 公开属性; 依申请公开 and 不予公开 need a legal ground."""
    if attribute not in dict(DisclosureRecord.ATTRIBUTES):
        raise DisclosureError("公开属性只能是主动公开、依申请公开或不予公开")
    if attribute != DisclosureRecord.PUBLIC:
        if ground not in outcomes.GROUND_LABELS:
            raise DisclosureError(
                "认定为依申请公开或不予公开，必须选择法定依据（条例第十四至十六条）"
            )
        if not note.strip():
            raise DisclosureError("认定为依申请公开或不予公开，必须说明理由")
    else:
        ground, note = "", note.strip()
    with transaction.atomic():
        record, created = DisclosureRecord.objects.select_for_update().get_or_create(
            gazette_id=document.gazette_id, ident=document.ident
        )
        before = "" if created else record.get_attribute_display()
        record.attribute, record.legal_ground, record.ground_note = attribute, ground, note
        record.updated_by = staff_member(user)
        record.save()
        audit(
            doc_subject(document.gazette_id, document.ident),
            "变更公开属性",
            user,
            before=before,
            after=record.get_attribute_display(),
            note=f"{outcomes.GROUND_LABELS.get(ground, '')} {note}".strip(),
        )
        touch(document.gazette_id, document.ident)
    return record


def classify(
    record: DisclosureRecord,
    *,
    category: str,
    is_policy: bool,
    repealed_on: date | None,
    catalog_items: Iterable[CatalogItem],
    user: Actor = None,
) -> DisclosureRecord:
    """File a document's record: its category, policy flag, repeal day and catalog areas."""
    items = list(catalog_items)

    def summary(r: DisclosureRecord, codes: list[str]) -> str:
        policy = "政策文件" if r.is_policy else "非政策文件"
        repealed = f"，{r.repealed_on}废止" if r.repealed_on else ""
        return f"{r.get_category_display()}，{policy}{repealed}，目录：{'、'.join(codes) or '无'}"

    with transaction.atomic():
        before = summary(record, sorted(record.catalog_items.values_list("code", flat=True)))
        record.category, record.is_policy, record.repealed_on = category, is_policy, repealed_on
        record.save()
        record.catalog_items.set(items)
        after = summary(record, sorted(i.code for i in items))
        if after != before:
            audit(
                doc_subject(record.gazette_id, record.ident), "变更目录信息", user,
                before=before, after=after,
            )  # fmt: skip
    return record


_CATEGORY_CODES = {
    DisclosureRecord.RULE: "GZ",
    DisclosureRecord.NORMATIVE: "GF",
    DisclosureRecord.OTHER: "QT",
}


def index_number(record: DisclosureRecord, year: int, config: Config) -> str:
    prefix_seq = (
        DisclosureRecord.objects.filter(
            gazette_id=record.gazette_id, index_number__contains=f"-{year}-"
        )
        .exclude(pk=record.pk)
        .count()
    )
    item = record.catalog_items.order_by("position").first() if record.pk else None
    category = item.code if item else _CATEGORY_CODES.get(record.category, "QT")
    try:
        return config.index_scheme.format(
            org=config.org_code, category=category, year=year, seq=prefix_seq + 1
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise DisclosureError(f"索引号格式有误：{exc}") from exc


def ensure_records(issue: Issue) -> int:
    """Every document of the issue gets a 公开属性 record (主动公开 unless decided) and a 索引号."""
    config = Config.get()
    made = 0
    for doc in issue.documents.order_by("seq").only("gazette_id", "ident", "date", "kind"):
        record, created = DisclosureRecord.objects.get_or_create(
            gazette_id=doc.gazette_id,
            ident=doc.ident,
            defaults={
                "is_policy": doc.kind in ("opinion", "measures", "regulation", "plan", "decision")
            },
        )
        made += created
        if not record.index_number:
            record.index_number = index_number(record, (doc.date or issue_date(issue)).year, config)
            record.save(update_fields=["index_number"])
    return made


def issue_date(issue: Issue) -> date:
    return date(issue.year, 1, 1)
