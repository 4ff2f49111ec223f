"""What disclosure asks of the review app, so that it never imports it.

``review`` receives in its ``AppConfig.ready``; a refusal raises
``DisclosureError`` through the signal, as the direct call did.
"""

from __future__ import annotations

from django.dispatch import Signal

from gongbao.site.archive.signals import ask
from gongbao.site.disclosure.models import Request

# The handling officer asks for the one extension of a reply deadline; ``req``,
# ``officer``, ``days``, ``notice``, ``reason``. Review records it for a reviewer
# (four eyes); nothing changes until one agrees. Required.
extension_requested = Signal()


def request_extension(req: Request, officer: object, days: int, notice: str, reason: str) -> None:
    """Ask for an extension; ``DisclosureError`` (Chinese) when the rules do not allow it."""
    ask(
        extension_requested, "extension_requested", sender=Request, req=req, officer=officer,
        days=days, notice=notice, reason=reason,
    )  # fmt: skip
