"""The new media app (新媒体): 公众号 exports and share cards; it listens to nothing."""

from django.apps import AppConfig


class NewMediaConfig(AppConfig):
    name = "gongbao.site.newmedia"
    label = "newmedia"
    verbose_name = "新媒体"
