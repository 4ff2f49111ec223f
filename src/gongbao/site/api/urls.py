from django.urls import path

from gongbao.site.api.views import api

urlpatterns = [path("api/v1/", api.urls)]
