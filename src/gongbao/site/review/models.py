"""A request to make something public: a draft issue, or a corrected version (勘误)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongbao.site.archive.models import Issue

User = settings.AUTH_USER_MODEL


class Decision(models.Model):
    """A request that a reviewer approves or rejects: its state, and who decided, when and why."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    STATES = [(PENDING, "待审核"), (APPROVED, "已批准"), (REJECTED, "已退回")]

    status = models.CharField("状态", max_length=20, choices=STATES, default=PENDING)
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="审核人",
    )  # fmt: skip
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]

    @property
    def is_pending(self) -> bool:
        return self.status == self.PENDING


class Publication(Decision):
    """A draft issue to publish, or a corrected version (勘误), waiting for a reviewer."""

    PUBLISH = "publish"
    CORRECTION = "correction"
    KINDS = [(PUBLISH, "发布"), (CORRECTION, "勘误")]

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="publications", verbose_name="期"
    )
    kind = models.CharField("类型", max_length=20, choices=KINDS)
    note = models.TextField("勘误说明", blank=True, help_text="公开的勘误说明：改正了什么")
    reason = models.TextField("更正理由", blank=True, help_text="为什么更正（审核依据）")
    # The corrected file waits here, unparsed into the archive, until it is approved.
    source = models.BinaryField("更正文件", default=b"", editable=False)
    source_name = models.CharField("源文件", max_length=500, blank=True)
    content_hash = models.CharField("内容哈希", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="申请人",
    )  # fmt: skip
    version = models.PositiveIntegerField("生效版本", null=True, blank=True)

    class Meta(Decision.Meta):
        verbose_name = "发布审核"
        verbose_name_plural = "发布审核"
        permissions = [
            ("request_publication", "可以提交发布或勘误申请"),
            ("approve_publication", "可以批准或退回发布、勘误申请"),
        ]

    def __str__(self) -> str:
        return f"{self.issue.ident} {self.get_kind_display()}（{self.get_status_display()}）"


class ExtensionRequest(Decision):
    """Art 33: the handling officer asks to extend a reply deadline; a reviewer decides."""

    request = models.ForeignKey(
        "disclosure.Request", on_delete=models.CASCADE, related_name="extension_requests",
        verbose_name="申请",
    )  # fmt: skip
    days = models.PositiveIntegerField("延长工作日")
    notice = models.TextField("告知申请人的内容")
    reason = models.TextField("延长理由", blank=True)
    requested_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="经办人"
    )

    class Meta(Decision.Meta):
        verbose_name = "延长答复期限申请"
        verbose_name_plural = "延长答复期限申请"

    def __str__(self) -> str:
        return f"{self.request_id} 延长{self.days}个工作日（{self.get_status_display()}）"
