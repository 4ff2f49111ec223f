"""What a staff correction of an extracted value records, wherever an extractor is evaluated.

The lifecycle (dates, relations) and the tracker (tasks) each keep their own rows, tied to
what they correct; the fields, and what they mean, are these. Imports nothing from the site.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExtractionCorrection(models.Model):
    """One field changed by staff: the extracted value, the corrected one, who and when.

    The pairs of ``before`` and ``after`` are the extractor's evaluation data."""

    field = models.CharField("字段", max_length=30)
    before = models.JSONField("提取值", null=True)
    after = models.JSONField("更正值", null=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
