"""``/library/files/<id>/<name>``: a library document's saved attachment."""

from __future__ import annotations

from django.urls import path

from gongbao.site.portal import views

app_name = "portal"
urlpatterns = [path("library/files/<int:pk>/<str:name>", views.download, name="file")]
