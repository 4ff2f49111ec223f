"""What open data does once a change to published content has committed.

The receiver of the archive's ``content_committed`` signal (``opendata/apps.py``)
calls ``after_commit``: citations and a signed manifest (``services``), the
document pages' cached parts forgotten and warmed again (``page``), the bulk
files (``bulk``). The archive is already committed when it runs, so a failure is
logged and never undoes the publication; ``gongbao bulk`` repairs.
"""

from __future__ import annotations

import logging

from django.conf import settings

from gongbao.site.archive.models import Issue
from gongbao.site.opendata import bulk, public, services
from gongbao.site.opendata.page import bump_epoch, warm

log = logging.getLogger("gongbao.opendata")


def after_commit(issue_id: int | None) -> None:
    """Refresh the issue (None: every issue), forget and warm page parts, rewrite bulk files."""
    try:
        if issue_id is None:
            for issue in Issue.objects.all():
                services.refresh(issue)
            bump_epoch()
            bulk.regenerate_all()
            return
        issue = Issue.objects.select_related("gazette").filter(pk=issue_id).first()
        if issue is None:
            return
        services.refresh(issue)
        bump_epoch()  # API answers and page parts cached before the manifest are stale now
        if issue.is_published:
            for doc in public.documents().filter(issue=issue).select_related("issue__gazette"):
                warm(doc)
        if getattr(settings, "GONGBAO_BULK_ON_PUBLISH", True):
            bulk.regenerate_year(issue.gazette.slug, issue.year)
    except Exception:  # the archive is committed; `gongbao bulk` repairs
        log.exception("开放数据更新失败（签名清单、引用或批量文件），可运行 gongbao bulk 重建")
