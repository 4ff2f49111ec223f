"""The API's one URL prefix, ``api/v1/``; its routes are django-ninja's (``api.views``)."""

from django.urls import path

from gongbao.site.api.views import api

urlpatterns = [path("api/v1/", api.urls)]
