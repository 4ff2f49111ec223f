"""The task-tracking app (任务督办): flags a changed or dropped document's tasks for a
reviewer when the archive says so (``archive.signals.documents_changed``)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "gongbao.site.tracker"
    label = "tracker"
    verbose_name = "任务督办"

    def ready(self) -> None:
        from gongbao.site.archive import signals
        from gongbao.site.tracker.roles import ensure_tracker_permissions

        post_migrate.connect(ensure_tracker_permissions, sender=self)
        signals.documents_changed.connect(_flag_tasks, dispatch_uid="tracker-flag-tasks")


def _flag_tasks(sender, document_ids, flag: str, note: str, **kwargs) -> None:
    """A changed or dropped document's tasks stay; a reviewer is asked to look again."""
    from gongbao.site.tracker.models import Task

    Task.objects.filter(document_id__in=document_ids).update(
        review_flag=flag, review_note=note[:300]
    )
