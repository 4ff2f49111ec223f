from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewConfig(AppConfig):
    name = "gongbao.site.review"
    label = "review"
    verbose_name = "发布审核"

    def ready(self) -> None:
        from gongbao.site.review.services import ensure_review_permissions

        post_migrate.connect(ensure_review_permissions, sender=self)
