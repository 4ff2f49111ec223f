"""The review's staff URLs under ``/xxgk/`` (信息公开): a reviewer's extension decisions."""

from __future__ import annotations

from django.urls import path

from gongbao.site.review import views

app_name = "review"

urlpatterns = [
    path(
        "staff/requests/<str:number>/extension/<int:pk>/<str:decision>/",
        views.decide_extension,
        name="extension-decide",
    ),
]
