"""The ``gongbao`` command: one entry point for everything a user runs.

Each subcommand lives in ``gongbao.commands.<name>`` with ``add_parser`` and
``run``; this module only wires them together and turns expected failures into
a one-line message and an exit status (never a traceback).
"""

from __future__ import annotations

import argparse
import sys
import warnings
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


def quiet_library_warnings() -> None:
    """Keep other packages' warnings (deprecations inside pyHanko, cryptography…)
    off a user's terminal: they are about those packages, not about the user's
    files, and they turn a clean one-line result into noise. Our own warnings
    still show, and ``-W``/``PYTHONWARNINGS`` choose otherwise."""
    if not sys.warnoptions:
        warnings.filterwarnings("ignore", module=r"(?!gongbao\b)")


def main(argv: Sequence[str] | None = None) -> int:
    quiet_library_warnings()
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
