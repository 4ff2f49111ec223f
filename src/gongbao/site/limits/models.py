"""One row per (bucket, client, window): the shared request counter of ``gongbao.site.limits``."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "访问计数"
