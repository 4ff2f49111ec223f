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
    ".pdf", ".docx", ".doc", ".wps", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".html", ".htm",
}  # fmt: skip
OUTCOME_LABELS = {
    "imported": "新导入",
    "updated": "已更新",
    "unchanged": "未变化",
    "failed": "失败",
    "refused": "待确认",  # shown only when some were refused
    "held": "待审核",  # a correction of a published issue waiting for a reviewer (idem)
}
NOTE = "说明"  # an outcome worth a line that is no problem (a duplicate, a new version)
LISTED_UNFINISHED = 20  # after Ctrl-C, the files left are named up to this many
# A folder's own notes are not documents: without a gazette frame they would enter the library.
FOLDER_NOTES = {"readme", "sources", "license", "changelog"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="导入公报文件、单篇文件（入文件库）或整个文件夹（如 2008/ … 2025/）到档案库",
    )
    p.add_argument("paths", nargs="+", type=Path, help="文件或文件夹")
    p.add_argument("--publish", action="store_true", help="导入后立即发布（默认为草稿）")
    p.add_argument(
        "--allow-removals",
        action="store_true",
        help="确认新版本可以删除期中的文件、替换已发布的期（默认拒绝并列出将删除的文件）",
    )
    p.add_argument(
        "--requested-by", metavar="EDITOR", help="提交勘误的编辑（账号名），审核人须是另一人"
    )
    p.add_argument("--note", default="", help="勘误说明（已发布的期的更正须写明）")
    p.add_argument("--reason", default="", help="更正理由（已发布的期的更正须写明）")
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
    p.add_argument("issues", nargs="*", help="期标识，形如 <公报标识>-2018-03")
    p.add_argument("--all", action="store_true", help="发布全部草稿")
    p.add_argument(
        "--approved-by",
        metavar="REVIEWER",
        help="批准的审核人（账号名）：记录审核，并使待审核的勘误生效；不得是申请人",
    )
    p.add_argument("--requested-by", metavar="EDITOR", help="申请发布的编辑（账号名）")
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
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUFFIXES
                    and p.stem.lower() not in FOLDER_NOTES
                )
            )
            files = _without_page_files(files)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(str(path))
    return files, missing


def _without_page_files(files: list[Path]) -> list[Path]:
    """A saved web page's own files (its ``<name>_files/`` folder, the attachments it links
    to beside it) are imported with the page as its attachments, not as documents."""
    pages = [p for p in files if p.suffix.lower() in (".html", ".htm")]
    if not pages:
        return files
    from urllib.parse import unquote, urlsplit

    from gongbao.core.readers.html import attachment_links

    folders = {p.parent / f"{p.stem}{suffix}" for p in pages for suffix in ("_files", ".files")}
    linked: set[Path] = set()
    for page in pages:
        try:
            links = attachment_links(page.read_bytes(), page.name)
        except (ImportError, OSError):  # without the [html] extra the page itself fails
            links = []
        for href, _ in links:
            parts = urlsplit(href)
            name = unquote(parts.path).replace("\\", "/")
            linked.add((page.parent / name.rsplit("/", 1)[-1]).resolve())
            if not parts.scheme and not parts.netloc:
                linked.add((page.parent / name.lstrip("/")).resolve())
    return [
        p
        for p in files
        if not any(folder in p.parents for folder in folders) and p.resolve() not in linked
    ]


