"""Tracker permissions for the archive's roles (editor, reviewer, admin), after every migrate.

Adds to the groups ``gongbao.site.archive.roles`` creates; never removes their own.
editor: review proposals (confirm/correct), record progress, edit unit aliases;
reviewer: read everything, record nothing; admin: all tracker permissions.
"""

from __future__ import annotations

from gongbao.site.archive.roles import grant

TRACKER_ROLES: dict[str, list[str]] = {
    "editor": [
        "view_task", "change_task", "confirm_task", "view_unit", "change_unit", "add_unit",
        "view_taskunit", "add_taskunit", "change_taskunit", "delete_taskunit",
        "view_progress", "add_progress", "record_progress", "view_correction",
    ],
    "reviewer": ["view_task", "view_unit", "view_taskunit", "view_progress", "view_correction"],
    "admin": ["*"],
}  # fmt: skip


def ensure_tracker_permissions(**_: object) -> None:
    grant("tracker", TRACKER_ROLES)
