"""Staff accounts: ``gongbao staff`` in a pipe (no terminal), and the service rules behind it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model

from gongbao.site import staff


def _gongbao(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The command as a script runs it: stdin is a pipe, never a terminal."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GONGBAO_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "gongbao.cli", "staff", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    out = (result.stdout + result.stderr).strip()
    assert "Traceback" not in out and len(out.splitlines()) == 1, out
    return out


def test_staff_commands_in_a_pipe(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = _gongbao(
        home, "add", "li", "--role", "editor", "--password-stdin", stdin="s3cret-pass-1\n"
    )
    assert added.returncode == 0 and _one_line(added) == "已创建账号 li（编辑）。"
    # no --password-stdin and no terminal: a generated password, printed once
    boss = _gongbao(home, "add", "boss", "--role", "admin")
    assert boss.returncode == 0 and "初始密码（只显示这一次）：" in _one_line(boss)
    generated = boss.stdout.strip().rsplit("：", 1)[1]
    assert len(generated) == 16
    again = _gongbao(home, "add", "li", "--role", "editor", "--password-stdin", stdin="x" * 12)
    assert again.returncode == 1 and "已存在" in _one_line(again)
    short = _gongbao(home, "passwd", "li", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and _one_line(short) == "密码至少 10 个字符。"
    empty = _gongbao(home, "passwd", "li", "--password-stdin")
    assert empty.returncode == 1 and "标准输入为空" in _one_line(empty)
    assert (
        _gongbao(home, "passwd", "li", "--password-stdin", stdin="another-pass-2\n").returncode == 0
    )
    assert _gongbao(home, "disable", "li").returncode == 0
    listed = _gongbao(home, "list").stdout.splitlines()
    assert listed[0].startswith("boss\t管理员\t启用") and listed[1].startswith("li\t编辑\t已停用")
    assert listed[-1] == "共 2 个工作人员账号。"
    last_admin = _gongbao(home, "disable", "boss")
    assert last_admin.returncode == 1 and "唯一启用的管理员" in _one_line(last_admin)
    assert _gongbao(home, "enable", "li").returncode == 0
    removed = _gongbao(home, "remove", "li")
    assert removed.returncode == 0 and _one_line(removed) == "已删除账号 li。"
    missing = _gongbao(home, "remove", "li")
    assert missing.returncode == 1 and _one_line(missing) == "没有账号 li。"


@pytest.mark.django_db
def test_staff_service_audits_and_passwords() -> None:
    from gongbao.site.disclosure.models import AuditEntry

    staff.add_staff("wang", "reviewer", "first-password")
    assert authenticate(username="wang", password="first-password") is not None
    staff.set_password("wang", "second-password")
    assert authenticate(username="wang", password="second-password") is not None
    staff.set_active("wang", False)
    assert authenticate(username="wang", password="second-password") is None
    user = get_user_model().objects.get(username="wang")
    assert user.is_staff and not user.is_superuser and staff.role_of(user) == "reviewer"
    actions = list(AuditEntry.objects.filter(subject="staff:wang").values_list("action", flat=True))
    assert sorted(actions) == sorted(["新建工作人员账号", "重设密码", "停用账号"])
    assert not AuditEntry.objects.filter(after__contains="password").exists()
    with pytest.raises(staff.StaffError, match="未知角色"):
        staff.add_staff("zhao", "boss", "long-enough-1")
