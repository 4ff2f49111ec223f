"""Archive services: the only code that writes the archive.

``import_file`` and ``publish_issue`` are called by the command line, the
admin and the tests alike. Each runs in one transaction: a file that fails
leaves the archive exactly as it was. Changes to published content bump the
archive generation, and the search index follows after the commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.db import OperationalError, transaction
from django.db.models import F, Max
from django.utils import timezone

from gongbao.core.export.json import to_dict
from gongbao.core.ids import gazette_slug
from gongbao.core.model import ParseResult
from gongbao.core.parse import parse_stream
from gongbao.core.readers import ReadError
from gongbao.core.readers.detect import read_source
from gongbao.site.archive.models import (
    ArchiveState,
    BodyNode,
    Document,
    Finding,
    Gazette,
    ImportRecord,
    Issue,
    IssueVersion,
    Redirect,
)

log = logging.getLogger("gongbao.archive")
T = TypeVar("T")
_LOCK_RETRIES = 8


class ImportFailed(Exception):
    """An issue file cannot go into the archive; the message is for the user (Chinese)."""


@dataclass
class ImportOutcome:
    path: str
    outcome: str  # ImportRecord.IMPORTED / UPDATED / UNCHANGED / FAILED
    message: str = ""
    issue: str = ""
    version: int | None = None


def import_file(path: str | Path) -> ImportOutcome:
    """Import one issue file: new issue, new version of an issue, or unchanged."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(path, "", f"无法读取文件：{exc.strerror or exc}")
    digest = hashlib.sha256(data).hexdigest()
    try:
        stream = read_source(data, name=path.name)
        result = parse_stream(stream, source=path.name)
        _check_importable(result)
        return with_lock_retries(lambda: _store(path, data, stream.text, digest, result))
    except (ReadError, ImportFailed) as exc:
        return _failed(path, digest, str(exc))


def _check_importable(result: ParseResult) -> None:
    issue = result.issue
    if issue.year is None or issue.number is None:
        raise ImportFailed("无法识别年份和期号（封面应有如“2018 第3期”的字样）")
    if not result.documents:
        raise ImportFailed("没有识别出任何文件")


def _failed(path: Path, digest: str, message: str) -> ImportOutcome:
    def record() -> None:
        with transaction.atomic():
            ImportRecord.objects.create(
                path=str(path), content_hash=digest, outcome=ImportRecord.FAILED, message=message
            )

    # Too busy even to note the failure: the caller still hears of it.
    with contextlib.suppress(ImportFailed):
        with_lock_retries(record)
    return ImportOutcome(str(path), ImportRecord.FAILED, message)


def with_lock_retries(action: Callable[[], T]) -> T:
    """Run ``action``, retrying a bounded number of times while SQLite says it is locked."""
    for attempt in range(_LOCK_RETRIES):
        try:
            return action()
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt))
    raise ImportFailed("档案库正忙（其他进程正在写入），多次重试后仍无法写入，请稍后再试")


