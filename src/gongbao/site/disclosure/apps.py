from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DisclosureConfig(AppConfig):
    name = "gongbao.site.disclosure"
    label = "disclosure"
    verbose_name = "政务公开"

    def ready(self) -> None:
        from django.conf import settings

        from gongbao.core import privacy

        privacy.configure(
            official_contacts_public=getattr(settings, "GONGBAO_PUBLIC_CONTACTS", True)
        )
        from gongbao.site.disclosure.catalog import ensure_catalog
        from gongbao.site.disclosure.roles import ensure_disclosure_permissions

        post_migrate.connect(ensure_disclosure_permissions, sender=self)
        post_migrate.connect(ensure_catalog, sender=self)
