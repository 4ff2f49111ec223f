"""Production tables: submissions (收稿), compositions of issues (编排), sign-offs (签发),
editions (出刊) and corrections (勘误). Rows are written only by ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongbao.site.archive.models import Document, Issue

User = settings.AUTH_USER_MODEL


class DepartmentAccount(models.Model):
    """The unit a department user submits for (报送单位)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="department")
    unit = models.CharField("报送单位", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "报送单位账号"

    def __str__(self) -> str:
        return self.unit


class Submission(models.Model):
    """A document a department sent in: a library entry of the 文件库, with its unit."""

    SUBMITTED, RETURNED, PLACED = "submitted", "returned", "placed"
    STATES = [(SUBMITTED, "已报送"), (RETURNED, "已退改"), (PLACED, "已编入")]

    entry = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="submissions", verbose_name="文件库记录"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    unit = models.CharField("报送单位", max_length=200)
    number_key = models.CharField("文号（规范化）", max_length=100, blank=True)
    title = models.CharField("标题", max_length=500)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=STATES, default=SUBMITTED)
    return_note = models.TextField("退改意见", blank=True)
    revision = models.PositiveIntegerField("报送次数", default=1)
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = verbose_name_plural = "报送文件"
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("submit_document", "可以报送文件"),
            ("return_submission", "可以退改报送的文件"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.title}"


class Composition(models.Model):
    """An issue being made: its sections, the documents placed in them, news items."""

    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, related_name="composition")
    sections = models.JSONField("栏目", default=list)
    editors = models.ManyToManyField(User, related_name="+", blank=True, verbose_name="编辑人")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = verbose_name_plural = "编排"
        permissions = [
            ("compose_issue", "可以编排公报"),
            ("publish_composition", "可以出刊已签发的期"),
            ("sign_off", "可以审核签发"),
        ]

    def __str__(self) -> str:
        return str(self.issue)


class Placement(models.Model):
    """A library document placed in a section of a composed issue, at a position."""

    composition = models.ForeignKey(
        Composition, on_delete=models.CASCADE, related_name="placements"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="placements")
    section = models.CharField("栏目", max_length=100)
    position = models.PositiveIntegerField("顺序")

    class Meta:
        ordering = ["composition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["composition", "document"], name="placed_once")
        ]


class NewsItem(models.Model):
    """A short item written for the issue (政务信息, a 勘误 notice): a document of its own."""

    composition = models.ForeignKey(Composition, on_delete=models.CASCADE, related_name="news")
    section = models.CharField("栏目", max_length=100)
    title = models.CharField("标题", max_length=300)
    text = models.TextField("正文")
    position = models.PositiveIntegerField("顺序")

    class Meta:
        ordering = ["composition", "position", "pk"]


class SignOff(models.Model):
    """签发: who signed which content, when; void once that content changes."""

    composition = models.ForeignKey(Composition, on_delete=models.CASCADE, related_name="signoffs")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签发时间")
    content_hash = models.CharField("内容哈希", max_length=64)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "签发"
        ordering = ["-signed_at", "-pk"]


class Edition(models.Model):
    """出刊: the published issue's content hash, as in its manifest, and its print PDF."""

    composition = models.ForeignKey(Composition, on_delete=models.CASCADE, related_name="editions")
    signoff = models.ForeignKey(SignOff, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField("内容哈希", max_length=64)
    manifest_sha256 = models.CharField("签名清单", max_length=64, blank=True)
    pdf_path = models.CharField("印刷版 PDF", max_length=500, blank=True)
    pdf_sha256 = models.CharField("PDF 哈希", max_length=64, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("出刊时间")

    class Meta:
        verbose_name = verbose_name_plural = "出刊记录"
        ordering = ["-published_at", "-pk"]


class Correction(models.Model):
    """勘误 of a published document: the corrected text waits for a reviewer, then becomes
    the document's new version, with its reason in the history and a notice for the next issue."""

    PENDING, APPLIED, REJECTED = "pending", "applied", "rejected"
    STATES = [(PENDING, "待审核"), (APPLIED, "已更正"), (REJECTED, "已退回")]

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="corrections")
    status = models.CharField("状态", max_length=20, choices=STATES, default=PENDING)
    reason = models.TextField("更正理由")
    notice = models.TextField("勘误启事")
    source_name = models.CharField("更正文件", max_length=500)
    source_text = models.TextField("更正文本")
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    version = models.PositiveIntegerField("更正后版本", null=True, blank=True)
    placed_in = models.ForeignKey(
        Composition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "勘误"
        ordering = ["-requested_at", "-pk"]
        permissions = [
            ("request_correction", "可以提交勘误"),
            ("approve_correction", "可以批准勘误"),
        ]
