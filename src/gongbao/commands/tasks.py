"""Task commands: ``gongbao tasks extract|export|report|overdue``.

``extract`` creates or refreshes the task proposals of documents in the archive
(reviewed tasks are kept as the editor left them); ``export`` writes confirmed
tasks as CSV or JSON; ``report`` prints the quarterly report (季度通报) and can
write it as HTML or PDF; ``overdue`` lists tasks past their deadline.
Django is set up (and migrated) only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongbao.commands.common import archived_documents, day_or_today


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tasks", help="任务督办：提取文件部署的任务、导出、季度通报")
    tsub = p.add_subparsers(dest="tasks_command", required=True, metavar="子命令")

    q = tsub.add_parser("extract", help="从档案中的文件提取任务（待审核的提议）")
    q.add_argument("documents", nargs="*", help="文件标识，如 guanzhengbanfa-2018-41")
    q.add_argument("--all", action="store_true", help="所有文件")
    q.set_defaults(func=run_extract)

    q = tsub.add_parser("export", help="导出已确认的任务（CSV 或 JSON）")
    q.add_argument("--format", choices=("csv", "json"), default="csv")
    q.add_argument("--document", help="只导出这一文件的任务")
    q.add_argument("--include-proposals", action="store_true", help="也导出待审核的提议")
    q.add_argument("--out", type=Path, help="写入文件（默认标准输出）")
    q.add_argument(
        "--as-of", help="逾期状态的统计日期 YYYY-MM-DD（默认今天，与逾期清单、季度通报同一口径）"
    )
    q.set_defaults(func=run_export)

    q = tsub.add_parser("report", help="季度通报：各单位完成率与排名")
    q.add_argument("--quarter", required=True, help="如 2018Q3")
    q.add_argument("--html", type=Path, help="另存为 HTML")
    q.add_argument("--pdf", type=Path, help="另存为 PDF（需要 Chromium）")
    q.set_defaults(func=run_report)

    q = tsub.add_parser("overdue", help="列出逾期未完成的任务")
    q.add_argument("--as-of", help="统计日期 YYYY-MM-DD（默认今天）")
    q.set_defaults(func=run_overdue)


def run_extract(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.tracker.services import extract_for_document

    docs = archived_documents(args.documents, args.all)
    if isinstance(docs, int):
        return docs
    total = 0
    for doc in docs:
        outcome = extract_for_document(doc)
        found = outcome.created + outcome.updated + outcome.kept
        total += found
        if found or args.documents:
            print(
                f"{doc.ident}：任务 {found} 项（新增 {outcome.created}，更新 {outcome.updated}，"
                f"已审核保留 {outcome.kept}，移除 {outcome.removed}）"
            )
    print(f"共 {len(docs)} 份文件，提取任务 {total} 项；请编辑在管理后台或 /tasks/ 审核确认。")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.tracker.models import Task
    from gongbao.site.tracker.services import export_csv, export_json

    as_of = day_or_today(args.as_of)
    if as_of is None:
        return 2
    tasks = (
        Task.objects.all() if args.include_proposals else Task.objects.filter(status=Task.CONFIRMED)
    )
    if args.document:
        tasks = tasks.filter(document__ident=args.document)
    text = export_json(tasks, as_of) if args.format == "json" else export_csv(tasks, as_of)
    if args.out:
        args.out.write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        print(f"已导出 {tasks.count()} 项任务：{args.out}")
    else:
        sys.stdout.write(text)
    return 0


def run_report(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from django.template.loader import render_to_string

    from gongbao.site.tracker.pdf import PdfUnavailable, html_to_pdf
    from gongbao.site.tracker.services import TrackerError, quarterly_report

    try:
        report = quarterly_report(args.quarter)
    except TrackerError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"季度通报 {report.quarter}（{report.start}～{report.end}）")
    print(
        f"任务 {report.tasks} 项，已完成 {report.tasks_done}，逾期 {report.tasks_overdue}，完成率 {report.rate_text}"
    )
    for row in report.rows:
        print(
            f"{row.rank:>3}  {row.unit.name}  任务 {row.assigned}  完成 {row.done}  逾期 {row.overdue}  完成率 {row.rate_text}"
        )
    if args.html or args.pdf:
        from django.contrib.staticfiles import finders

        css_path = finders.find("tracker/tracker.css")
        css = Path(css_path).read_text(encoding="utf-8") if css_path else ""
        html = render_to_string("tracker/report_print.html", {"report": report, "inline_css": css})
        if args.html:
            args.html.write_text(html, encoding="utf-8")
            print(f"HTML：{args.html}")
        if args.pdf:
            try:
                args.pdf.write_bytes(html_to_pdf(html))
            except PdfUnavailable as exc:
                print(exc, file=sys.stderr)
                return 1
            print(f"PDF：{args.pdf}")
    return 0


def run_overdue(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.tracker.services import overdue

    as_of = day_or_today(args.as_of)
    if as_of is None:
        return 2
    items = overdue(as_of)
    for item in items:
        print(
            f"{item.task.document.ident}  {item.task.number or item.task.key} {item.task.title}  期限 {item.due}"
        )
    print(f"截至 {as_of}，逾期任务 {len(items)} 项。")
    return 0
