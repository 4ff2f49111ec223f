"""Archive commands: ``import``, ``publish``, ``unpublish``, ``reindex``.

Staff accounts are ``commands/staff.py``.

Each sets up Django (and migrates) only when run, so the parser commands stay light.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

SUFFIXES = {
    ".md", ".markdown", ".txt", ".text",
    ".pdf", ".docx", ".doc", ".wps", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
}  # fmt: skip
OUTCOME_LABELS = {
    "imported": "新导入",
    "updated": "已更新",
    "unchanged": "未变化",
    "failed": "失败",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="导入公报文件或整个文件夹（如 2008/ … 2025/）到档案库")
    p.add_argument("paths", nargs="+", type=Path, help="文件或文件夹")
    p.add_argument("--publish", action="store_true", help="导入后立即发布（默认为草稿）")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度条")
    p.add_argument(
        "--workers", type=int, default=0, help="用 N 个工作进程并行导入（读取、OCR、解析）"
    )
    p.add_argument(
        "--broker",
        help="把导入任务发到 Celery 队列（如 redis://127.0.0.1:6379/0），由各机器上的工作进程执行",
    )
    p.set_defaults(func=run_import)

    p = sub.add_parser("publish", help="发布草稿期（公众可见、可检索）")
    p.add_argument("issues", nargs="*", help="期标识，如 guanxian-2018-03")
    p.add_argument("--all", action="store_true", help="发布全部草稿")
    p.set_defaults(func=run_publish)

    p = sub.add_parser("unpublish", help="撤回已发布的期，恢复为草稿")
    p.add_argument("issues", nargs="+", help="期标识")
    p.set_defaults(func=run_unpublish)

    p = sub.add_parser("reindex", help="从档案库重建全文检索索引")
    p.add_argument("--check", action="store_true", help="只在索引与档案不一致时重建")
    p.set_defaults(func=run_reindex)


def collect(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Issue files under the given paths, in a stable order; and the paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(str(path))
    return files, missing


def run_import(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file, publish_issue

    files, missing = collect(args.paths)
    for path in missing:
        print(f"找不到：{path}", file=sys.stderr)
    counts: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []
    progress = None if args.quiet else _progress
    if getattr(args, "broker", None):
        from gongbao.site.archive.jobs import run_celery

        outcomes = iter(run_celery(files, args.broker, progress))
    elif getattr(args, "workers", 0) and args.workers > 1 and len(files) > 1:
        from gongbao.site.archive.jobs import run_local

        outcomes = iter(run_local(files, args.workers, progress))
    else:
        outcomes = None
    for n, path in enumerate(files, 1):
        if outcomes is not None:
            outcome = next(outcomes)
        else:
            if progress:
                progress(n, len(files), path.name)
            outcome = import_file(path)
        counts[outcome.outcome] += 1
        if outcome.outcome == "failed":
            failures.append((str(path), outcome.message))
        elif args.publish:
            from gongbao.site.disclosure.services import PublishBlocked

            try:
                publish_issue(Issue.objects.get(ident=outcome.issue))
            except PublishBlocked as exc:  # stays a draft until the privacy review
                failures.append((str(path), str(exc)))
    if files and not args.quiet:
        print(file=sys.stderr)
    summary = "，".join(f"{label} {counts[key]}" for key, label in OUTCOME_LABELS.items())
    print(f"共 {len(files)} 个文件：{summary}")
    for path, message in failures:
        print(f"  失败：{path}：{message}")
    if not files and not missing:
        print("没有找到可导入的文件（.md、.txt、.pdf、.docx、扫描图片）。")
    return 1 if failures or missing or not files else 0


def _progress(n: int, total: int, name: str) -> None:
    width = 30
    done = width * n // total
    bar = "█" * done + "░" * (width - done)
    print(f"\r{bar} {n}/{total} {name[:40]:<40}", end="", file=sys.stderr, flush=True)


def _issues(idents: list[str]):
    from gongbao.site.archive.models import Issue

    found = list(Issue.objects.filter(ident__in=idents))
    unknown = sorted(set(idents) - {i.ident for i in found})
    for ident in unknown:
        print(f"没有这一期：{ident}", file=sys.stderr)
    return found, unknown


def run_publish(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import publish_issue

    if args.all:
        issues, unknown = list(Issue.objects.filter(status=Issue.DRAFT)), []
    elif args.issues:
        issues, unknown = _issues(args.issues)
    else:
        print("请指定期标识，或用 --all 发布全部草稿。", file=sys.stderr)
        return 2
    return _apply(issues, unknown, publish_issue, "已发布")


def run_unpublish(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.services import unpublish_issue

    return _apply(*_issues(args.issues), unpublish_issue, "已撤回为草稿")


def _apply(issues: list, unknown: list[str], action, done: str) -> int:
    from gongbao.site.disclosure.services import PublishBlocked

    blocked = False
    for issue in issues:
        try:
            action(issue)
        except PublishBlocked as exc:  # personal data still awaits the privacy review
            print(str(exc), file=sys.stderr)
            blocked = True
            continue
        print(f"{done}：{issue.ident}（{issue}）")
    return 1 if unknown or blocked else 0


def run_reindex(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.search import sync

    if args.check:
        rebuilt = sync.ensure_index_current()
        print("索引与档案不一致，已重建。" if rebuilt else "索引与档案一致，无需重建。")
        return 0
    count = sync.rebuild()
    print(f"检索索引已重建：{count} 篇文件。")
    return 0
