from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "gongbao.site.opendata"
    label = "opendata"
    verbose_name = "开放数据与电子签名"
