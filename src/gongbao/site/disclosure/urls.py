"""Disclosure URLs under ``/xxgk/`` (信息公开): public pages first, staff pages under ``staff/``."""

from __future__ import annotations

from django.urls import path

from gongbao.site.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("status/", views.status, name="status"),
    path("catalog/", views.catalog_page, name="catalog"),
    path("directory/", views.directory, name="directory"),
    path("jiedu/", views.interpretations, name="interpretations"),
    path("jiedu/<int:pk>/", views.interpretation, name="interpretation"),
    path("jiedu/<int:pk>/image/", views.interpretation_image, name="interpretation-image"),
    path("liuyan/", views.messages_page, name="messages"),
    path("report/<int:year>/", views.annual_report, name="report"),
    path("staff/", views.dashboard, name="dashboard"),
    path("staff/register/", views.register, name="register"),
    path("staff/requests/<str:number>/", views.request_detail, name="request"),
    path("staff/requests/<str:number>/letter/", views.letter, name="letter"),
    path("staff/requests/<str:number>/<str:action>/", views.request_action, name="request-action"),
    path("staff/privacy/<int:issue_pk>/", views.privacy_review, name="privacy"),
    path("staff/documents/<slug:gazette>/<str:ident>/", views.document_record, name="record"),
    path("staff/messages/<int:pk>/", views.message_answer, name="message"),
    path("staff/report/<int:year>/", views.report_edit, name="report-edit"),
    path("staff/report/<int:year>/pdf/", views.report_pdf, name="report-pdf"),
    path("staff/calendar/", views.calendar_load, name="calendar"),
]
