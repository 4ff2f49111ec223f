from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongbao.site.portal"
    label = "portal"
    verbose_name = "网页来源"
