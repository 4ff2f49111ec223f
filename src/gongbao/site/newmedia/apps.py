from django.apps import AppConfig


class NewMediaConfig(AppConfig):
    name = "gongbao.site.newmedia"
    label = "newmedia"
    verbose_name = "新媒体"