def _store(path: Path, data: bytes, text: str, digest: str, result: ParseResult) -> ImportOutcome:
    with transaction.atomic():
        gazette = _gazette(result)
        parsed = result.issue
        issue = (
            Issue.objects.select_for_update()
            .filter(gazette=gazette, year=parsed.year, number=parsed.number)
            .first()
        )
        if issue is not None and issue.content_hash == digest:
            ImportRecord.objects.create(
                path=str(path), content_hash=digest, outcome=ImportRecord.UNCHANGED, issue=issue
            )
            return ImportOutcome(str(path), ImportRecord.UNCHANGED, issue=issue.ident)
        outcome = ImportRecord.UPDATED if issue is not None else ImportRecord.IMPORTED
        if issue is None:
            issue = Issue(gazette=gazette, year=parsed.year, number=parsed.number)
        _fill_issue(issue, result, digest)
        issue.save()
        version = (issue.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        IssueVersion.objects.create(
            issue=issue,
            number=version,
            content_hash=digest,
            source_name=path.name,
            source_text=text,
            parsed=to_dict(result),
        )
        _replace_documents(issue, result)
        if issue.is_published:
            bump_generation(issue)
        ImportRecord.objects.create(
            path=str(path), content_hash=digest, outcome=outcome, issue=issue, version=version
        )
        return ImportOutcome(str(path), outcome, issue=issue.ident, version=version)


def _gazette(result: ParseResult) -> Gazette:
    slug = gazette_slug(result.issue)
    gazette, _ = Gazette.objects.get_or_create(
        slug=slug,
        defaults={
            "name": result.issue.gazette or slug,
            "latin_name": result.issue.gazette_latin or "",
        },
    )
    return gazette


def _fill_issue(issue: Issue, result: ParseResult, digest: str) -> None:
    parsed = result.issue
    issue.ident = parsed.ident
    issue.number_end = parsed.number_end
    issue.cumulative_number = parsed.cumulative_number
    issue.slogan = parsed.slogan or ""
    issue.sections = parsed.sections
    issue.toc = [
        {"section": e.section, "title": e.title, "doc_number": e.doc_number, "page": e.page}
        for e in parsed.toc
    ]
    issue.content_hash = digest


def _replace_documents(issue: Issue, result: ParseResult) -> None:
    """Swap the issue's documents for the new version's, keeping old identifiers as redirects."""
    previous = dict(issue.documents.values_list("ident", "seq"))
    previous.update(
        Redirect.objects.filter(document__issue=issue).values_list("old_ident", "document__seq")
    )
    issue.documents.all().delete()
    issue.findings.all().delete()
    taken = _taken_idents(issue.gazette, [doc.ident for doc in result.documents])
    documents = []
    for doc, data in zip(result.documents, to_dict(result)["documents"], strict=True):
        ident = _free_ident(doc.ident, taken)
        data["id"] = ident
        documents.append(_document_row(issue, doc, data, ident))
    Document.objects.bulk_create(documents)
    saved = {d.seq: d for d in issue.documents.all()}
    BodyNode.objects.bulk_create(node for d in saved.values() for node in _body_nodes(d))
    Finding.objects.bulk_create(
        Finding(
            issue=issue,
            code=f.code,
            severity=f.severity,
            message=f.message,
            line_start=f.lines[0] if f.lines else None,
            line_end=f.lines[1] if f.lines else None,
            document_seq=f.document,
        )
        for f in result.findings
    )
    current = {d.ident for d in saved.values()}
    for old_ident, seq in previous.items():
        if old_ident not in current and seq in saved:
            Redirect.objects.update_or_create(
                gazette=issue.gazette, old_ident=old_ident, defaults={"document": saved[seq]}
            )


def _taken_idents(gazette: Gazette, wanted: list[str]) -> set[str]:
    """The gazette's identifiers these could clash with (not all of them: archives grow large)."""
    docs = Document.objects.filter(gazette=gazette)
    taken = set(docs.filter(ident__in=wanted).values_list("ident", flat=True))
    for ident in {w for w in wanted if w in taken}:
        taken.update(docs.filter(ident__startswith=f"{ident}-").values_list("ident", flat=True))
    return taken


def _free_ident(ident: str, taken: set[str]) -> str:
    """The same 文号 in two issues (a reprint) must not share one URL."""
    candidate, n = ident, 1
    while candidate in taken:
        n += 1
        candidate = f"{ident}-{n}"
    taken.add(candidate)
    return candidate


def _document_row(issue: Issue, doc, data: dict, ident: str) -> Document:
    number = doc.doc_number
    return Document(
        gazette=issue.gazette,
        issue=issue,
        ident=ident,
        seq=doc.seq,
        section=doc.section or "",
        page=doc.page,
        kind=doc.kind,
        title=doc.title[:500],
        toc_title=(doc.toc_title or "")[:500],
        doc_number=number.text if number else "",
        agency_code=number.agency_code if number else "",
        doc_year=number.year if number else None,
        serial=number.serial if number else None,
        issuer=doc.issuer or "",
        date=doc.date,
        recipients=doc.recipients or "",
        speaker=doc.speaker or "",
        promulgates=doc.promulgates.title[:500] if doc.promulgates else "",
        data=data,
    )


def _body_nodes(document: Document) -> list[BodyNode]:
    """Flatten the stored body tree (notice, promulgated plan, attachments) in reading order."""
    nodes: list[BodyNode] = []

    def visit(items: list[dict]) -> None:
        for item in items:
            nodes.append(
                BodyNode(
                    document=document,
                    position=len(nodes),
                    anchor=item.get("anchor", ""),
                    kind=item["type"],
                    level=item.get("level", 0),
                    heading=item.get("text", "") if item["type"] == "section" else "",
                    text="" if item["type"] == "section" else _node_text(item),
                    label=item.get("label", ""),
                )
            )
            visit(item.get("children", []))

    data = document.data
    visit(data["body"])
    for att in data["attachments"]:
        visit(att["body"])
    plan = data.get("promulgated_document")
    if plan:
        visit(plan["body"])
        for att in plan["attachments"]:
            visit(att["body"])
    return nodes


def _node_text(item: dict) -> str:
    if item["type"] == "table":
        return "\n".join("\t".join(row) for row in item["rows"])
    return item.get("text", "")


def bump_generation(issue: Issue | None = None) -> None:
    """Mark published content as changed; the index follows once the transaction commits."""
    ArchiveState.objects.get_or_create(pk=1)
    ArchiveState.objects.filter(pk=1).update(generation=F("generation") + 1)
    from gongbao.site.search import sync

    issue_id = issue.pk if issue is not None else None
    transaction.on_commit(lambda: sync.after_commit(issue_id))
    from gongbao.site.opendata import services as opendata  # manifests, citations, bulk files

    transaction.on_commit(lambda: opendata.after_commit(issue_id))


def publish_issue(issue: Issue, user=None) -> Issue:
    """Make a draft public: pages, search, and every later export.

    Raises ``disclosure.services.PublishBlocked`` while personal data found in the
    issue awaits the privacy review (公开属性 records and 索引号 are made first).
    """
    from gongbao.site.disclosure.services import check_publishable

    check_publishable(issue)
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.is_published:
            return issue
        issue.status = Issue.PUBLISHED
        issue.published_at = timezone.now()
        issue.published_by = user if user is not None and user.is_authenticated else None
        issue.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        bump_generation(issue)
    log.info("已发布 %s", issue.ident)
    return issue


def unpublish_issue(issue: Issue) -> Issue:
    """Take an issue back to draft: it disappears from every public channel."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if not issue.is_published:
            return issue
        issue.status = Issue.DRAFT
        issue.published_at = None
        issue.save(update_fields=["status", "published_at", "updated_at"])
        bump_generation(issue)
    log.info("已撤回 %s", issue.ident)
    return issue
