"""The task tracker's URLs (任务督办), mounted under ``tasks/``."""

from django.urls import path

from gongbao.site.tracker import views

# Pages are addressed by identifiers (gazette and document ident, task key, unit name,
# evidence file name), never by row ids: links survive a re-import and say what they show.
app_name = "tracker"
urlpatterns = [
    path("", views.index, name="index"),
    path("document/<slug:gazette>/<slug:ident>/", views.document, name="document"),
    path("document/<slug:gazette>/<slug:ident>/review/", views.review, name="review"),
    path("unit/<str:name>/", views.unit, name="unit"),
    path("unit/<str:name>/merge/", views.merge_unit, name="merge_unit"),
    path("task/<slug:gazette>/<slug:ident>/<str:key>/progress/", views.progress, name="progress"),
    path("evidence/<path:name>", views.evidence, name="evidence"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("report/", views.report_current, name="report_current"),
    path("report/<str:quarter>/", views.report, name="report"),
    path("report/<str:quarter>/pdf/", views.report_pdf, name="report_pdf"),
    path("api/tasks.json", views.api_json, name="api_json"),
    path("api/tasks.csv", views.api_csv, name="api_csv"),
]
