"""What the apps' admin pages share: a read-only view of rows written only by services.

Imports nothing from the site, so every app's admin may use it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyMixin:
    """Staff may read these rows in the admin, never add, change or delete them there: they are
    written by the services (audited), or are themselves the record of what was done."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
