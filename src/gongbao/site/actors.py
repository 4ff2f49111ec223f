"""Who acted: the one helper every service uses to record a user on a row or audit entry.

Reads a request's user (or None); writes nothing; imports nothing at run time, so every app may use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser

#: Who asks a service to act: a request's user (staff, or an anonymous visitor), or
#: ``None`` (a command, a test). Services record ``staff_member(actor)``.
Actor: TypeAlias = "AbstractUser | AnonymousUser | None"


def staff_member(user: Any) -> Any:
    """The user to record as the one who acted: ``None`` for nobody or an anonymous visitor."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None
