"""The ``gongbao`` command: one entry point for everything a user runs.

Each subcommand lives in ``gongbao.commands.<name>`` with ``add_parser`` and
``run``; this module only wires them together and turns expected failures into
a one-line message and an exit status (never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gongbao import __version__
from gongbao.commands import (
    archive,
    disclosure,
    evaluate,
    generate,
    lifecycle,
    opendata,
    parse,
    production,
    serve,
    staff,
    tasks,
)

COMMANDS = (
    parse,
    evaluate,
    generate,
    archive,
    staff,
    serve,
    tasks,
    lifecycle,
    opendata,
    disclosure,
    production,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongbao",
        description="公报：政府公报的解析、校对、归档与发布。",
    )
    parser.add_argument("--version", action="version", version=f"gongbao {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
