"""Production commands: ``gongbao production watch|unit``.

``watch DIR`` submits every file a department drops into a folder (收稿), as the
named department account would through the staff page: submitted files move to
``DIR/已报送/``, refused ones to ``DIR/未通过/`` with the reason beside them.
``--once`` handles what is there and exits (1 if a file was refused); without it
the folder is checked again every ``--interval`` seconds until Ctrl-C.
``unit NAME UNIT`` sets the unit a department account submits for.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "production", help="编辑出刊：监视报送文件夹（收稿）、设置部门账号的报送单位"
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="操作")
    w = actions.add_parser("watch", help="报送文件夹中的公文（收稿）")
    w.add_argument("folder", type=Path)
    w.add_argument("--user", required=True, help="报送人（部门账号）")
    w.add_argument("--unit", default="", help="报送单位（默认为账号的报送单位）")
    w.add_argument("--once", action="store_true", help="处理一次后退出")
    w.add_argument("--interval", type=float, default=30.0, help="检查间隔（秒）")
    u = actions.add_parser("unit", help="设置部门账号的报送单位")
    u.add_argument("username")
    u.add_argument("unit")
    p.set_defaults(func=run_production)


def run_production(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from django.contrib.auth import get_user_model

    from gongbao.site.production import services

    try:
        user = get_user_model().objects.get(
            username=args.user if args.action == "watch" else args.username
        )
    except get_user_model().DoesNotExist:
        print(f"没有账号 {getattr(args, 'user', None) or args.username}。", file=sys.stderr)
        return 1
    try:
        if args.action == "unit":
            services.set_unit(user, args.unit)
            print(f"{user.username} 的报送单位：{args.unit}")
            return 0
        while True:
            results = services.watch(args.folder, user, unit=args.unit)
            for name, outcome in results:
                print(f"{name}\t{outcome}")
            if args.once:
                return 1 if any(o.startswith("未通过") for _, o in results) else 0
            time.sleep(max(1.0, args.interval))
    except services.ProductionError as exc:
        print(exc, file=sys.stderr)
        return 1
