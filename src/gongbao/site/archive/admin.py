"""Staff admin: review drafts and their proofreading report, ask to publish, withdraw issues.

Content comes in only through import (``gongbao import``); the admin never edits
document text, so the archive stays what the parser produced from the file.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest

from gongbao.site.admin_base import ReadOnlyMixin
from gongbao.site.archive import signals
from gongbao.site.archive.models import (
    Document,
    Finding,
    Gazette,
    ImportRecord,
    Issue,
    IssueVersion,
)
from gongbao.site.archive.services import unpublish_issue


class FindingInline(ReadOnlyMixin, admin.TabularInline):
    model = Finding
    fields = ("severity", "message", "document_seq", "line_start")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = "校对报告"


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = IssueVersion
    fields = ("number", "source_name", "content_hash", "imported_at")
    readonly_fields = fields
    extra = 0


@admin.register(Gazette)
class GazetteAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "latin_name")


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("__str__", "ident", "status", "published_at", "updated_at")
    list_filter = ("status", "gazette", "year")
    search_fields = ("ident",)
    readonly_fields = (
        "gazette", "ident", "year", "number", "number_end", "cumulative_number", "slogan",
        "sections", "status", "published_at", "published_by", "content_hash",
    )  # fmt: skip
    exclude = ("toc",)
    inlines = (FindingInline, VersionInline)
    actions = ("publish", "unpublish")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="申请发布所选期（须另一位审核人批准）", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset) -> None:
        # Four eyes: the editor's action is a request, which ``review`` records; a
        # different reviewer publishes it (发布审核). Nothing goes public from it alone.
        done = 0
        for issue in queryset:
            try:
                signals.ask(
                    signals.publication_requested, "publication_requested", issue=issue,
                    user=request.user,
                )  # fmt: skip
                done += 1
            except signals.Refused as exc:
                self.message_user(request, str(exc), messages.ERROR)
        if done:
            self.message_user(
                request, f"已提交 {done} 期的发布申请，待审核人批准。", messages.SUCCESS
            )

    @admin.action(description="撤回所选期为草稿", permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset) -> None:
        for issue in queryset:
            unpublish_issue(issue)
        self.message_user(request, f"已撤回 {queryset.count()} 期。", messages.WARNING)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("archive.publish_issue")


@admin.register(Document)
class DocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "doc_number", "issuer", "date", "issue")
    list_filter = ("kind", "gazette", "issue__status")
    search_fields = ("title", "doc_number", "ident")
    exclude = ("data",)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("archive.view_document")


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "path", "outcome", "message", "issue", "version")
    list_filter = ("outcome",)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("archive.view_importrecord")
