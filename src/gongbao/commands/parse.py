"""``gongbao parse`` and ``gongbao check``: parse an issue, print it or its proofreading report.

Exit status of ``check``: 0 clean, 1 problems found, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongbao.core import ReadError, parse_file
from gongbao.core.export import json as json_export
from gongbao.core.export import text as text_export


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="解析一期公报，输出结构（JSON、文本或提纲）")
    p.add_argument("file", type=Path, help="公报文件（Markdown 或纯文本；UTF-8 或 GB18030）")
    p.add_argument(
        "--format",
        "-f",
        choices=("json", "text", "outline"),
        default="text",
        help="输出格式（默认 text）",
    )
    p.set_defaults(func=run_parse)
    c = sub.add_parser("check", help="校对一期公报：目录与正文、文号、日期、编号、公文格式")
    c.add_argument("file", type=Path, help="公报文件")
    c.add_argument("--format", "-f", choices=("text", "json"), default="text")
    c.set_defaults(func=run_check)


def _load(path: Path):
    try:
        return parse_file(path)
    except ReadError as exc:
        print(f"无法读取：{exc}", file=sys.stderr)
        return None


def run_parse(args: argparse.Namespace) -> int:
    result = _load(args.file)
    if result is None:
        return 2
    if args.format == "json":
        print(json_export.dumps(result))
    elif args.format == "outline":
        print(text_export.outline(result))
    else:
        print(text_export.summary(result))
    return 0


def run_check(args: argparse.Namespace) -> int:
    result = _load(args.file)
    if result is None:
        return 2
    if args.format == "json":
        import json

        report = json_export.to_dict(result)["report"]
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(text_export.report(result))
    return 1 if result.problems else 0
