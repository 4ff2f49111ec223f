"""The lifecycle app (时效性): its permissions, and the 时效性 step it registers into the
Akoma Ntoso that open data serves (``opendata.akn``)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LifecycleConfig(AppConfig):
    name = "gongbao.site.lifecycle"
    label = "lifecycle"
    verbose_name = "时效性"

    def ready(self) -> None:
        from gongbao.site.lifecycle.akn import with_lifecycle
        from gongbao.site.lifecycle.roles import ensure_lifecycle_permissions
        from gongbao.site.opendata import akn

        post_migrate.connect(ensure_lifecycle_permissions, sender=self)
        akn.register(with_lifecycle)  # the AKN opendata serves carries the confirmed 时效性
