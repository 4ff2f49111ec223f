from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "gongbao.site.lifecycle"
    label = "lifecycle"
    verbose_name = "时效性"
