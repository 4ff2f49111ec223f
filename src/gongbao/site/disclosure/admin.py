"""Disclosure tables in the admin: settings, calendar, catalog, 解读 (staff edit these here)."""

from __future__ import annotations

from django.contrib import admin

from gongbao.site.admin_base import ReadOnlyMixin
from gongbao.site.disclosure.models import (
    AuditEntry,
    CalendarDay,
    CatalogItem,
    Config,
    Interpretation,
)


@admin.register(Config)
class ConfigAdmin(admin.ModelAdmin):
    list_display = ("organ", "office", "index_scheme", "repeat_threshold")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "is_working", "note")
    list_filter = ("is_working",)


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    list_display = ("code", "area", "responsible_unit", "time_limit", "channel", "position")
    search_fields = ("area", "content")


@admin.register(Interpretation)
class InterpretationAdmin(admin.ModelAdmin):
    list_display = ("title", "ident", "approved", "created_at")
    list_filter = ("approved",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "subject_name", "action_name", "before", "after", "actor")
    search_fields = ("subject",)

    @admin.display(description="对象", ordering="subject")
    def subject_name(self, obj: AuditEntry) -> str:
        from gongbao.site.disclosure.templatetags.disclosure_tags import subject_label

        return subject_label(obj.subject)

    @admin.display(description="操作", ordering="action")
    def action_name(self, obj: AuditEntry) -> str:
        from gongbao.site.disclosure.templatetags.disclosure_tags import action_label

        return action_label(obj.action)
