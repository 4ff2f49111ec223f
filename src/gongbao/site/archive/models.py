"""Archive tables. Rows are written only by ``services``; pages read them through ``access``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Gazette(models.Model):
    slug = models.SlugField("标识", max_length=60, unique=True)
    name = models.CharField("名称", max_length=200)
    latin_name = models.CharField("拼音名称", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公报"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Issue(models.Model):
    """A gazette issue, or a library entry: one single document's file in the 文件库.

    A library entry (``kind`` library, ``number`` 0) is a document that reached the
    archive on its own (a web page, a Word file), without a gazette frame. It has
    what an issue has (versions of its source file, draft/published, findings), so
    every channel that serves issues serves it; the pages list it in the library,
    never among the issues. See docs/architecture.md (文件库).
    """

    DRAFT = "draft"
    PUBLISHED = "published"
    STATUS = [(DRAFT, "草稿"), (PUBLISHED, "已发布")]
    ISSUE, LIBRARY = "issue", "library"
    KINDS = [(ISSUE, "期"), (LIBRARY, "文件库")]

    gazette = models.ForeignKey(Gazette, on_delete=models.PROTECT, related_name="issues")
    kind = models.CharField("类别", max_length=10, choices=KINDS, default=ISSUE)
    ident = models.CharField("标识", max_length=120, unique=True)
    year = models.PositiveIntegerField("年份")
    number = models.PositiveIntegerField("期号")
    number_end = models.PositiveIntegerField("合刊止期", null=True, blank=True)
    cumulative_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    slogan = models.CharField("刊训", max_length=200, blank=True)
    sections = models.JSONField("栏目", default=list)
    toc = models.JSONField("目录", default=list)
    status = models.CharField("状态", max_length=20, choices=STATUS, default=DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # The date the issue came out: printed on it (the latest date its documents carry)
    # or entered by the editor; the site's 发布日期. Never the time of the import.
    issue_date = models.DateField("出版日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_hash = models.CharField("内容哈希", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "期"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["gazette", "year", "number"],
                condition=models.Q(kind="issue"),
                name="one_issue_per_number",
            )
        ]
        permissions = [("publish_issue", "可以发布和撤回公报")]

    def __str__(self) -> str:
        if self.is_library:
            return f"{self.gazette.name} 文件库 {self.ident}"
        return f"{self.gazette.name} {self.year}年第{self.label}期"

    @property
    def is_library(self) -> bool:
        return self.kind == self.LIBRARY

    @property
    def label(self) -> str:
        return f"{self.number}、{self.number_end}" if self.number_end else str(self.number)

    @property
    def is_published(self) -> bool:
        return self.status == self.PUBLISHED


class IssueVersion(models.Model):
    """Every imported file of an issue: a correction adds a version and keeps the old one."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    content_hash = models.CharField("内容哈希", max_length=64)
    source_name = models.CharField("源文件", max_length=500)
    source_text = models.TextField("源文本")
    parsed = models.JSONField("解析结果")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "版本"
        ordering = ["issue", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="one_version_number")
        ]


class Document(models.Model):
    """A document's stable identity (gazette, ident) with its text as of the current version.

    A new version of the issue updates the row in place, so what hangs off it
    (tasks, progress, evidence; 公开属性 and privacy decisions by ident) survives.
    A document that a new version no longer holds is detached (``issue`` empty,
    flagged ``removed``), never deleted: it is in no page, and it comes back
    with everything attached if a later version holds it again.
    """

    UNCHANGED, CHANGED, REMOVED = "", "changed", "removed"
    REVIEW_FLAGS = [(UNCHANGED, "无"), (CHANGED, "新版本中有改动"), (REMOVED, "新版本中已删除")]

    gazette = models.ForeignKey(Gazette, on_delete=models.PROTECT, related_name="documents")
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    # The library entry the document was first archived from; it stays when an issue
    # later prints the document (``issue`` then is that issue): both records show.
    library = models.ForeignKey(
        Issue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_documents",
        verbose_name="文件库记录",
    )
    ident = models.CharField("标识", max_length=160)
    seq = models.PositiveIntegerField("序号")
    section = models.CharField("栏目", max_length=100, blank=True)
    page = models.PositiveIntegerField("页码", null=True, blank=True)
    kind = models.CharField("类型", max_length=30)
    title = models.CharField("标题", max_length=500)
    toc_title = models.CharField("目录标题", max_length=500, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    agency_code = models.CharField("发文机关代字", max_length=60, blank=True)
    doc_year = models.PositiveIntegerField("文号年份", null=True, blank=True)
    serial = models.PositiveIntegerField("文号序号", null=True, blank=True)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    date = models.DateField("成文日期", null=True, blank=True)
    recipients = models.TextField("主送机关", blank=True)
    speaker = models.CharField("讲话人", max_length=50, blank=True)
    promulgates = models.CharField("印发文件", max_length=500, blank=True)
    data = models.JSONField("结构")
    review_flag = models.CharField(
        "待复核", max_length=20, choices=REVIEW_FLAGS, default=UNCHANGED, blank=True
    )
    review_note = models.CharField("复核说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "文件"
        ordering = ["issue", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["gazette", "ident"], name="one_ident_per_gazette")
        ]
        indexes = [models.Index(fields=["issue", "seq"]), models.Index(fields=["gazette", "date"])]

    def __str__(self) -> str:
        return self.title


class BodyNode(models.Model):
    """The body tree flattened in reading order: search passages and the outline read it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="nodes")
    position = models.PositiveIntegerField()
    anchor = models.CharField(max_length=60)
    kind = models.CharField(max_length=20)
    level = models.PositiveIntegerField(default=0)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["document", "position"]
        indexes = [models.Index(fields=["document", "position"])]


class Finding(models.Model):
    """One line of an issue's proofreading report, as of its current version."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(max_length=60)
    severity = models.CharField(max_length=10)
    message = models.TextField()
    line_start = models.PositiveIntegerField(null=True, blank=True)
    line_end = models.PositiveIntegerField(null=True, blank=True)
    document_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "校对意见"
        ordering = ["issue", "id"]


class Redirect(models.Model):
    """An identifier a document had before a correction: its old URL keeps working."""

    gazette = models.ForeignKey(Gazette, on_delete=models.CASCADE)
    old_ident = models.CharField(max_length=160)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gazette", "old_ident"], name="one_redirect_per_ident")
        ]


class ImportRecord(models.Model):
    IMPORTED, UPDATED, UNCHANGED, FAILED = "imported", "updated", "unchanged", "failed"
    REFUSED = "refused"  # would remove documents or replace a published issue: not confirmed
    OUTCOMES = [
        (IMPORTED, "新导入"),
        (UPDATED, "已更新"),
        (UNCHANGED, "未变化"),
        (REFUSED, "待确认"),
        (FAILED, "失败"),
    ]

    path = models.CharField("文件", max_length=1000)
    content_hash = models.CharField(max_length=64, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=OUTCOMES)
    message = models.TextField("说明", blank=True)
    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.SET_NULL)
    version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入记录"
        ordering = ["-created_at"]


class ArchiveState(models.Model):
    """One row: the generation of the published content, bumped with every change to it.

    The search index stores the generation it was built for; a mismatch at start
    means a crash came between the archive's commit and the index's, and the
    index is rebuilt.
    """

    generation = models.PositiveBigIntegerField(default=0)
