from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gongbao.site.web"
    label = "web"
    verbose_name = "公报网站"
