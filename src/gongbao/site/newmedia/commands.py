"""``gongbao export --format wechat``: 公众号 articles of published issues or one document."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings

from gongbao.site.newmedia import export
from gongbao.site.opendata import public


def export_wechat(issues: list, out: Path, *, doc: str | None = None) -> int:
    """One ``.html`` file (one issue, or ``doc``), else one file per issue in folder ``out``."""
    if not getattr(settings, "GONGBAO_SITE_URL", ""):
        print("注：未设置 GONGBAO_SITE_URL，文章中没有二维码与原文地址。", file=sys.stderr)
    if doc:
        found = (
            public.documents()
            .select_related("issue", "issue__gazette", "gazette")
            .filter(issue__in=issues, ident=doc)
            .first()
        )
        if found is None:
            print(f"没有这份已发布的公开文件：{doc}", file=sys.stderr)
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(export.document_article(found), encoding="utf-8")
        print(f"已导出公众号文章 {doc} → {out}")
        return 0
    printed = [i for i in issues if not i.is_library]
    if not printed:
        print("没有符合条件的已发布期。", file=sys.stderr)
        return 1
    if len(printed) == 1 and out.suffix == ".html":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(export.issue_article(printed[0]), encoding="utf-8")
        print(f"已导出公众号文章 {printed[0].ident} → {out}")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for issue in printed:
        (out / f"{issue.ident}.wechat.html").write_text(
            export.issue_article(issue), encoding="utf-8"
        )
    print(f"已导出 {len(printed)} 期公众号文章 → {out}/")
    return 0
