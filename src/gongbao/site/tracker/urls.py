from django.urls import path

from gongbao.site.tracker import views

app_name = "tracker"
urlpatterns = [
    path("", views.index, name="index"),
    path("document/<int:pk>/", views.document, name="document"),
    path("document/<int:pk>/review/", views.review, name="review"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("unit/<int:pk>/merge/", views.merge_unit, name="merge_unit"),
    path("task/<int:pk>/progress/", views.progress, name="progress"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("report/", views.report_current, name="report_current"),
    path("report/<str:quarter>/", views.report, name="report"),
    path("report/<str:quarter>/pdf/", views.report_pdf, name="report_pdf"),
    path("api/tasks.json", views.api_json, name="api_json"),
    path("api/tasks.csv", views.api_csv, name="api_csv"),
]
