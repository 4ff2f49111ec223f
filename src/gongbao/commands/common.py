"""What several site commands share: a day given on the command line, the documents named.

Reads the archive's documents (Django must be set up first); writes one line to
stderr when the arguments do not hold.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any


def day_or_today(text: str | None) -> date | None:
    """The day ``text`` names (YYYY-MM-DD), else the site's today (Beijing time, as the
    pages count it, not the server's zone); None after saying why in one line."""
    from django.utils import timezone

    try:
        return date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        print(f"日期格式应为 YYYY-MM-DD：{text}", file=sys.stderr)
        return None


def archived_documents(idents: list[str], every: bool) -> list[Any] | int:
    """The documents ``idents`` names, or with ``every`` all that an issue holds (not those
    a version dropped); the exit status instead, after saying why, when any is missing
    (1) or none was asked for (2)."""
    from gongbao.site.archive.models import Document

    if every:
        return list(Document.objects.filter(issue__isnull=False))
    if not idents:
        print("请指定文件标识，或用 --all 处理全部文件。", file=sys.stderr)
        return 2
    docs = list(Document.objects.filter(ident__in=idents))
    for ident in sorted(set(idents) - {d.ident for d in docs}):
        print(f"没有这份文件：{ident}", file=sys.stderr)
    return docs if len(docs) == len(set(idents)) else 1