def run_import(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from django.utils import timezone

    from gongbao.site.archive.jobs import ImportInterrupted

    files, missing = collect(args.paths)
    for path in missing:
        print(f"找不到：{path}", file=sys.stderr)
    counts: Counter[str] = Counter()
    problems: list[tuple[str, str, str]] = []  # (label, path, message)
    unfinished: list[str] = []
    started = timezone.now()
    done = 0
    try:
        for outcome in _outcomes(files, args):
            done += 1  # before the tally: a Ctrl-C while publishing must not count it twice
            _tally(outcome, args, counts, problems)
    except (KeyboardInterrupt, ImportInterrupted) as exc:
        unfinished = _after_interrupt(exc, files, done, started, args, counts, problems)
    if files and not args.quiet:
        print(file=sys.stderr)
    summary = "，".join(
        f"{label} {counts[key]}"
        for key, label in OUTCOME_LABELS.items()
        if key not in ("refused", "held") or counts[key]
    )
    print(f"共 {len(files)} 个文件：{summary}")
    for label, path, message in problems:
        print(f"  {label}：{path}：{message}")
    if unfinished:
        _print_unfinished(unfinished)
        return 130
    if not files and not missing:
        print("没有找到可导入的文件（.md、.txt、.pdf、.docx、.html、扫描图片）。")
    failed = any(label != NOTE for label, _, _ in problems)
    return 1 if failed or missing or not files else 0


def _outcomes(files: list[Path], args: argparse.Namespace):
    """The outcome of each file in order: serially, in worker processes or on Celery."""
    from gongbao.site.archive.services import import_file

    progress = None if args.quiet else _progress
    allow = getattr(args, "allow_removals", False)
    if getattr(args, "broker", None):
        from gongbao.site.archive.jobs import run_celery

        yield from run_celery(files, args.broker, progress, allow_removals=allow)
    elif getattr(args, "workers", 0) and args.workers > 1 and len(files) > 1:
        from gongbao.site.archive.jobs import run_local

        yield from run_local(files, args.workers, progress, allow_removals=allow)
    else:
        for n, path in enumerate(files, 1):
            if progress:
                progress(n, len(files), path.name)
            yield import_file(path, allow_removals=allow, **_correction(args))


def _correction(args: argparse.Namespace) -> dict:
    """Who asks for a correction of a published issue, with its note and reason."""
    return {
        "requested_by": _staff_user(getattr(args, "requested_by", None)),
        "note": getattr(args, "note", "") or "",
        "reason": getattr(args, "reason", "") or "",
    }


def _staff_user(name: str | None):
    if not name:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None:
        raise SystemExit(f"没有这个在用的工作人员账号：{name}（gongbao staff list）")
    return user


def _tally(outcome, args: argparse.Namespace, counts: Counter, problems: list) -> None:
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import publish_issue

    counts[outcome.outcome] += 1
    if outcome.outcome in ("failed", "refused", "held"):
        problems.append((OUTCOME_LABELS[outcome.outcome], outcome.path, outcome.message))
        return
    if outcome.message:
        problems.append((NOTE, outcome.path, outcome.message))
    if args.publish:
        from gongbao.site.disclosure.services import PublishBlocked

        try:
            publish_issue(Issue.objects.get(ident=outcome.issue))
        except PublishBlocked as exc:  # stays a draft until the privacy review
            problems.append(("失败", outcome.path, str(exc)))


def _after_interrupt(exc, files, done, started, args, counts, problems) -> list[str]:
    """Ctrl-C: count what finished (the archive's records say so), return what did not."""
    from gongbao.site.archive.jobs import ImportInterrupted, finished_since

    if isinstance(exc, ImportInterrupted):
        for outcome in exc.done:
            _tally(outcome, args, counts, problems)
        return exc.unfinished
    # Serial: the file in hand rolled back, unless it committed just before the key press.
    rest = [str(p) for p in files[done:]]
    if rest and (outcome := finished_since(rest[0], started)) is not None:
        _tally(outcome, args, counts, problems)
        rest = rest[1:]
    return rest


def _print_unfinished(unfinished: list[str]) -> None:
    print(f"已中断：{len(unfinished)} 个文件未导入（再次运行同一命令即可继续）：")
    for path in unfinished[:LISTED_UNFINISHED]:
        print(f"  未导入：{path}")
    if len(unfinished) > LISTED_UNFINISHED:
        print(f"  ……等 {len(unfinished)} 个")


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

    if args.all:
        issues, unknown = list(Issue.objects.filter(status=Issue.DRAFT)), []
    elif args.issues:
        issues, unknown = _issues(args.issues)
    else:
        print("请指定期标识，或用 --all 发布全部草稿。", file=sys.stderr)
        return 2
    reviewer = _staff_user(args.approved_by)
    requester = _staff_user(args.requested_by)
    return _apply(issues, unknown, lambda issue: _publish(issue, reviewer, requester), "已发布")


def _publish(issue, reviewer, requester) -> None:
    """An operator's publish: with ``--approved-by`` through the four-eyes review.

    A waiting correction goes live only with a reviewer named; a draft is
    published directly by the operator, or as a request approved by the reviewer.
    """
    from gongbao.site.archive.services import publish_issue
    from gongbao.site.review import services as review
    from gongbao.site.review.models import Publication

    correction = review.pending(issue, Publication.CORRECTION)
    if correction is not None:
        if reviewer is None:
            raise review.ReviewRefused(
                f"{issue.ident} 有待审核的勘误，须由审核人批准：gongbao publish {issue.ident} "
                "--approved-by 审核人"
            )
        review.approve(correction, reviewer)
        return
    if issue.is_published:
        return
    if reviewer is None:
        publish_issue(issue)
        return
    found = review.pending(issue, Publication.PUBLISH)
    review.approve(found or review.request_publication(issue, requester), reviewer)


def run_unpublish(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.services import unpublish_issue

    return _apply(*_issues(args.issues), unpublish_issue, "已撤回为草稿")


def _apply(issues: list, unknown: list[str], action, done: str) -> int:
    from gongbao.site.disclosure.services import PublishBlocked
    from gongbao.site.review.services import ReviewRefused

    blocked = False
    for issue in issues:
        try:
            action(issue)
        except (PublishBlocked, ReviewRefused) as exc:  # privacy review or four eyes
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
        print("索引落后于档案，已补齐。" if rebuilt else "索引与档案一致，无需重建。")
        return 0
    count = sync.rebuild()
    print(f"检索索引已重建：{count} 篇文件。")
    return 0
