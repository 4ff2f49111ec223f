"""The search app (全文检索): hears of archive changes through ``archive.signals``
(log in the transaction, index after the commit) and hands them to ``sync``."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongbao.site.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongbao.site.archive import signals

        signals.content_changed.connect(_log_change, dispatch_uid="search-log-change")
        signals.content_committed.connect(_catch_up, dispatch_uid="search-catch-up")


def _log_change(sender, issue, **kwargs) -> None:
    """In the archive's transaction: every server's index catches up from the log."""
    from gongbao.site.search import sync

    sync.log_change(issue)


def _catch_up(sender, issue_id, **kwargs) -> None:
    """After the commit: this process's index; a failure is logged, the archive stands."""
    from gongbao.site.search import sync

    sync.after_commit(issue_id)
