"""时效性 tables: a document's own dates and its relations, proposals → confirmed, corrections.

Rows are written only by ``services``. Each row keeps ``extracted``, the
extractor's proposal as it was, so that every correction is counted against it
(as the tracker does for tasks); a ``Correction`` records who changed what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongbao.core.lifecycle import RELATION_KINDS
from gongbao.site.archive.models import Document
from gongbao.site.corrections import ExtractionCorrection

PROPOSAL, CONFIRMED, REJECTED = "proposal", "confirmed", "rejected"
REVIEW = [(PROPOSAL, "待审核"), (CONFIRMED, "已确认"), (REJECTED, "已驳回")]


class Proposal(models.Model):
    """What an extracted row carries: where the text says it, the extractor's proposal as it
    was, and its review (proposal → confirmed or rejected, by whom, when)."""

    anchor = models.CharField("位置", max_length=60, blank=True)
    sentence = models.TextField("原文", blank=True)
    status = models.CharField("审核状态", max_length=20, choices=REVIEW, default=PROPOSAL)
    extracted = models.JSONField("提取结果", default=dict)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        abstract = True


class Life(Proposal):
    """What a document says of its own life: 施行日期 and the end of its 有效期."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="life")
    effective = models.DateField("施行日期", null=True, blank=True)
    expires = models.DateField("有效期至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "施行与有效期"
        permissions = [("confirm_lifecycle", "可以审核（确认、更正、驳回）时效性")]


class Relation(Proposal):
    """What ``source`` does to another document, named by 文号 and/or title.

    ``target`` is set once the named document is in the archive; until then the
    relation is kept and shown by ``target_number``/``target_title``.
    """

    KINDS = list(RELATION_KINDS.items())

    source = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="lifecycle_relations"
    )
    kind = models.CharField("关系", max_length=20, choices=KINDS)
    target = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lifecycle_changes",
    )
    target_key = models.CharField("目标", max_length=500)
    target_number = models.CharField("目标文号", max_length=100, blank=True)
    target_title = models.CharField("目标标题", max_length=500, blank=True)
    articles = models.JSONField("条款", default=list, blank=True)
    until = models.DateField("延长至", null=True, blank=True)
    on = models.DateField("生效日期", null=True, blank=True, help_text="空：随本文件施行")

    class Meta:
        verbose_name = verbose_name_plural = "文件关系"
        ordering = ["source", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target_key"], name="one_relation_per_target"
            )
        ]


class Correction(ExtractionCorrection):
    """A staff change to an extracted date or relation: the extractor's evaluation data."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="lifecycle_corrections"
    )
    item = models.CharField("对象", max_length=40)  # "life" or "relation:<id>"

    class Meta:
        verbose_name = verbose_name_plural = "时效性更正记录"
        ordering = ["-created_at", "-id"]
