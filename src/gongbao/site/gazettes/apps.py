from django.apps import AppConfig


class GazettesConfig(AppConfig):
    name = "gongbao.site.gazettes"
    label = "gazettes"
    verbose_name = "公报配置"
