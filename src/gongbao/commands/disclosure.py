"""``gongbao disclosure``: privacy scan, statutory due dates, holiday schedules, overdue, report.

``scan`` and ``due`` are pure (no database); the others set up Django when run.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "disclosure", help="政务公开：个人信息扫描、法定期限、调休安排、超期申请、年度报告"
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="操作")

    s = actions.add_parser(
        "scan", help="扫描文本中的个人信息（身份证号、电话、银行卡、邮箱、地址、名单中的姓名）"
    )
    s.add_argument("file", type=Path)
    s.add_argument("--format", choices=("text", "json", "masked"), default="text")
    s.set_defaults(func=run_scan)

    d = actions.add_parser("due", help="依申请公开答复期限：收到之日起20个工作日（收到当日不计）")
    d.add_argument("received", help="收到申请日期，如 2025-09-24")
    d.add_argument("--extension", type=int, default=0, help="延长的工作日（≤20）")
    d.set_defaults(func=run_due)

    c = actions.add_parser("calendar", help="录入 chinesecalendar 尚未收录年份的放假调休安排")
    c.add_argument("year", type=int)
    c.add_argument(
        "--notice", type=Path, help="国务院办公厅关于该年部分节假日安排的通知（文本文件）"
    )
    c.add_argument("--holidays", default="", help="放假日期，逗号分隔")
    c.add_argument("--workdays", default="", help="调休上班的周末日期，逗号分隔")
    c.set_defaults(func=run_calendar)

    o = actions.add_parser("overdue", help="列出已超期和三个工作日内到期的申请")
    o.add_argument("--as-of", help="以此日期计算（默认今天）")
    o.set_defaults(func=run_overdue)

    r = actions.add_parser("report", help="生成政府信息公开工作年度报告（2021年格式）")
    r.add_argument("year", type=int)
    r.add_argument("--pdf", type=Path, help="同时输出 PDF（需要 Chromium）")
    r.set_defaults(func=run_report)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def run_scan(args: argparse.Namespace) -> int:
    from gongbao.core import privacy

    try:
        text = args.file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"无法读取：{args.file}：{exc}", file=sys.stderr)
        return 2
    findings = privacy.scan(text)
    if args.format == "masked":
        sys.stdout.write(privacy.mask(text, findings))
    elif args.format == "json":
        rows = [
            {"kind": f.kind, "start": f.start, "end": f.end, "text": f.text, "masked": f.masked}
            for f in findings
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for f in findings:
            print(f"{f.label}\t{f.masked}\t…{f.before}【{f.masked}】{f.after}…".replace("\n", " "))
        print(f"共 {len(findings)} 处个人信息。")
    return 1 if findings else 0


def run_due(args: argparse.Namespace) -> int:
    from gongbao.site.disclosure.deadlines import CalendarUnknown, reply_due

    received = _date(args.received)
    if received is None:
        print(f"日期“{args.received}”无法识别，应为 2025-09-24 这样的日期。", file=sys.stderr)
        return 2
    try:
        due = reply_due(received, extension_days=args.extension)
    except CalendarUnknown as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"{received} 收到，答复期限 {due}（{due.year}年{due.month}月{due.day}日）")
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.disclosure.services import DisclosureError, load_calendar

    def dates(text: str) -> list[date]:
        out = [_date(t) for t in text.replace("，", ",").split(",") if t.strip()]
        if None in out:
            raise DisclosureError("日期格式应为 YYYY-MM-DD")
        return out  # type: ignore[return-value]

    if args.notice is not None:
        return _calendar_from_notice(args.notice, args.year)
    try:
        n = load_calendar(args.year, dates(args.holidays), dates(args.workdays))
    except DisclosureError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"已录入 {args.year} 年放假调休安排（{n} 天）。")
    return 0


def _calendar_from_notice(path: Path, year: int) -> int:
    """Load the year from the notice's text; print what each festival gave."""
    from gongbao.core.readers import ReadError
    from gongbao.core.readers.text import decode
    from gongbao.site.disclosure.services import DisclosureError, load_notice

    try:
        text = decode(path.read_bytes(), path.name)[0]
        notice, n = load_notice(text, year)
    except OSError as exc:
        print(f"无法读取：{path}：{exc.strerror}", file=sys.stderr)
        return 2
    except (ReadError, DisclosureError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for f in notice.festivals:
        rest = "、".join(f"{d.month}/{d.day}" for d in f.rest_days)
        work = "、".join(f"{d.month}/{d.day}" for d in f.working_days) or "无"
        print(f"{f.name}：放假 {rest}；上班 {work}")
    for d in notice.outside_year():
        print(f"{d} 不在{notice.year}年内，未录入（属该年的通知）")
    print(f"已按通知录入 {notice.year} 年放假调休安排（{n} 天）。")
    return 0


def run_overdue(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.disclosure import services

    on = _date(args.as_of) if args.as_of else services.today()
    if on is None:
        print(f"日期“{args.as_of}”无法识别。", file=sys.stderr)
        return 2
    late = services.overdue(on)
    soon, note = services.due_soon(on)
    for label, rows in (
        ("已超期", late),
        ("三个工作日内到期", soon),
        ("无法计算期限", services.unknown_due()),
    ):
        print(f"{label}：{len(rows)}")
        for r in rows:
            print(f"  {r.number}\t{r.get_state_display()}\t{r.due_on or r.calendar_note}")
    if note:
        print(note)
    return 1 if late else 0


def run_report(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.disclosure import report
    from gongbao.site.disclosure.models import AnnualReport
    from gongbao.site.disclosure.views import report_print_html

    item = AnnualReport.objects.filter(year=args.year).first() or AnnualReport(year=args.year)
    t3 = report.table3(args.year)
    print(f"{args.year}年度：新收 {t3.value('一', 'total')}，上年结转 {t3.value('二', 'total')}，"
          f"办结 {t3.value('七', 'total')}，结转下年 {t3.value('四', 'total')}；"
          f"勾稽关系{'平衡' if t3.balanced else '不平衡'}")  # fmt: skip
    if args.pdf:
        try:
            args.pdf.write_bytes(report.html_to_pdf(report_print_html(item)))
        except report.PdfUnavailable as exc:
            print(str(exc), file=sys.stderr)
            return 2
        print(f"已写出 {args.pdf}")
    return 0 if t3.balanced else 1
