"""What every disclosure workflow shares: its refusals, today, the audit log, gazette lookup."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive.models import Gazette
from gongbao.site.disclosure.models import (
    AuditEntry,
)


class DisclosureError(Exception):
    """A refused action; the message is for the user (Chinese). Nothing was changed."""


class PublishBlocked(DisclosureError):
    """An issue cannot be published yet (unresolved personal data findings)."""


def today() -> date:
    return timezone.localdate()


def audit(
    subject: str,
    action: str,
    actor: Actor = None,
    before: str = "",
    after: str = "",
    note: str = "",
) -> None:
    AuditEntry.objects.create(
        subject=subject,
        action=action,
        actor=staff_member(actor),
        before=str(before)[:200],
        after=str(after)[:200],
        note=note,
    )


def gazette_of(slug: str) -> Gazette | None:
    return Gazette.objects.filter(slug=slug).first()
