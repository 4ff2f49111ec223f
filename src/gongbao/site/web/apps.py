"""The public web app (公报网站): the pages; it listens to nothing and nothing below it imports it."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gongbao.site.web"
    label = "web"
    verbose_name = "公报网站"
