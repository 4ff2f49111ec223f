"""The access-limits app (访问限制): per-client request budgets; no receivers."""

from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "gongbao.site.limits"
    label = "limits"
    verbose_name = "访问限制"
