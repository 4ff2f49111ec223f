"""A composed issue goes public only through ``services.publish`` (signed off, one content
hash), never through ``gongbao publish`` or the admin: a ``pre_save`` check on ``Issue``.

Kept apart from ``services`` so that the app's start-up imports no parser.
"""

from __future__ import annotations

from contextvars import ContextVar

#: The issue ``services.publish`` is publishing right now (its own ``publish_issue`` call).
publishing: ContextVar[int | None] = ContextVar("production_publishing", default=None)


def guard_publication(sender, instance, **_: object) -> None:
    from gongbao.site.archive.models import Issue
    from gongbao.site.production.models import Composition

    if instance.pk is None or instance.status != Issue.PUBLISHED:
        return
    if publishing.get() == instance.pk:
        return
    comp = Composition.objects.filter(issue_id=instance.pk).first()
    if comp is None or comp.editions.exists():
        return
    from gongbao.site.disclosure.services import PublishBlocked

    raise PublishBlocked(
        f"{instance.ident} 是在“编辑出刊”中编排的期：须经审核人签发后在 /production/ 出刊，"
        "不能直接发布"
    )
