"""Who may see and change gazette profiles: the admin role saves them, editors and reviewers read them."""

from __future__ import annotations

from gongbao.site.archive.roles import grant

PROFILE_ROLES: dict[str, list[str]] = {
    "editor": ["view_profile"],
    "reviewer": ["view_profile"],
    "admin": ["*"],
}


def ensure_profile_permissions(**_: object) -> None:
    grant("gazettes", PROFILE_ROLES)
