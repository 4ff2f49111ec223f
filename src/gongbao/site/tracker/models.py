"""Tracker tables: units, tasks (proposals → confirmed), their units by role, progress, corrections.

Rows are written only by ``services``. A task keeps ``extracted``, the extractor's
proposal as it was, so that every correction can be counted against it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from gongbao.core.units import ROLES
from gongbao.site.archive.models import Document
from gongbao.site.corrections import ExtractionCorrection


def evidence_storage() -> FileSystemStorage:
    root = getattr(settings, "MEDIA_ROOT", "") or Path(settings.HOME) / "media"
    return FileSystemStorage(location=root, base_url=None)


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    aliases = models.JSONField("别名", default=list, blank=True, help_text="同一单位的其他写法")
    is_group = models.BooleanField(
        "单位集合", default=False, help_text="如“各乡镇（街道）”“县直各部门”"
    )

    class Meta:
        verbose_name = verbose_name_plural = "责任单位"
        ordering = ["is_group", "name"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    PROPOSAL, CONFIRMED, REJECTED = "proposal", "confirmed", "rejected"
    STATUS = [(PROPOSAL, "待审核"), (CONFIRMED, "已确认"), (REJECTED, "已驳回")]

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField("编号", max_length=40)
    number = models.CharField("序号", max_length=20, blank=True)
    anchor = models.CharField("位置", max_length=60, blank=True)
    block = models.CharField("责任段落", max_length=60, blank=True)
    heading_path = models.JSONField("标题路径", default=list)
    title = models.CharField("任务", max_length=300)
    text = models.TextField("内容", blank=True)
    units_text = models.TextField("责任分工原文", blank=True)
    style = models.CharField("写法", max_length=20, blank=True)
    deadlines = models.JSONField("期限", default=list, blank=True)
    recurrences = models.JSONField("周期", default=list, blank=True)
    targets = models.JSONField("量化指标", default=list, blank=True)
    status = models.CharField("审核状态", max_length=20, choices=STATUS, default=PROPOSAL)
    extracted = models.JSONField("提取结果", default=dict)
    assigned_on = models.DateField("起算日", null=True, blank=True, help_text="默认为成文日期")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    units = models.ManyToManyField(Unit, through="TaskUnit", related_name="tasks")
    # Set by an import whose new version changed or dropped the task's document;
    # cleared when a reviewer confirms, corrects or rejects the task again.
    review_flag = models.CharField(
        "待复核", max_length=20, choices=Document.REVIEW_FLAGS, default="", blank=True
    )
    review_note = models.CharField("复核说明", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务"
        ordering = ["document", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "key"], name="one_task_per_key")]
        permissions = [
            ("confirm_task", "可以审核（确认、更正、驳回）任务"),
            ("record_progress", "可以登记任务进展"),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.key} {self.title}"

    @property
    def start(self):
        return self.assigned_on or self.document.date


class TaskUnit(models.Model):
    ROLE_CHOICES = list(ROLES.items())

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("职责", max_length=20, choices=ROLE_CHOICES)
    printed = models.CharField("原文写法", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务分工"
        ordering = ["task", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "role"], name="one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"


class Progress(models.Model):
    NOT_STARTED, IN_PROGRESS, DONE, BLOCKED = "not_started", "in_progress", "done", "blocked"
    STATUS = [(NOT_STARTED, "未开始"), (IN_PROGRESS, "推进中"), (DONE, "已完成"), (BLOCKED, "受阻")]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField("进展", max_length=20, choices=STATUS)
    note = models.TextField("说明", blank=True)
    evidence = models.FileField(
        "佐证材料", upload_to="tracker/evidence/%Y/%m", storage=evidence_storage, blank=True
    )
    date = models.DateField("日期")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "进展"
        ordering = ["task", "unit", "date", "id"]
        indexes = [models.Index(fields=["task", "unit", "date"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_status_display()} {self.date}"


class Correction(ExtractionCorrection):
    """An editor's change to an extracted task: the evaluation data of the extractor."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="corrections")

    class Meta:
        verbose_name = verbose_name_plural = "更正记录"
        ordering = ["-created_at"]
