"""What a saved 政府信息公开 page gives beside its text, kept apart from the document.

A document is known here by its gazette and identifier (as 公开属性 records are), so
its records stay when an issue later prints it under the same identifier.
``PortalRecord`` is the page's metadata table (索引号, 发文机关, 成文日期, 发布日期,
文号, 主题分类): a labelled source of its own, not the document's text.
``PortalAttachment`` is a file the page links to and that was saved with it (PDF,
DOC, XLS in ``<name>_files/`` or beside the page); nothing is ever fetched.
"""

from __future__ import annotations

from django.db import models

from gongbao.site.archive.models import Gazette


class PortalRecord(models.Model):
    gazette = models.ForeignKey(Gazette, on_delete=models.CASCADE, related_name="+")
    ident = models.CharField("文件标识", max_length=160)
    metadata = models.JSONField("网页信息表", default=dict)
    topic = models.CharField("主题分类", max_length=100, blank=True, db_index=True)
    index_number = models.CharField("网页索引号", max_length=100, blank=True)
    source_name = models.CharField("来源网页", max_length=255)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "网页信息表"
        verbose_name_plural = "网页信息表"
        constraints = [
            models.UniqueConstraint(fields=["gazette", "ident"], name="portal_record_doc")
        ]

    def __str__(self) -> str:
        return f"{self.ident}（{self.source_name}）"


class PortalAttachment(models.Model):
    gazette = models.ForeignKey(Gazette, on_delete=models.CASCADE, related_name="+")
    ident = models.CharField("文件标识", max_length=160)
    seq = models.PositiveIntegerField("顺序")
    name = models.CharField("文件名", max_length=255)
    label = models.CharField("链接文字", max_length=500, blank=True)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField("内容")

    class Meta:
        verbose_name = "网页附件"
        verbose_name_plural = "网页附件"
        ordering = ["gazette", "ident", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["gazette", "ident", "seq"], name="portal_attachment_seq"
            )
        ]

    def __str__(self) -> str:
        return self.name
