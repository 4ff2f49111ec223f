"""``gongbao eval DIR``: score the parser on a folder of documents with hand-checked truth.

Exit status: 0 when every field of every document is right, 1 otherwise, 2 when
the folder holds no truth files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongbao.core import ReadError, parse_file
from gongbao.core.evaluate import FIELDS, DocScore, evaluate, table
from gongbao.core.model import Issue, ParseResult

_NAMES = {
    "count": "文件数",
    "title": "标题",
    "doc_number": "文号",
    "issuer": "发文机关",
    "date": "成文日期",
    "recipients": "主送机关",
    "promulgates": "印发/转发的文件",
    "headings": "一级标题",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="按人工核对的真值为解析打分（<id>.txt 与 <id>.truth.json）")
    p.add_argument("folder", type=Path, help="语料文件夹")
    p.add_argument("--verbose", "-v", action="store_true", help="列出每个错误的值")
    p.set_defaults(func=run)


def _parse(path: Path) -> ParseResult:
    """An unreadable file scores as a parse that found nothing, and says why."""
    try:
        return parse_file(path)
    except ReadError as exc:
        print(f"无法读取：{exc}", file=sys.stderr)
        return ParseResult(issue=Issue(), documents=[], repairs=[], findings=[])


def run(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        print(f"不是文件夹：{args.folder}", file=sys.stderr)
        return 2
    scores = evaluate(args.folder, _parse)
    if not scores:
        print(f"{args.folder} 中没有 *.truth.json 真值文件。", file=sys.stderr)
        return 2
    for score in scores:
        _print_document(score, args.verbose)
    per, right, total = table(scores)
    print("字段            正确/总数")
    for f in FIELDS:
        print(f"  {_NAMES[f]:<12}{per[f][0]:>4}/{per[f][1]}")
    whole = sum(s.all_right for s in scores)
    print(
        f"共 {len(scores)} 篇：{whole} 篇全部字段正确；字段 {right}/{total} 正确"
        f"（{100 * right / max(1, total):.1f}%）"
    )
    return 0 if whole == len(scores) else 1


def _print_document(score: DocScore, verbose: bool) -> None:
    if score.all_right:
        print(f"{score.ident}：全部正确")
        return
    print(
        f"{score.ident}：{score.documents} 篇；错误：" + "、".join(_NAMES[f] for f in score.wrong)
    )
    if verbose:
        for f, (want, got) in score.wrong.items():
            print(f"    {_NAMES[f]}：应为 {want!r}，得到 {got!r}")
