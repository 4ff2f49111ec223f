"""Gazette profiles as staff saved them: every saved version is kept (who, when, the text).

The newest row of a gazette is its profile; the older ones are its history, the
audit trail of the profile. Rows are written by ``services.save_profile`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongbao.site.archive.models import Gazette


class Profile(models.Model):
    gazette = models.ForeignKey(
        Gazette, on_delete=models.CASCADE, related_name="profiles", verbose_name="公报"
    )
    text = models.TextField(
        "配置（TOML）",
        help_text="公报名称、发文机关及文号代字、栏目、单位名录、政务公开机构与索引号、主动公开目录；"
        "保存前检查格式，格式见“公报配置”说明（docs/site.md）",
    )
    saved_at = models.DateTimeField("保存时间", auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="保存人",
    )
    note = models.CharField("修改说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公报配置"
        ordering = ["gazette__name", "-saved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gazette.name}（{self.saved_at:%Y-%m-%d %H:%M}）"
