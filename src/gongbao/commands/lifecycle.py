"""时效性 commands: ``gongbao lifecycle read|extract|status|expiring|cleanup``.

``read`` prints what a file's documents state of their 施行/有效期 and relations
(no archive needed); ``extract`` stores the proposals of archived documents for
review (reviewed rows are kept as staff left them); ``status`` prints a
document's status on a day with its chain; ``expiring`` lists the documents whose
有效期 ends within N days, as text or CSV; ``cleanup`` the 清理 list for the legal
office (expired, ending within 90/180 days, relying on repealed documents).
Django is set up only when needed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from gongbao.commands.common import archived_documents, day_or_today


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lifecycle", help="时效性：施行日期、有效期、废止与修改关系")
    lsub = p.add_subparsers(dest="lifecycle_command", required=True, metavar="子命令")

    q = lsub.add_parser("read", help="读出文件所述的施行日期、有效期和文件关系（JSON）")
    q.add_argument("file", type=Path)
    q.set_defaults(func=run_read)

    q = lsub.add_parser("extract", help="从档案中的文件提取时效性提议（待审核）")
    q.add_argument("documents", nargs="*", help="文件标识，如 guanzhengbanfa-2018-41")
    q.add_argument("--all", action="store_true", help="所有文件")
    q.set_defaults(func=run_extract)

    q = lsub.add_parser("status", help="文件在某日的时效性与沿革（按已确认的信息）")
    q.add_argument("document", help="文件标识")
    q.add_argument("--on", help="日期 YYYY-MM-DD（默认今天）")
    q.set_defaults(func=run_status)

    q = lsub.add_parser("expiring", help="有效期将在N天内届满的文件")
    q.add_argument("--days", type=int, default=90, help="天数（默认90）")
    q.add_argument("--as-of", help="起算日期 YYYY-MM-DD（默认今天）")
    q.add_argument("--format", choices=("text", "csv"), default="text")
    q.set_defaults(func=run_expiring)

    q = lsub.add_parser(
        "cleanup", help="清理清单：已届满、将届满、所依据文件已失效（供司法局审核）"
    )
    q.add_argument("--as-of", help="清理基准日 YYYY-MM-DD（默认今天）")
    q.add_argument("--format", choices=("text", "csv"), default="text")
    q.set_defaults(func=run_cleanup)


def run_read(args: argparse.Namespace) -> int:
    from gongbao.core import parse_file
    from gongbao.core.lifecycle import extract_lifecycle

    result = parse_file(args.file)
    out = [
        {"seq": d.seq, "title": d.title, **extract_lifecycle(d).to_dict()} for d in result.documents
    ]
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def run_extract(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.lifecycle.services import extract_for_document

    docs = archived_documents(args.documents, args.all)
    if isinstance(docs, int):
        return docs
    for doc in docs:
        o = extract_for_document(doc)
        if o.created or o.updated or o.kept or args.documents:
            print(
                f"{doc.ident}：新增 {o.created}，更新 {o.updated}，"
                f"已审核保留 {o.kept}，移除 {o.removed}"
            )
    print(f"共 {len(docs)} 份文件；请在管理后台“时效性”中审核确认。")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.models import Document
    from gongbao.site.lifecycle.page import CHANGE_VERBS
    from gongbao.site.lifecycle.services import status_of

    day = day_or_today(args.on)
    if day is None:
        return 2
    doc = Document.objects.filter(ident=args.document).first()
    if doc is None:
        print(f"没有这份文件：{args.document}", file=sys.stderr)
        return 1
    status = status_of(doc, day)
    by = f"（{'、'.join(status.by)}）" if status.by else ""
    end = f"，有效期至 {status.expires}" if status.expires else ""
    print(f"{doc.ident} {doc.title}：截至 {day}，{status.label}{by}{end}")
    for c in status.chain:
        until = f"至 {c.until}" if c.until else ""
        print(f"  {c.on}  {c.by} {CHANGE_VERBS.get(c.kind, c.kind)}{until}")
    return 0


def run_expiring(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.models import Document
    from gongbao.site.lifecycle.services import expiring

    as_of = day_or_today(args.as_of)
    if as_of is None:
        return 2
    if args.days < 0:
        print("天数不能为负。", file=sys.stderr)
        return 2
    found = expiring(as_of, args.days, Document.objects.filter(issue__isnull=False))
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["标识", "文号", "标题", "有效期至", "剩余天数"])
        for e in found:
            d = e.document
            writer.writerow([d.ident, d.doc_number, d.title, e.expires.isoformat(), e.days_left])
        sys.stdout.write(buffer.getvalue())
        return 0
    for e in found:
        d = e.document
        print(f"{e.expires}  剩 {e.days_left} 天  {d.doc_number or d.ident}  {d.title}")
    print(f"自 {as_of} 起 {args.days} 天内有效期届满：{len(found)} 份")
    return 0


def run_cleanup(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.archive.models import Document
    from gongbao.site.lifecycle.services import cleanup

    as_of = day_or_today(args.as_of)
    if as_of is None:
        return 2
    rows = cleanup(as_of, Document.objects.filter(issue__isnull=False))
    table = [
        [
            r.reason_label,
            r.document.ident,
            r.document.doc_number,
            r.document.title,
            "是" if r.normative else "",
            r.expires.isoformat() if r.expires else "",
            r.cited,
        ]
        for r in rows
    ]
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["事由", "标识", "文号", "标题", "规范性文件", "有效期至", "所依据文件"])
        writer.writerows(table)
        sys.stdout.write(buffer.getvalue())
        return 0
    for row in table:
        print("  ".join(cell for cell in row if cell))
    print(f"截至 {as_of} 清理清单：{len(rows)} 项")
    return 0
