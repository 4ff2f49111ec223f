"""Disclosure permissions for the archive's roles (editor, reviewer, admin), after every migrate.

Adds to the groups ``gongbao.site.archive.roles`` creates; never removes theirs.
editor (also the 信息公开工作人员): 公开属性, requests, messages, catalog, 解读, report text;
reviewer: the privacy review, extension approval, publishing the annual report;
admin: all disclosure permissions.
"""

from __future__ import annotations

from gongbao.site.archive.roles import grant

_VIEW = [
    "view_config", "view_calendarday", "view_catalogitem", "view_disclosurerecord",
    "view_privacydecision", "view_request", "view_auditentry", "view_interpretation",
    "view_message", "view_annualreport",
]  # fmt: skip
DISCLOSURE_ROLES: dict[str, list[str]] = {
    "editor": [
        *_VIEW, "set_attribute", "change_disclosurerecord", "handle_request", "answer_message",
        "add_catalogitem", "change_catalogitem", "add_interpretation", "change_interpretation",
        "add_annualreport", "change_annualreport", "add_calendarday", "change_calendarday",
    ],
    "reviewer": [*_VIEW, "review_privacy", "approve_extension", "change_annualreport", "publish_report"],
    "admin": ["*"],
}  # fmt: skip


def ensure_disclosure_permissions(**_: object) -> None:
    grant("disclosure", DISCLOSURE_ROLES)
