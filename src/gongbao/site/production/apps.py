from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProductionConfig(AppConfig):
    name = "gongbao.site.production"
    label = "production"
    verbose_name = "公报编辑出刊"

    def ready(self) -> None:
        from gongbao.site.production.roles import ensure_production_permissions

        post_migrate.connect(ensure_production_permissions, sender=self)
