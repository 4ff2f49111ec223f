"""The production app (公报编辑出刊): its roles, and a guard that keeps an issue in
production from being published any other way than by 出刊."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


class ProductionConfig(AppConfig):
    name = "gongbao.site.production"
    label = "production"
    verbose_name = "公报编辑出刊"

    def ready(self) -> None:
        from gongbao.site.archive.models import Issue
        from gongbao.site.production.guard import guard_publication
        from gongbao.site.production.roles import ensure_production_permissions

        post_migrate.connect(ensure_production_permissions, sender=self)
        pre_save.connect(guard_publication, sender=Issue, dispatch_uid="production-guard")
