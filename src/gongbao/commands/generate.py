"""``gongbao generate``: write a synthetic gazette corpus (see ``gongbao.testing.generate``)."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from gongbao.testing.generate import generate_corpus


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``generate`` subcommand to ``subparsers`` and return its parser."""
    p = subparsers.add_parser(
        "generate",
        help="生成合成公报语料（用于测试和性能基准）",
        description=(
            "按种子确定性地生成合成公报（Markdown），写入 DIR/<年份>/<名称>-<年份>-<期号>.md。"
        ),
    )
    p.add_argument("--count", "-n", type=int, required=True, help="生成的期数")
    p.add_argument("--seed", "-s", type=int, default=0, help="随机种子（默认 0）")
    p.add_argument("--out", "-o", type=Path, required=True, help="输出目录")
    p.add_argument("--start-year", type=int, default=2008, help="起始年份（默认 2008）")
    p.add_argument(
        "--paragraphs-per-doc",
        type=int,
        default=38,
        help="每篇文件的段落规模（控制每期大小，默认 38，约 100–400 KB）",
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Write the corpus; print one line per year and a summary. Returns the exit status."""
    if args.count < 0:
        print("错误：--count 不能为负数")
        return 2
    paths = generate_corpus(
        Path(args.out),
        count=args.count,
        seed=args.seed,
        start_year=args.start_year,
        paragraphs_per_doc=getattr(args, "paragraphs_per_doc", 38),
    )
    per_year = Counter(p.parent.name for p in paths)
    for year in sorted(per_year):
        print(f"{year} 年：{per_year[year]} 期")
    total = sum(p.stat().st_size for p in paths)
    print(f"已生成 {len(paths)} 期（{total / 1e6:.1f} MB），写入 {args.out}/")
    return 0
