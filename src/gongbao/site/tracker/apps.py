from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "gongbao.site.tracker"
    label = "tracker"
    verbose_name = "任务督办"

    def ready(self) -> None:
        from gongbao.site.tracker.roles import ensure_tracker_permissions

        post_migrate.connect(ensure_tracker_permissions, sender=self)
