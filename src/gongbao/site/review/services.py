"""Publication requests and their review: the only code that writes ``Publication``.

An editor (or an operator naming one) asks; a reviewer who is not the requester
approves or sends back. Approving a draft publishes it (``publish_issue``, with
its privacy gate); approving a correction imports the waiting file as the
issue's new version and applies the privacy gate to that version before
anything goes live. Every refusal is a ``ReviewRefused`` with a Chinese message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive.models import Issue
from gongbao.site.review.models import ExtensionRequest, Publication

if TYPE_CHECKING:
    from gongbao.site.disclosure.models import PrivacyDecision, Request

log = logging.getLogger("gongbao.review")

REVIEW_ROLES: dict[str, list[str]] = {
    "editor": ["view_publication", "change_publication", "request_publication"],
    "reviewer": ["view_publication", "approve_publication"],
    "admin": ["*"],
}


class ReviewRefused(Exception):
    """A request or an approval that the four-eyes rule does not allow (message in Chinese)."""


def ensure_review_permissions(**_: object) -> None:
    from gongbao.site.archive.roles import grant

    grant("review", REVIEW_ROLES)


def _audit(pub: Publication, action: str, actor: Actor, note: str = "") -> None:
    from gongbao.site.disclosure.services import audit

    audit(f"issue:{pub.issue.ident}", action, actor, after=pub.get_status_display(), note=note)


def pending(issue: Issue, kind: str | None = None) -> Publication | None:
    qs = Publication.objects.filter(issue=issue, status=Publication.PENDING)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.first()


def request_publication(issue: Issue, user: Actor = None) -> Publication:
    """An editor asks for a draft to be published; the same pending request is returned twice."""
    user = staff_member(user)
    if user is not None and not user.has_perm("review.request_publication"):
        raise ReviewRefused("只有编辑可以提交发布申请")
    issue = Issue.objects.get(pk=issue.pk)
    if issue.is_published:
        raise ReviewRefused(f"{issue.ident} 已发布；更正请导入改正后的文件，作为勘误提交审核")
    with transaction.atomic():
        found = pending(issue, Publication.PUBLISH)
        if found is not None:
            return found
        pub = Publication.objects.create(issue=issue, kind=Publication.PUBLISH, requested_by=user)
        _audit(pub, "publish.request", user)
    return pub


def hold_correction(
    issue: Issue, *, source: bytes, name: str, digest: str, user: Actor = None, note: str = "",
    reason: str = "",
) -> Publication:  # fmt: skip
    """A new version of a published issue waits for review; the public content stays as it is.

    Called by the import inside its transaction. A later file for the same issue
    replaces a correction still waiting (the reviewer sees only the latest).
    """
    user = staff_member(user)
    earlier = Publication.objects.filter(
        issue=issue, kind=Publication.CORRECTION, status=Publication.PENDING
    )
    for old in earlier:
        if old.content_hash == digest:
            return old
    earlier.update(
        status=Publication.REJECTED, decided_at=timezone.now(),
        decision_note="已被更新的更正文件取代",
    )  # fmt: skip
    pub = Publication.objects.create(
        issue=issue, kind=Publication.CORRECTION, source=source, source_name=name[:500],
        content_hash=digest, requested_by=user, note=note, reason=reason,
    )  # fmt: skip
    _audit(pub, "correction.request", user, note=f"{name}；{reason}"[:300])
    return pub


def check_reviewer(pub: Publication, reviewer: Actor) -> None:
    """The four-eyes rule: a reviewer, not the person who asked, approves a pending request."""
    reviewer = staff_member(reviewer)
    label = pub.get_kind_display()
    if not pub.is_pending:
        raise ReviewRefused(f"这项{label}申请已{pub.get_status_display()}，不能再审核")
    if reviewer is None:
        raise ReviewRefused(f"{label}须由审核人批准，请写明审核人")
    if not reviewer.has_perm("review.approve_publication"):
        raise ReviewRefused(f"{reviewer.get_username()} 不是审核人，不能批准{label}")
    if pub.requested_by_id is not None and pub.requested_by_id == reviewer.pk:
        raise ReviewRefused(f"不能批准自己提交的{label}申请：发布须经另一位审核人批准（双人审核）")


def approve(pub: Publication, reviewer: Actor, note: str = "") -> Publication:
    """Approve: publish the draft, or make the waiting correction the issue's public version.

    Raises ``ReviewRefused`` (four eyes, a correction without its note and reason)
    or ``disclosure.services.PublishBlocked`` (personal data awaiting review; the
    findings are recorded for the privacy review, nothing is published).
    """
    pub = Publication.objects.select_related("issue").get(pk=pub.pk)
    check_reviewer(pub, reviewer)
    if pub.kind == Publication.CORRECTION:
        if not pub.note.strip() or not pub.reason.strip():
            raise ReviewRefused("勘误须写明勘误说明和更正理由，请编辑补充后再批准")
        version: int | None = _apply_correction(pub)
    else:
        from gongbao.site.archive.services import publish_issue

        publish_issue(pub.issue, pub.requested_by)
        version = pub.issue.versions.count() or None
    with transaction.atomic():
        pub.status, pub.decided_by, pub.decided_at = Publication.APPROVED, reviewer, timezone.now()
        pub.decision_note, pub.version = note[:300], version
        pub.source = b""  # now in the archive as a version of its own
        pub.save()
        _audit(pub, f"{pub.kind}.approve", reviewer, note=note)
    log.info("%s 的%s已由 %s 批准", pub.issue.ident, pub.get_kind_display(), reviewer)
    return pub


def reject(pub: Publication, reviewer: Actor, note: str) -> Publication:
    """Send a request back with the reviewer's reason; a correction's file is dropped."""
    pub = Publication.objects.select_related("issue").get(pk=pub.pk)
    check_reviewer(pub, reviewer)
    if not note.strip():
        raise ReviewRefused("退回须写明理由")
    with transaction.atomic():
        pub.status, pub.decided_by, pub.decided_at = Publication.REJECTED, reviewer, timezone.now()
        pub.decision_note, pub.source = note[:300], b""
        pub.save()
        _audit(pub, f"{pub.kind}.reject", reviewer, note=note)
    return pub


class _PrivacyPending(Exception):
    def __init__(self, findings: list[dict]) -> None:
        self.findings = findings


def _apply_correction(pub: Publication) -> int:
    """Import the waiting file and run the privacy gate on the result, all or nothing."""
    from gongbao.site.archive.services import import_held
    from gongbao.site.disclosure import services as disclosure

    try:
        with transaction.atomic():
            outcome = import_held(bytes(pub.source), pub.source_name)
            if outcome.issue != pub.issue.ident or outcome.version is None:
                raise ReviewRefused(
                    f"更正文件未能成为 {pub.issue.ident} 的新版本：{outcome.message}"
                )
            issue = Issue.objects.get(pk=pub.issue.pk)
            disclosure.ensure_records(issue)
            waiting = disclosure.unresolved(issue)
            if waiting:
                # Rolled back below; what the reviewer must decide is recorded after that.
                raise _PrivacyPending([_finding(row) for row in waiting])
            return outcome.version
    except _PrivacyPending as exc:
        _record_findings(exc.findings)
        raise disclosure.PublishBlocked(
            f"{pub.issue.ident} 的勘误版本有 {len(exc.findings)} 处个人信息未审查（去标识化或保留），"
            f"不能发布；请到 /xxgk/staff/privacy/{pub.issue.pk}/ 逐条处理后再批准。"
        ) from None


def _finding(row: PrivacyDecision) -> dict[str, Any]:
    return {
        "gazette_id": row.gazette_id, "ident": row.ident, "kind": row.kind, "text": row.text,
        "masked": row.masked, "context": row.context,
    }  # fmt: skip


def _record_findings(findings: list[dict]) -> None:
    from gongbao.site.disclosure.models import PrivacyDecision

    for f in findings:
        PrivacyDecision.objects.get_or_create(
            gazette_id=f["gazette_id"], ident=f["ident"], kind=f["kind"], text=f["text"],
            defaults={"masked": f["masked"], "context": f["context"]},
        )  # fmt: skip


# -- extension of a reply deadline (依申请公开, Art 33) ---------------------------------


def request_extension(
    req: Request, officer: Actor, days: int, notice: str, reason: str = ""
) -> ExtensionRequest:
    """The handling officer asks for the one extension; nothing changes until a reviewer agrees."""
    from gongbao.site.disclosure import deadlines
    from gongbao.site.disclosure.services import DisclosureError, audit

    officer = staff_member(officer)
    if officer is None or not officer.has_perm("disclosure.handle_request"):
        raise DisclosureError("只有经办人可以申请延长答复期限")
    if req.extension_days:
        raise DisclosureError("答复期限只能延长一次")
    if req.extension_requests.filter(status=ExtensionRequest.PENDING).exists():
        raise DisclosureError("已有一项延长申请等待审核人批准")
    if not 1 <= days <= deadlines.MAX_EXTENSION_DAYS:
        raise DisclosureError("延长期限最长不超过20个工作日")
    if not notice.strip():
        raise DisclosureError("延长答复期限须告知申请人，请填写告知内容")
    row = ExtensionRequest.objects.create(
        request=req, days=days, notice=notice, reason=reason, requested_by=officer
    )
    audit(f"request:{req.number}", "extension.request", officer, after=f"申请延长{days}个工作日",
          note=reason)  # fmt: skip
    return row


def decide_extension(
    row: ExtensionRequest, reviewer: Actor, approve_it: bool, note: str = ""
) -> ExtensionRequest:
    """A reviewer other than the officer who asked approves (the deadline moves) or refuses."""
    from gongbao.site.disclosure import services as disclosure

    reviewer = staff_member(reviewer)
    if not row.is_pending:
        raise disclosure.DisclosureError(f"这项延长申请已{row.get_status_display()}")
    if reviewer is None or not reviewer.has_perm("disclosure.approve_extension"):
        raise disclosure.DisclosureError("延长答复期限须经政府信息公开工作机构负责人（审核人）同意")
    if row.requested_by_id == reviewer.pk:
        raise disclosure.DisclosureError("不能批准自己提出的延长申请：须由另一位审核人批准")
    with transaction.atomic():
        if approve_it:
            disclosure.extend(row.request, reviewer, row.days, row.notice)
        else:
            disclosure.audit(f"request:{row.request.number}", "extension.reject", reviewer,
                             after="不同意延长", note=note)  # fmt: skip
        row.status = row.APPROVED if approve_it else row.REJECTED
        row.decided_by, row.decided_at, row.decision_note = reviewer, timezone.now(), note[:300]
        row.save()
    return row
