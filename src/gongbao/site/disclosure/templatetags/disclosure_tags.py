"""Template filters of the disclosure pages: labels for audit subjects and actions,
lookups by key."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (labels by action name, titles by ident)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


# Codes staff would otherwise read raw on their pages: privacy kinds (as the command
# line prints them), audit actions written as codes, and audit subjects' prefixes.
ACTION_LABELS = {"import.version": "导入新版本", "profile.save": "保存公报配置"}
SUBJECT_LABELS = {
    "issue": "期",
    "document": "文件",
    "request": "申请",
    "message": "留言",
    "calendar": "放假安排",
    "report": "年度报告",
    "staff": "账号",
    "unit": "责任单位",
    "gazette": "公报",
}


@register.filter
def privacy_label(kind: str) -> str:
    """``id_card`` → 身份证号码 (``core.privacy.KIND_LABELS``)."""
    from gongbao.core.privacy import KIND_LABELS

    return KIND_LABELS.get(kind, kind)


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@register.filter
def subject_label(subject: str) -> str:
    """``request:2018-001`` → 申请 2018-001; ``document:3/guanzhengfa-2018-64`` → 文件 …"""
    prefix, _, rest = subject.partition(":")
    if prefix not in SUBJECT_LABELS:
        return subject
    return f"{SUBJECT_LABELS[prefix]} {rest.split('/', 1)[-1]}"


@register.filter
def book_title(title: str) -> str:
    """《关于印发〈…〉的通知》: nested title marks per GB/T 15834 (``core.marks``)."""
    from gongbao.core.marks import book_title as marks

    return marks(str(title))


@register.filter
def has_duplicates(req) -> bool:
    """A second identical application within a day (``services.possible_duplicates``)."""
    from gongbao.site.disclosure.services import possible_duplicates

    return bool(possible_duplicates(req))
