"""The privacy review before publication: findings per document, reviewers' decisions, the publish check."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongbao.core import privacy
from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive.models import Document, Issue
from gongbao.site.disclosure.models import (
    DisclosureRecord,
    PrivacyDecision,
)
from gongbao.site.disclosure.redaction import node_texts
from gongbao.site.disclosure.services.attributes import doc_subject, ensure_records, touch
from gongbao.site.disclosure.services.common import PublishBlocked, audit


@dataclass
class DocFinding:
    document: Document
    finding: privacy.PrivacyFinding


def scan_document(document: Document) -> list[privacy.PrivacyFinding]:
    return [f for text in node_texts(document.data) for f in privacy.scan(text)]


def scan_issue(issue: Issue) -> list[PrivacyDecision]:
    """Scan every document of the issue; new findings become pending decisions. Returns them all."""
    rows: list[PrivacyDecision] = []
    for doc in issue.documents.order_by("seq"):
        seen: set[tuple[str, str]] = set()
        for f in scan_document(doc):
            if (f.kind, f.text) in seen:
                continue
            seen.add((f.kind, f.text))
            row, _ = PrivacyDecision.objects.get_or_create(
                gazette_id=doc.gazette_id,
                ident=doc.ident,
                kind=f.kind,
                text=f.text[:200],
                defaults={
                    "masked": f.masked[:200],
                    "context": f"{f.before}【{f.text}】{f.after}"[:300],
                },
            )
            rows.append(row)
    return rows


def _issue_findings(issue: Issue) -> list[tuple[Document, privacy.PrivacyFinding]]:
    out = []
    for doc in issue.documents.order_by("seq"):
        seen: set[tuple[str, str]] = set()
        for f in scan_document(doc):
            if (f.kind, f.text) not in seen:
                seen.add((f.kind, f.text))
                out.append((doc, f))
    return out


def recorded_findings(issue: Issue) -> list[PrivacyDecision]:
    """The decisions already recorded for the issue's documents (reads only)."""
    order = {
        ident: n
        for n, ident in enumerate(issue.documents.order_by("seq").values_list("ident", flat=True))
    }
    rows = PrivacyDecision.objects.filter(gazette_id=issue.gazette_id, ident__in=order)
    return sorted(rows, key=lambda r: (order[r.ident], r.pk))


def unrecorded_findings(issue: Issue) -> int:
    """How many findings of the issue have no decision row yet (reads only)."""
    known = set(
        PrivacyDecision.objects.filter(gazette_id=issue.gazette_id).values_list(
            "ident", "kind", "text"
        )
    )
    return sum((d.ident, f.kind, f.text[:200]) not in known for d, f in _issue_findings(issue))


def decide(decision: PrivacyDecision, accept: bool, user: Actor = None) -> PrivacyDecision:
    """Accept (mask in public outputs) or reject (keep the original) one finding."""
    new = PrivacyDecision.ACCEPTED if accept else PrivacyDecision.REJECTED
    with transaction.atomic():
        before = decision.get_decision_display()
        decision.decision = new
        decision.decided_by = staff_member(user)
        decision.decided_at = timezone.now()
        decision.save()
        audit(
            doc_subject(decision.gazette_id, decision.ident),
            "个人信息审查",
            user,
            before=before,
            after=decision.get_decision_display(),
            note=f"{privacy.KIND_LABELS.get(decision.kind, decision.kind)}：{decision.masked}",
        )
        touch(decision.gazette_id, decision.ident)
    return decision


def unresolved(issue: Issue) -> list[PrivacyDecision]:
    """Pending findings in the issue's 主动公开 documents (what blocks publication)."""
    rows = scan_issue(issue)
    hidden = set(
        DisclosureRecord.objects.filter(
            gazette_id=issue.gazette_id, attribute__in=DisclosureRecord.NON_PUBLIC
        ).values_list("ident", flat=True)
    )
    return [r for r in rows if r.decision == PrivacyDecision.PENDING and r.ident not in hidden]


def check_publishable(issue: Issue) -> None:
    """Before publication (disclosure's receiver of the archive's ``publishing`` signal,
    ``disclosure/apps.py``): records, 索引号, and the privacy review."""
    issue = Issue.objects.get(pk=issue.pk)
    if issue.is_published:
        return
    with transaction.atomic():
        ensure_records(issue)
        pending = unresolved(issue)
    if pending:
        raise PublishBlocked(
            f"{issue.ident} 还有 {len(pending)} 处个人信息未审查（去标识化或保留），不能发布；"
            f"请到 /xxgk/staff/privacy/{issue.pk}/ 逐条处理。"
        )
