"""Staff roles: 编辑 (editor), 审核 (reviewer), 管理员 (admin), as Django groups.

Kept in step with the models after every migrate (``post_migrate``), so a new
permission reaches its roles without a hand-written data migration.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

ROLES: dict[str, tuple[str, list[str]]] = {
    "editor": (
        "编辑：导入、校对、发布",
        [
            "archive.view_gazette",
            "archive.view_issue",
            "archive.change_issue",
            "archive.publish_issue",
            "archive.view_issueversion",
            "archive.view_document",
            "archive.view_finding",
            "archive.view_importrecord",
        ],
    ),
    "reviewer": (
        "审核：查看草稿和校对意见",
        [
            "archive.view_gazette",
            "archive.view_issue",
            "archive.view_issueversion",
            "archive.view_document",
            "archive.view_finding",
            "archive.view_importrecord",
        ],
    ),
    "department": ("部门：报送文件（收稿），修改退回的文件", []),
    "admin": ("管理员：全部权限，含人员管理", ["archive.*", "auth.*"]),
}


def ensure_roles(**_: object) -> None:
    for name, (_label, codes) in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(codes))


def _permissions(codes: list[str]) -> list[Permission]:
    perms: list[Permission] = []
    for code in codes:
        app, _, codename = code.partition(".")
        qs = Permission.objects.filter(content_type__app_label=app)
        perms.extend(qs if codename == "*" else qs.filter(codename=codename))
    return perms


def grant(app_label: str, roles: dict[str, list[str]]) -> None:
    """Add an app's permissions to the role groups (``["*"]``: all of the app's)."""
    qs = Permission.objects.filter(content_type__app_label=app_label)
    for name, codes in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = list(qs) if codes == ["*"] else list(qs.filter(codename__in=codes))
        group.permissions.add(*perms)
