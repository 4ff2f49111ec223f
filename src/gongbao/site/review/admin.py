"""发布审核 in the admin: editors fill in a correction's note and reason, reviewers decide.

Refusals (four eyes, privacy review pending) are shown as messages on the page,
never as a bare error.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest

from gongbao.site.review.models import Publication
from gongbao.site.review.services import ReviewRefused, approve, reject


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("issue", "kind", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("status", "kind")
    fields = (
        "issue", "kind", "status", "source_name", "note", "reason", "requested_by",
        "requested_at", "decided_by", "decided_at", "decision_note", "version",
    )  # fmt: skip
    actions = ("approve_selected", "reject_selected")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from the issue list and from import

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the record of who asked and who approved stays

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        editable = {"note", "reason"} if obj is not None and obj.is_pending else set()
        if not request.user.has_perm("review.request_publication"):
            editable = set()
        return [f for f in self.fields if f not in editable]

    @admin.action(description="批准所选申请（发布或勘误生效）", permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset) -> None:
        from gongbao.site.disclosure.services import PublishBlocked

        for pub in queryset:
            try:
                approve(pub, request.user)
                self.message_user(request, f"已批准：{pub.issue.ident} {pub.get_kind_display()}")
            except (ReviewRefused, PublishBlocked) as exc:
                self.message_user(request, str(exc), messages.ERROR)

    @admin.action(description="退回所选申请", permissions=["approve"])
    def reject_selected(self, request: HttpRequest, queryset) -> None:
        for pub in queryset:
            try:
                reject(pub, request.user, "审核未通过，已退回")
                self.message_user(request, f"已退回：{pub.issue.ident} {pub.get_kind_display()}")
            except ReviewRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("review.approve_publication")
