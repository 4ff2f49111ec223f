"""时效性 permissions for the archive's roles (editor, reviewer, admin), after every migrate.

Adds to the groups ``gongbao.site.archive.roles`` creates; never removes their own.
editor: review proposals (confirm, correct, reject); reviewer: read; admin: all.
"""

from __future__ import annotations

from gongbao.site.archive.roles import grant

LIFECYCLE_ROLES: dict[str, list[str]] = {
    "editor": [
        "view_life", "change_life", "view_relation", "change_relation",
        "confirm_lifecycle", "view_correction",
    ],
    "reviewer": ["view_life", "view_relation", "view_correction"],
    "admin": ["*"],
}  # fmt: skip


def ensure_lifecycle_permissions(**_: object) -> None:
    grant("lifecycle", LIFECYCLE_ROLES)
