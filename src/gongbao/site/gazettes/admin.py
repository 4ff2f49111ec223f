"""Gazette profiles in the admin: view the current one and its history; save a new version.

The text is checked (``gongbao.core.profile``) before it is saved; a profile that
cannot be used is shown back with its Chinese message. Saving never overwrites a
version: ``services.save_profile`` adds one.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from gongbao.site.gazettes import services
from gongbao.site.gazettes.models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("gazette", "text", "note")
        widgets = {"text": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"})}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            services.parse_profile(text)
        except services.ProfileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileForm
    list_display = ("gazette", "saved_at", "saved_by", "note")
    list_filter = ("gazette",)

    def get_changeform_initial_data(self, request):
        """A new version starts from the current text of the gazette asked for (``?gazette=``)."""
        initial = super().get_changeform_initial_data(request)
        gazette = services.Gazette.objects.filter(pk=initial.get("gazette") or 0).first()
        if gazette is not None:
            initial["text"] = services.profile_text(gazette)
        return initial

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = services.save_profile(
            form.cleaned_data["gazette"],
            form.cleaned_data["text"],
            request.user,
            form.cleaned_data.get("note", ""),
        )
        obj.pk, obj.saved_at, obj.saved_by = saved.pk, saved.saved_at, saved.saved_by
