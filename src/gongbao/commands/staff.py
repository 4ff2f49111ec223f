"""Staff commands: ``gongbao staff add|list|disable|enable|remove|passwd``.

They work without a terminal (scripts, pipes, containers): ``--password-stdin``
reads the password from the first line of standard input; without it and
without a terminal a password is generated and printed once. Every outcome is
one line; failures go to stderr with exit status 1 (2 for bad input).
"""

from __future__ import annotations

import argparse
import getpass
import sys

ROLE_CHOICES = ("editor", "reviewer", "admin", "department")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "staff",
        help="管理工作人员账号（编辑 editor、审核 reviewer、管理员 admin、部门 department）",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="操作")
    a = actions.add_parser("add", help="新建账号")
    a.add_argument("username")
    a.add_argument("--role", choices=ROLE_CHOICES, required=True)
    _password_options(a)
    actions.add_parser("list", help="列出账号")
    for name, text in (("disable", "停用账号（保留记录）"), ("enable", "重新启用账号"),
                       ("remove", "删除账号")):  # fmt: skip
        actions.add_parser(name, help=text).add_argument("username")
    w = actions.add_parser("passwd", help="重设密码")
    w.add_argument("username")
    _password_options(w)
    p.set_defaults(func=run_staff)


def _password_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-stdin", action="store_true", help="从标准输入的第一行读取密码")
    p.add_argument("--generate", action="store_true", help="生成随机密码并显示一次")


class _NoPassword(Exception):
    pass


def read_password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password and whether it was generated (then it is printed once)."""
    from gongbao.site.staff import generate_password

    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise _NoPassword("标准输入为空：请在第一行提供密码。")
        return line.rstrip("\r\n"), False
    if args.generate or not sys.stdin.isatty():
        return generate_password(), True
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise _NoPassword("两次输入的密码不一致。")
    return first, False


def run_staff(args: argparse.Namespace) -> int:
    from gongbao.site import setup

    setup()
    from gongbao.site.staff import StaffError

    try:
        return _ACTIONS[args.action](args)
    except (StaffError, _NoPassword) as exc:
        print(exc, file=sys.stderr)
        return 1
    except EOFError:
        print(
            "没有读到密码：请用 --password-stdin 从标准输入提供，或用 --generate 生成。",
            file=sys.stderr,
        )
        return 1


def _add(args: argparse.Namespace) -> int:
    from gongbao.site.staff import ROLES, add_staff

    password, generated = read_password(args)
    user = add_staff(args.username, args.role, password)
    print(f"已创建账号 {user.username}（{ROLES[args.role]}）。" + _shown(password, generated))
    return 0


def _passwd(args: argparse.Namespace) -> int:
    from gongbao.site.staff import set_password

    password, generated = read_password(args)
    user = set_password(args.username, password)
    print(f"已重设 {user.username} 的密码。" + _shown(password, generated))
    return 0


def _shown(password: str, generated: bool) -> str:
    return f"初始密码（只显示这一次）：{password}" if generated else ""


def _list(args: argparse.Namespace) -> int:
    from gongbao.site.staff import list_staff

    rows = list_staff()
    for row in rows:
        state = "启用" if row.active else "已停用"
        last = row.last_login.strftime("%Y-%m-%d %H:%M") if row.last_login else "从未登录"
        print(f"{row.username}\t{row.role}\t{state}\t最近登录 {last}")
    print(f"共 {len(rows)} 个工作人员账号。")
    return 0


def _disable(args: argparse.Namespace) -> int:
    from gongbao.site.staff import set_active

    set_active(args.username, False)
    print(f"已停用账号 {args.username}（记录保留，可用 enable 恢复）。")
    return 0


def _enable(args: argparse.Namespace) -> int:
    from gongbao.site.staff import set_active

    set_active(args.username, True)
    print(f"已启用账号 {args.username}。")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from gongbao.site.staff import remove_staff

    remove_staff(args.username)
    print(f"已删除账号 {args.username}。")
    return 0


_ACTIONS = {"add": _add, "list": _list, "disable": _disable, "enable": _enable,
            "remove": _remove, "passwd": _passwd}  # fmt: skip
