"""The archive app (公报档案): creates the staff roles after migrate; it tells the apps
above it of changes through ``archive.signals``, never by importing them."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArchiveConfig(AppConfig):
    name = "gongbao.site.archive"
    label = "archive"
    verbose_name = "公报档案"

    def ready(self) -> None:
        from gongbao.site.archive.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
