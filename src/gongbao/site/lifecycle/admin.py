"""Review in the admin: confirm, correct or reject the extracted 施行/有效期 and relations.

Edits go through ``services.correct`` so that each changed field is stored as a
``Correction`` (the extractor's evaluation data) and the row counts as confirmed.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from gongbao.site.archive.models import Document
from gongbao.site.lifecycle import services
from gongbao.site.lifecycle.models import Correction, Life, Relation


class ReviewActions:
    """Confirm and reject actions shared by both proposal lists."""

    actions = ["confirm", "reject"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_confirm_permission(self, request) -> bool:
        return request.user.has_perm("lifecycle.confirm_lifecycle")

    @admin.action(description="确认所选", permissions=["confirm"])
    def confirm(self, request, queryset) -> None:
        for row in queryset:
            services.confirm(row, request.user)
        messages.success(request, f"已确认 {queryset.count()} 项。")

    @admin.action(description="驳回所选（原文并无此意）", permissions=["confirm"])
    def reject(self, request, queryset) -> None:
        for row in queryset:
            services.reject(row, request.user)
        messages.success(request, f"已驳回 {queryset.count()} 项。")

    def save_model(self, request, obj, form, change: bool) -> None:
        fresh = type(obj).objects.get(pk=obj.pk)
        services.correct(fresh, request.user, **{f: form.cleaned_data[f] for f in self.editable})


class EndsWithin(admin.SimpleListFilter):
    """Documents whose 有效期 (as confirmed and extended) ends within 90 or 180 days, or ended."""

    title = "有效期"
    parameter_name = "ends"

    def lookups(self, request, model_admin):
        return [("90", "90日内届满"), ("180", "180日内届满"), ("past", "已届满且未延长")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        today = timezone.localdate()
        docs = Document.objects.filter(life__in=queryset)
        if self.value() == "past":
            ended = [d.pk for d in docs if services.status_of(d, today).code == "expired"]
            return queryset.filter(document__in=ended)
        found = services.expiring(today, int(self.value()), docs)
        return queryset.filter(document__in=[e.document.pk for e in found])


@admin.register(Life)
class LifeAdmin(ReviewActions, admin.ModelAdmin):
    editable = services.LIFE_FIELDS
    list_display = ["document", "effective", "expires", "status", "reviewed_by"]
    list_filter = ["status", EndsWithin]
    search_fields = ["document__title", "document__doc_number"]
    fields = ["document", *editable, "sentence", "anchor", "status", "extracted"]
    readonly_fields = ["document", "sentence", "anchor", "status", "extracted"]


@admin.register(Relation)
class RelationAdmin(ReviewActions, admin.ModelAdmin):
    editable = services.RELATION_FIELDS
    list_display = ["source", "kind", "target_title", "target_number", "target", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["source__title", "target_title", "target_number", "sentence"]
    fields = ["source", *editable, "target", "sentence", "anchor", "status", "extracted"]
    readonly_fields = ["source", "target", "sentence", "anchor", "status", "extracted"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["document", "item", "field", "before", "after", "user", "created_at"]
    list_filter = ["field"]
    readonly_fields = ["document", "item", "field", "before", "after", "user", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
