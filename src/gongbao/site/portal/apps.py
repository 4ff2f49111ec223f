"""The saved web page app (网页来源): records a saved page's metadata table and
attachments when the archive imports it (``archive.signals.saved_page_imported``)."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongbao.site.portal"
    label = "portal"
    verbose_name = "网页来源"

    def ready(self) -> None:
        from gongbao.site.archive import signals

        signals.saved_page_imported.connect(_record, dispatch_uid="portal-record")


def _record(sender, issue, ident: str, source: str, metadata: dict, files: list, **kwargs) -> None:
    """In the import's transaction: the saved page's metadata table and attachments."""
    from gongbao.site.portal import services

    services.record(issue.gazette, ident, source, metadata, files)
