"""The annual report's text and tables as staff write them; publishing it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gongbao.site.actors import Actor
from gongbao.site.disclosure.models import AnnualReport
from gongbao.site.disclosure.services.common import audit


def save_annual_report(
    year: int,
    *,
    overview: str,
    problems: str,
    other: str,
    table2_extra: dict[str, Any],
    table4: dict[str, Any],
    publish: bool = False,
    user: Actor = None,
) -> AnnualReport:
    """Save the year's report (a row on the first save); ``publish`` sets its publication time once."""
    with transaction.atomic():
        item = AnnualReport.objects.select_for_update().filter(year=year).first()
        item = item or AnnualReport(year=year)
        item.overview, item.problems, item.other = overview, problems, other
        item.table2_extra, item.table4 = table2_extra, table4
        if publish:
            item.published_at = item.published_at or timezone.now()
        item.save()
        audit(
            f"report:{year}", "编辑年度报告", user, after="已公布" if item.published_at else "草稿"
        )
    return item
