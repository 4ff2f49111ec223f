"""The REST API app (开放接口); it listens to nothing."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongbao.site.api"
    label = "api"
    verbose_name = "开放接口"
