"""留言: visitors' messages and staff's answers."""

from __future__ import annotations

from gongbao.core.workdays import CalendarUnknown
from gongbao.site.actors import Actor
from gongbao.site.archive.models import Document
from gongbao.site.disclosure import deadlines
from gongbao.site.disclosure.models import (
    Message,
)
from gongbao.site.disclosure.services.calendar import schedule
from gongbao.site.disclosure.services.common import DisclosureError, audit, today


def leave_message(
    text: str, name: str = "", contact: str = "", document: Document | None = None
) -> Message:
    if not text.strip():
        raise DisclosureError("请填写留言内容")
    received = today()
    try:
        due = deadlines.message_due(received, schedule())
    except CalendarUnknown:
        due = None
    msg = Message.objects.create(
        text=text.strip(), name=name.strip(), contact=contact.strip(), received_on=received, due_on=due,
        gazette_id=document.gazette_id if document else None, ident=document.ident if document else "",
    )  # fmt: skip
    audit(f"message:{msg.pk}", "收到留言", None)
    return msg


def answer_message(msg: Message, user: Actor, answer: str, publish: bool) -> Message:
    if not answer.strip():
        raise DisclosureError("请填写答复内容")
    msg.answer, msg.answered_by, msg.answered_on, msg.published = (
        answer.strip(),
        user,
        today(),
        publish,
    )
    msg.save()
    audit(f"message:{msg.pk}", "答复留言", user, after="公开" if publish else "不公开")
    return msg
