"""Who acted: the one helper every service uses to record a user on a row or audit entry.

Reads a request's user (or None); writes nothing; imports nothing, so every app may use it.
"""

from __future__ import annotations

from typing import Any


def staff_member(user: Any) -> Any:
    """The user to record as the one who acted: ``None`` for nobody or an anonymous visitor."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None
