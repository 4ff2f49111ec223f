"""Production in the admin: department accounts' units (editable), the rest to read.

Every step of the workflow is taken on ``/production/`` through ``services`` (audited);
the admin lists what was done and sets which unit a department account submits for.
"""

from __future__ import annotations

from django.contrib import admin

from gongbao.site.admin_base import ReadOnlyMixin
from gongbao.site.production.models import (
    Correction,
    DepartmentAccount,
    Edition,
    SignOff,
    Submission,
)


@admin.register(DepartmentAccount)
class DepartmentAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "unit")
    search_fields = ("user__username", "unit")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "doc_number", "unit", "status", "revision", "submitted_at")
    list_filter = ("status", "unit")
    search_fields = ("title", "doc_number", "unit")


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("composition", "reviewer", "signed_at", "voided_at", "void_reason")


@admin.register(Edition)
class EditionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("composition", "content_hash", "manifest_sha256", "published_at")


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("document", "status", "reason", "requested_by", "decided_by", "version")
