"""Staff accounts: the only code that creates, changes or removes them.

Used by ``gongbao staff`` (``gongbao.commands.staff``) and the tests. Each change
is written to the audit log (``disclosure.AuditEntry``, subject ``staff:<name>``);
passwords never are. Errors are ``StaffError`` with a one-line Chinese message.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError

ROLES = {"editor": "编辑", "reviewer": "审核", "admin": "管理员", "department": "部门"}
MIN_PASSWORD = 10
# Letters and digits without look-alikes (0/O, 1/l/I): read off a screen and typed once.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


class StaffError(Exception):
    """A refused change; the message is one line for the user (Chinese)."""


@dataclass
class StaffRow:
    username: str
    role: str  # Chinese
    active: bool
    last_login: datetime | None


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"密码至少 {MIN_PASSWORD} 个字符。")


def _audit(username: str, action: str, actor=None, before: str = "", after: str = "") -> None:
    from gongbao.site.disclosure.services import audit

    audit(f"staff:{username}", action, actor, before=before, after=after)


def _get(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise StaffError(f"没有账号 {username}。") from exc


def role_of(user) -> str:
    names = set(user.groups.values_list("name", flat=True))
    for key in ("admin", "editor", "reviewer", "department"):
        if key in names:
            return key
    return "admin" if user.is_superuser else ""


def add_staff(username: str, role: str, password: str, actor=None):
    """A new staff account in one role; an existing name is refused (use ``set_password``)."""
    username = username.strip()
    if not username:
        raise StaffError("账号名不能为空。")
    if role not in ROLES:
        raise StaffError(f"未知角色：{role}（可选 editor、reviewer、admin、department）。")
    check_password(password)
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise StaffError(
                f"账号 {username} 已存在；修改密码请用 gongbao staff passwd {username}。"
            )
        user = User(username=username, is_staff=True, is_superuser=role == "admin")
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        _audit(username, "新建工作人员账号", actor, after=ROLES[role])
    return user


def set_password(username: str, password: str, actor=None):
    check_password(password)
    with transaction.atomic():
        user = _get(username)
        user.set_password(password)
        user.save(update_fields=["password"])
        _audit(username, "重设密码", actor)
    return user


def set_active(username: str, active: bool, actor=None):
    """Disable (keeps the account and what it did) or enable again."""
    with transaction.atomic():
        user = _get(username)
        if not active:
            _keep_an_admin(user)
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        _audit(username, "启用账号" if active else "停用账号", actor)
    return user


def remove_staff(username: str, actor=None) -> None:
    with transaction.atomic():
        user = _get(username)
        _keep_an_admin(user)
        role = ROLES.get(role_of(user), "")
        try:
            user.delete()
        except ProtectedError as exc:
            raise StaffError(
                f"账号 {username} 有记录引用，不能删除；可改用 gongbao staff disable {username}。"
            ) from exc
        _audit(username, "删除账号", actor, before=role)


def _keep_an_admin(user) -> None:
    """Never leave the site without an active administrator."""
    if role_of(user) != "admin" or not user.is_active:
        return
    others = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name="admin")
        .exclude(pk=user.pk)
    )
    if not others.exists():
        raise StaffError(f"{user.username} 是唯一启用的管理员，不能停用或删除。")


def list_staff() -> list[StaffRow]:
    users = get_user_model().objects.filter(is_staff=True).order_by("username")
    return [
        StaffRow(u.username, ROLES.get(role_of(u), "无角色"), u.is_active, u.last_login)
        for u in users.prefetch_related("groups")
    ]
