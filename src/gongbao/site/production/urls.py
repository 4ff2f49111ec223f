"""The production URLs (收稿、编排、校对、签发、出刊) under ``production/``, for the gazette office."""

from django.urls import path

from gongbao.site.production import views

# Issues are addressed by their identifier (guanxian-2025-07), never by row ids.
app_name = "production"
urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("submission/<int:pk>/return/", views.return_submission, name="return"),
    path("issue/new/", views.new_issue, name="new_issue"),
    path("issue-date/", views.issue_date, name="issue_date"),
    path("issue/<slug:ident>/", views.issue, name="issue"),
    path("issue/<slug:ident>/reorder/", views.reorder, name="reorder"),
    path("issue/<slug:ident>/print.pdf", views.print_pdf, name="print"),
    path("issue/<slug:ident>/<slug:name>/", views.action, name="action"),
    path("correction/<int:pk>/", views.correction, name="correction"),
]
