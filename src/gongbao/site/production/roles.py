"""Production permissions for the roles, after every migrate.

department (部门): submits documents and revises returned ones; editor (编辑): returns
submissions, composes issues, publishes signed-off issues, corrects published
documents; reviewer (审核): signs issues off and approves corrections; admin: all.
Adds to the groups ``gongbao.site.archive.roles`` creates; never removes their own.
"""

from __future__ import annotations

from gongbao.site.archive.roles import grant

PRODUCTION_ROLES: dict[str, list[str]] = {
    "department": ["submit_document", "view_submission"],
    "editor": [
        "view_submission", "return_submission", "compose_issue", "view_composition",
        "publish_composition", "request_correction",
    ],
    "reviewer": ["view_submission", "view_composition", "sign_off", "approve_correction"],
    "admin": ["*"],
}  # fmt: skip


def ensure_production_permissions(**_: object) -> None:
    grant("production", PRODUCTION_ROLES)
