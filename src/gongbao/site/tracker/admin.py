"""Review in the admin: confirm, correct or reject extracted tasks; keep unit aliases.

Corrections made here go through ``services.correct_task`` so that each changed
field is stored as a ``Correction`` (the extractor's evaluation data).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from gongbao.core.units import ROLES
from gongbao.site.tracker import services
from gongbao.site.tracker.models import Correction, Progress, Task, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "is_group", "alias_list"]
    search_fields = ["name"]
    list_filter = ["is_group"]

    @admin.display(description="别名")
    def alias_list(self, obj: Unit) -> str:
        return "、".join(obj.aliases or [])


class TaskForm(forms.ModelForm):
    """Units per role and dated deadlines as editable text; saved through ``correct_task``."""

    lead = forms.CharField(label="牵头单位", required=False, help_text="用顿号（、）分隔")
    cooperate = forms.CharField(label="配合单位", required=False)
    implement = forms.CharField(label="负责落实单位", required=False)
    responsible = forms.CharField(label="责任单位（未标职责）", required=False)
    deadline_dates = forms.CharField(
        label="期限日期", required=False, help_text="YYYY-MM-DD，用顿号分隔"
    )

    class Meta:
        model = Task
        fields = ["title", "assigned_on"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            units = services.task_units(self.instance)
            for role in ROLES:
                self.fields[role].initial = "、".join(units[role])
            self.fields["deadline_dates"].initial = "、".join(
                d["date"] for d in self.instance.deadlines if d.get("date")
            )


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]


# How a task was printed (core/tasks.py), as staff read it.
STYLE_LABELS = {"labelled": "分项标注（主要工作、责任分工）", "bracket": "条目后括注责任单位",
                "clause": "逐句括注责任单位"}  # fmt: skip


class StyleFilter(admin.SimpleListFilter):
    title = "写法"
    parameter_name = "style"

    def lookups(self, request, model_admin):
        return list(STYLE_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(style=self.value()) if self.value() else queryset


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    form = TaskForm
    list_display = ["number_key", "title", "document", "status", "deadline_list", "corrected"]
    list_filter = ["status", StyleFilter, "document"]
    search_fields = ["title", "text", "units_text"]
    readonly_fields = [
        "document",
        "key",
        "number",
        "heading_path",
        "text",
        "units_text",
        "style_name",
        "status",
        "extracted",
    ]
    actions = ["confirm", "reject"]
    fields = ["document", "key", "number", "heading_path", "title", "text", "units_text",
              "lead", "cooperate", "implement", "responsible", "deadline_dates", "assigned_on", "status", "style_name"]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="序号")
    def number_key(self, obj: Task) -> str:
        return obj.number or obj.key

    @admin.display(description="写法")
    def style_name(self, obj: Task) -> str:
        return STYLE_LABELS.get(obj.style, obj.style)

    @admin.display(description="期限")
    def deadline_list(self, obj: Task) -> str:
        return "、".join(d.get("date") or d.get("text", "") for d in obj.deadlines)

    @admin.display(description="已更正", boolean=True)
    def corrected(self, obj: Task) -> bool:
        return obj.corrections.exists()

    def save_model(self, request, obj: Task, form, change: bool) -> None:
        title = form.cleaned_data.get("title")
        assigned_on = form.cleaned_data.get("assigned_on")
        services.correct_task(
            Task.objects.get(pk=obj.pk),
            request.user,
            units={role: _split(form.cleaned_data.get(role, "")) for role in ROLES},
            deadlines=_split(form.cleaned_data.get("deadline_dates", "")),
            title=title,
            assigned_on=assigned_on,
            confirm=request.user.has_perm("tracker.confirm_task"),
        )

    def save_related(self, request, form, formsets, change) -> None:
        pass

    @admin.action(description="确认所选任务", permissions=["confirm"])
    def confirm(self, request, queryset) -> None:
        for task in queryset:
            services.confirm_task(task, request.user)
        messages.success(request, f"已确认 {queryset.count()} 项任务。")

    @admin.action(description="驳回所选任务（不是任务）", permissions=["confirm"])
    def reject(self, request, queryset) -> None:
        for task in queryset:
            services.reject_task(task, request.user)
        messages.success(request, f"已驳回 {queryset.count()} 项。")

    def has_confirm_permission(self, request) -> bool:
        return request.user.has_perm("tracker.confirm_task")


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "status", "date", "user"]
    list_filter = ["status", "unit"]
    readonly_fields = ["task", "unit", "status", "note", "evidence", "date", "user"]

    def has_add_permission(self, request) -> bool:
        return False


def correction_field_label(field: str) -> str:
    """``units.lead`` → 牵头单位: the Chinese name of a corrected field."""
    if field.startswith("units."):
        return ROLES.get(field.removeprefix("units."), field) + (
            "单位" if field != "units.responsible" else ""
        )
    return {"deadlines": "期限", "title": "任务名称", "status": "审核状态"}.get(field, field)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["task", "field_name", "before", "after", "user", "created_at"]
    list_filter = ["field"]
    readonly_fields = ["task", "field_name", "before", "after", "user", "created_at"]

    @admin.display(description="字段", ordering="field")
    def field_name(self, obj: Correction) -> str:
        return correction_field_label(obj.field)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
