"""The publication log: which issue each archive generation changed.

Every web server keeps its own search index (a folder under its data folder), a
derived copy of the archive. An index at generation g catches up to the archive's
generation G by re-indexing the issues the log names for g+1…G; a generation the
log does not name (a whole-archive change, or one older than the log) means a rebuild.
"""

from __future__ import annotations

from django.db import models


class IndexChange(models.Model):
    generation = models.PositiveBigIntegerField("代", primary_key=True)
    # The ident, not a key: an issue deleted since must still leave the indexes.
    issue = models.CharField("期标识", max_length=120, blank=True)
    whole = models.BooleanField("全部重建", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "检索索引变更记录"
        ordering = ["generation"]

    def __str__(self) -> str:
        return f"第 {self.generation} 代：{'全部' if self.whole else self.issue}"
