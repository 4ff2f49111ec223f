"""The gazette profile app (公报配置): creates the profile editors' permissions after migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GazettesConfig(AppConfig):
    name = "gongbao.site.gazettes"
    label = "gazettes"
    verbose_name = "公报配置"

    def ready(self) -> None:
        from gongbao.site.gazettes.roles import ensure_profile_permissions

        post_migrate.connect(ensure_profile_permissions, sender=self)
