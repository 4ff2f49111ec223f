"""The disclosure app (政务公开): registers the access policy (what the public may see),
the publish check, the audit of versions and profile saves, and the moving of its
records when documents are renamed, as receivers of the archive's and gazettes' signals."""

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
        from gongbao.site import access
        from gongbao.site.archive import signals
        from gongbao.site.disclosure.catalog import ensure_catalog
        from gongbao.site.disclosure.policy import POLICY
        from gongbao.site.disclosure.roles import ensure_disclosure_permissions
        from gongbao.site.gazettes.signals import profile_saved

        access.register(POLICY)  # what the public may see depends on disclosure's records
        post_migrate.connect(ensure_disclosure_permissions, sender=self)
        post_migrate.connect(ensure_catalog, sender=self)
        signals.publishing.connect(_check_publishable, dispatch_uid="disclosure-publishable")
        signals.version_stored.connect(_audit_version, dispatch_uid="disclosure-audit-version")
        signals.documents_renamed.connect(_move_records, dispatch_uid="disclosure-move-records")
        profile_saved.connect(_audit_profile, dispatch_uid="disclosure-audit-profile")


def _check_publishable(sender, issue, **kwargs) -> None:
    """Before publication: 公开属性 records and 索引号; PublishBlocked while privacy review waits."""
    from gongbao.site.disclosure.services import check_publishable

    check_publishable(issue)


def _audit_version(sender, issue, version: int, note: str, **kwargs) -> None:
    """A new version of an issue is a change of record: who can see what went and changed."""
    from gongbao.site.disclosure.services import audit

    audit(f"issue:{issue.ident}", "import.version", after=f"第{version}版", note=note)


def _audit_profile(sender, profile, version: int, name: str, **kwargs) -> None:
    """A saved gazette profile is a change of record: who saved which version, and why."""
    from gongbao.site.disclosure.services import audit

    audit(
        f"gazette:{profile.gazette.slug}",
        "profile.save",
        profile.saved_by,
        after=f"第{version}版：{name}",
        note=profile.note,
    )


def _move_records(sender, gazette, renamed: dict[str, str], **kwargs) -> None:
    """In the import's transaction: renamed documents keep their records (公开属性, privacy…)."""
    from gongbao.site.disclosure.models import (
        DisclosureRecord,
        Interpretation,
        Message,
        PrivacyDecision,
    )

    for model in (DisclosureRecord, PrivacyDecision, Interpretation, Message):
        qs = model.objects.filter(gazette=gazette)
        moving = list(qs.filter(ident__in=list(renamed)).values_list("pk", "ident"))
        # Rows left under a new ident by no document would clash with the ones moving in.
        qs.filter(ident__in=list(renamed.values())).exclude(ident__in=list(renamed)).delete()
        for pk, _ in moving:
            qs.filter(pk=pk).update(ident=f"~{pk}")
        for pk, ident in moving:
            qs.filter(pk=pk).update(ident=renamed[ident])
