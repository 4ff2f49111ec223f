"""The open data app (开放数据与电子签名): after the archive's commit, refreshes manifests,
citations and bulk files (``archive.signals.content_committed``)."""

from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "gongbao.site.opendata"
    label = "opendata"
    verbose_name = "开放数据与电子签名"

    def ready(self) -> None:
        from gongbao.site.archive import signals

        signals.content_committed.connect(_refresh, dispatch_uid="opendata-refresh")


def _refresh(sender, issue_id, **kwargs) -> None:
    """After the archive's commit: manifests, citations, bulk files (failures logged)."""
    from gongbao.site.opendata import changes

    changes.after_commit(issue_id)
