"""The review app (发布审核): connects the archive's and disclosure's four-eyes requests
(corrections, publications, deadline extensions) to review's services at start-up."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewConfig(AppConfig):
    name = "gongbao.site.review"
    label = "review"
    verbose_name = "发布审核"

    def ready(self) -> None:
        from gongbao.site.archive import signals
        from gongbao.site.disclosure.signals import extension_requested
        from gongbao.site.review.services import ensure_review_permissions

        post_migrate.connect(ensure_review_permissions, sender=self)
        signals.correction_received.connect(_hold_correction, dispatch_uid="review-correction")
        signals.publication_requested.connect(_request_publication, dispatch_uid="review-publish")
        extension_requested.connect(_request_extension, dispatch_uid="review-extension")


def _hold_correction(
    sender, issue, source: bytes, name: str, digest: str, user, note: str, reason: str, **kwargs
) -> None:
    """In the import's transaction: a correction of a published issue waits for a reviewer."""
    from gongbao.site.review.services import hold_correction

    hold_correction(
        issue, source=source, name=name, digest=digest, user=user, note=note, reason=reason
    )


def _request_publication(sender, issue, user, **kwargs) -> None:
    """The admin's publish action: a request that another person, a reviewer, approves."""
    from gongbao.site.archive.signals import Refused
    from gongbao.site.review.services import ReviewRefused, request_publication

    try:
        request_publication(issue, user)
    except ReviewRefused as exc:
        raise Refused(str(exc)) from exc


def _request_extension(sender, req, officer, days: int, notice: str, reason: str, **kwargs) -> None:
    """An officer's extension of a reply deadline waits for a reviewer (DisclosureError if refused)."""
    from gongbao.site.review.services import request_extension

    request_extension(req, officer, days, notice, reason)
