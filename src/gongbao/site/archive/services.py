"""Archive services: the only code that writes the archive.

``import_file`` and ``publish_issue`` are called by the command line, the
admin and the tests alike. Each runs in one transaction: a file that fails
leaves the archive exactly as it was. Changes to published content bump the
archive generation, and the search index follows after the commit. The apps
built on the archive hear of publication, withdrawal and imports through
``archive.signals``: this module never imports them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Callable, Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.db import OperationalError, transaction
from django.db.models import F, Max
from django.utils import timezone

from gongbao.core.export.json import SECTION_TYPES, to_dict
from gongbao.core.ids import gazette_slug
from gongbao.core.model import Document as ParsedDocument
from gongbao.core.model import ParseResult
from gongbao.core.parse import parse_stream
from gongbao.core.readers import BlockStream, ReadError
from gongbao.core.readers.detect import read_source
from gongbao.site.actors import Actor
from gongbao.site.archive import library, signals
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
HELD = "held"  # a correction of a published issue, waiting for a reviewer


class ImportFailed(Exception):
    """An issue file cannot go into the archive; the message is for the user (Chinese)."""


@dataclass
class ImportOutcome:
    path: str
    outcome: str  # ImportRecord.IMPORTED / UPDATED / UNCHANGED / FAILED / REFUSED, or HELD
    message: str = ""
    issue: str = ""
    version: int | None = None


def import_file(
    path: str | Path,
    *,
    allow_removals: bool = False,
    requested_by: Actor = None,
    note: str = "",
    reason: str = "",
) -> ImportOutcome:
    """Import one file: new issue, new version of an issue, or unchanged.

    A file without a gazette frame is a single document: it goes into the
    gazette's library (文件库) as a library entry, under the same rules.

    A new version that would drop documents from the issue, or replace a
    published issue, is refused (outcome ``refused``, the documents named in
    the message) unless ``allow_removals`` confirms it. A confirmed new version
    of a published issue is a correction (勘误): it waits for a reviewer
    (outcome ``held``, ``review.Publication``) and the public content stays as
    it is; ``requested_by``, ``note`` and ``reason`` go with the request.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(path, "", f"无法读取文件：{exc.strerror or exc}")
    digest = hashlib.sha256(data).hexdigest()
    try:
        stream, result = _read_and_parse(path, data)
        _check_importable(result)
        if allow_removals:
            held = with_lock_retries(
                lambda: _hold_correction(path, data, digest, result, requested_by, note, reason)
            )
            if held is not None:
                return held
        return with_lock_retries(
            lambda: _store(
                path,
                stream.text,
                digest,
                result,
                allow_removals=allow_removals,
                metadata=stream.metadata,
            )
        )
    except (ReadError, ImportFailed, library.LibraryError) as exc:
        return _failed(path, digest, str(exc))


def _hold_correction(
    path: Path,
    data: bytes,
    digest: str,
    result: ParseResult,
    requested_by: Actor,
    note: str,
    reason: str,
) -> ImportOutcome | None:
    """A changed file for a published issue waits for a reviewer (four eyes); None otherwise."""
    parsed = result.issue
    with transaction.atomic():
        if library.is_single(result):  # a published library entry is corrected the same way
            library.assign_library_idents(result, digest)
            issue = _library_entry(library.library_gazette(), result, digest)
        else:
            issue = (
                Issue.objects.select_for_update()
                .filter(gazette__slug=gazette_slug(parsed), year=parsed.year, number=parsed.number)
                .first()
            )
        if issue is None or not issue.is_published or issue.content_hash == digest:
            return None
        if issue.is_library and _archived_as(issue, digest, result):
            return None  # the same wording: _store records it as unchanged
        signals.ask(
            signals.correction_received, "correction_received", issue=issue, source=data,
            name=path.name, digest=digest, user=requested_by, note=note, reason=reason,
        )  # fmt: skip
        message = "已发布的期的更正，作为勘误等待审核人批准（gongbao publish --approved-by 或后台）"
        return _record(path, digest, HELD, message, issue)


def import_held(data: bytes, name: str) -> ImportOutcome:
    """An approved correction's file becomes the issue's new version (called by ``review``)."""
    path = Path(name)
    digest = hashlib.sha256(data).hexdigest()
    stream, result = _read_and_parse(path, data)
    _check_importable(result)
    return _store(path, stream.text, digest, result, allow_removals=True)


def _read_and_parse(path: Path, data: bytes) -> tuple[BlockStream, ParseResult]:
    """Read and parse one file; a reader or parser bug fails this file only.

    The parser promises never to raise on bad content, but a bulk import must not
    stop at the first file that breaks that promise: the traceback goes to the
    log, the file is recorded as failed and the import goes on with the rest.
    """
    try:
        stream = read_source(data, name=path.name)
        return stream, parse_stream(stream, source=path.name)
    except ReadError:
        raise
    except Exception as exc:
        log.exception("读取或解析 %s 时程序出错", path)
        raise ImportFailed(f"读取或解析时程序出错（详情见日志）：{type(exc).__name__}") from exc


def _check_importable(result: ParseResult) -> None:
    issue = result.issue
    if not library.is_single(result) and (issue.year is None or issue.number is None):
        raise ImportFailed("无法识别年份和期号（封面应有如“2018 第3期”的字样）")
    if not result.documents and library.is_single(result):
        raise ImportFailed(
            "没有识别出任何文件：既没有公报封面的年份和期号（如“2018 第3期”），"
            "也不像一篇公文（版头、文号、标题、署名或成文日期）"
        )
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


def _store(
    path: Path,
    text: str,
    digest: str,
    result: ParseResult,
    *,
    allow_removals: bool,
    metadata: dict[str, str] | None = None,
) -> ImportOutcome:
    """One file into the archive, in one transaction: unchanged, refused, or a new version."""
    with transaction.atomic():
        single = library.is_single(result)
        gazette, issue = _target(result, digest, single)
        unchanged = _unchanged(path, digest, result, issue, single)
        if unchanged is not None:
            return unchanged
        linked: list[Document] = []
        if single:
            taken = "" if allow_removals else library.number_taken(issue, result)
            if taken:
                return _refuse(path, digest, taken, issue)
            printed = _printed_elsewhere(gazette, result)
            if printed.differ:
                return _refuse(path, digest, printed.message, issue)
            result, linked = dataclasses.replace(result, documents=printed.rest), printed.linked
        plan = plan_documents(gazette, issue, result)
        if issue is not None and not allow_removals:
            refusal = refusal_message(issue, plan)
            if refusal:
                return _refuse(path, digest, refusal, issue)
        outcome = ImportRecord.UPDATED if issue is not None else ImportRecord.IMPORTED
        if issue is None:
            issue = _new_issue(gazette, result, single, linked)
        version = _write_version(issue, plan, path, text, digest, result, metadata)
        saved = ""
        if single:
            saved = library.record_portal(issue, [i.ident for i in plan.incoming], path, metadata)
        if linked:
            Document.objects.filter(pk__in=[d.pk for d in linked]).update(library=issue)
        _announce(issue, plan, version, updated=outcome == ImportRecord.UPDATED)
        ImportRecord.objects.create(
            path=str(path), content_hash=digest, outcome=outcome, issue=issue, version=version
        )
        note = _new_version_note(issue, version) if single and version > 1 else ""
        note = "；".join(n for n in (note, library.metadata_note(metadata, result), saved) if n)
        return ImportOutcome(str(path), outcome, note, issue=issue.ident, version=version)


def _target(result: ParseResult, digest: str, single: bool) -> tuple[Gazette, Issue | None]:
    """The gazette a file goes into, and the issue (or library entry) it continues, locked."""
    if single:
        gazette = library.library_gazette()
        library.assign_library_idents(result, digest)
        return gazette, _library_entry(gazette, result, digest)
    gazette = _gazette(result)
    parsed = result.issue
    issue = (
        Issue.objects.select_for_update()
        .filter(gazette=gazette, year=parsed.year, number=parsed.number, kind=Issue.ISSUE)
        .first()
    )
    return gazette, issue


def _unchanged(
    path: Path, digest: str, result: ParseResult, issue: Issue | None, single: bool
) -> ImportOutcome | None:
    """The same file again, or a single document with the wording already archived; recorded."""
    if issue is None:
        return None
    same = ""
    if issue.content_hash != digest:
        same = _archived_as(issue, digest, result) if single else ""
        if not same:
            return None
    return _record(path, digest, ImportRecord.UNCHANGED, same, issue)


def _write_version(
    issue: Issue,
    plan: DocumentPlan,
    path: Path,
    text: str,
    digest: str,
    result: ParseResult,
    metadata: dict[str, str] | None,
) -> int:
    """Saves the issue, its next version with the source text, its documents and findings."""
    _fill_issue(issue, result, digest)
    issue.save()
    version = (issue.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    IssueVersion.objects.create(
        issue=issue,
        number=version,
        content_hash=digest,
        source_name=path.name,
        source_text=text,
        parsed=_parsed(result, metadata),
    )
    _apply_plan(issue, plan, version)
    _replace_findings(issue, result)
    _library_findings(issue, plan)
    _metadata_findings(issue, result, metadata)
    return version


def _announce(issue: Issue, plan: DocumentPlan, version: int, *, updated: bool) -> None:
    """An update goes to the audit log; public content changed bumps the archive generation."""
    if updated:
        _audit_version(issue, plan, version)
    if any(
        item.row is not None and item.row.library_id and item.row.library.is_published
        for item in plan.linked
    ):
        bump_generation()  # public through the library, now filed under this issue
    elif issue.is_published:
        bump_generation(issue)


def _parsed(result: ParseResult, metadata: dict[str, str] | None) -> dict[str, Any]:
    """The version's parse, and a web page's own metadata table as a separate, labelled source."""
    parsed = to_dict(result)
    if metadata:
        parsed["portal_metadata"] = metadata
    return parsed


def _metadata_findings(issue: Issue, result: ParseResult, metadata: dict[str, str] | None) -> None:
    """A page whose metadata table contradicts its text: the text wins, the editor is told."""
    if not metadata or len(result.documents) != 1:
        return
    doc = result.documents[0]
    Finding.objects.bulk_create(
        Finding(
            issue=issue,
            code="portal-metadata-differs",
            severity="warning",
            message=f"{difference}（以正文为准）",
            document_seq=doc.seq,
        )
        for difference in library.metadata_differences(metadata, doc)
    )


def _archived_as(entry: Issue, digest: str, result: ParseResult) -> str:
    """Why a single document's file needs no new version: it is one of the entry's
    versions already (two files of one document imported again must not take turns
    as the current one), or it has the same wording. "" when it needs one."""
    earlier = entry.versions.filter(content_hash=digest).order_by("-number").first()
    if earlier is not None:
        return f"已导入过（{entry.ident} 第{earlier.number}版，来自 {earlier.source_name}），未重复存储"
    return _same_text_as(entry, result)


def _same_text_as(entry: Issue, result: ParseResult) -> str:
    """The same documents, word for word, under another file name or layout: nothing to
    store. Says so (naming the file archived first), or "" when the texts differ."""
    mine = {d.ident: library.text_key(d.data) for d in Document.objects.filter(library=entry)}
    theirs = {doc["id"]: library.text_key(doc) for doc in to_dict(result)["documents"]}
    if not theirs or any(mine.get(ident) != key for ident, key in theirs.items()):
        return ""
    first = entry.versions.order_by("number").first()
    return f"与已导入的 {first.source_name if first else entry.ident} 文本相同，未重复存储"


def _new_version_note(entry: Issue, version: int) -> str:
    """A single document with a known 文号 (or title) but another text is its new version."""
    first = entry.versions.order_by("number").first()
    name = first.source_name if first else entry.ident
    return f"文件库中已有同一文件（来自 {name}），文本不同，作为第{version}版存入，旧版保留"


def _refuse(path: Path, digest: str, message: str, issue: Issue | None) -> ImportOutcome:
    return _record(path, digest, ImportRecord.REFUSED, message, issue)


def _record(
    path: Path, digest: str, outcome: str, message: str, issue: Issue | None
) -> ImportOutcome:
    """The import's row in the log (held, unchanged or refused) and what the caller hears."""
    ImportRecord.objects.create(
        path=str(path), content_hash=digest, outcome=outcome, message=message, issue=issue
    )
    ident = issue.ident if issue is not None else ""
    return ImportOutcome(str(path), outcome, message, issue=ident)


def _gazette(result: ParseResult) -> Gazette:
    slug = gazette_slug(result.issue)
    gazette, _ = Gazette.objects.get_or_create(
        slug=slug,
        defaults={
            "name": result.issue.gazette or slug,
            "latin_name": result.issue.gazette_latin or "",
        },
    )
    if gazette.name == slug and result.issue.gazette:
        # Made for the library under its slug alone: the first issue names it.
        gazette.name = result.issue.gazette
        gazette.latin_name = result.issue.gazette_latin or ""
        gazette.save(update_fields=["name", "latin_name"])
    return gazette


def _library_entry(gazette: Gazette, result: ParseResult, digest: str) -> Issue | None:
    """The library entry this file continues: the same file, else the entry of one of its
    documents (by identifier); None for a new entry."""
    entries = Issue.objects.select_for_update().filter(gazette=gazette, kind=Issue.LIBRARY)
    same = entries.filter(versions__content_hash=digest).first()
    if same is not None:
        return same
    idents = [doc.ident for doc in result.documents]
    row = (
        Document.objects.filter(gazette=gazette, ident__in=idents, library__isnull=False)
        .order_by("pk")
        .first()
    )
    return entries.filter(pk=row.library_id).first() if row is not None else None


def _new_issue(
    gazette: Gazette, result: ParseResult, single: bool, linked: list[Document]
) -> Issue:
    parsed = result.issue
    if not single:
        return Issue(gazette=gazette, year=parsed.year, number=parsed.number)
    first = result.documents[0].ident if result.documents else linked[0].ident
    return Issue(
        gazette=gazette,
        kind=Issue.LIBRARY,
        ident=library.entry_ident(gazette, first),
        year=linked[0].issue.year
        if linked and not result.documents
        else library.entry_year(result),
        number=0,
    )


@dataclass
class _Printed:
    """A single document's file against the documents issues already print."""

    rest: list[ParsedDocument]  # the file's documents no issue prints yet: they go into the library
    linked: list[Document]  # printed with the same text: the entry becomes their library record
    message: str = ""  # printed with a different text: the file is refused, with the diff

    @property
    def differ(self) -> bool:
        return bool(self.message)


def _printed_elsewhere(gazette: Gazette, result: ParseResult) -> _Printed:
    pairs = list(zip(result.documents, to_dict(result)["documents"], strict=True))
    printed = {
        d.ident: d
        for d in Document.objects.filter(
            gazette=gazette, ident__in=[doc.ident for doc, _ in pairs], issue__kind=Issue.ISSUE
        ).select_related("issue")
    }
    rest, linked, diffs = [], [], []
    for doc, data in pairs:
        row = printed.get(doc.ident)
        if row is None:
            rest.append(doc)
        elif library.text_key(row.data) == library.text_key(data):
            linked.append(row)
        else:
            where = f"{row.issue} 所载"
            diffs.append(
                f"{_describe(row)} 已刊载于{row.issue}，与本文件文本不同：\n"
                + library.text_diff(row.data, data, where, "本文件")
            )
    message = ""
    if diffs:
        message = "未导入：" + "\n".join(diffs) + "\n请编辑核对后再导入"
    return _Printed(rest, linked, message)


def _fill_issue(issue: Issue, result: ParseResult, digest: str) -> None:
    parsed = result.issue
    if not issue.is_library:
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
    if not issue.is_library and issue.issue_date is None:  # one the editor entered stays
        issue.issue_date = printed_date(result)


def printed_date(result: ParseResult) -> date | None:
    """The date an imported issue came out, as printed: the latest date of its documents
    (an issue cannot come out before its newest document); None when none is dated."""
    dates = [d.date for d in result.documents if d.date is not None]
    dates += [
        d.promulgates.date
        for d in result.documents
        if d.promulgates is not None and d.promulgates.date is not None
    ]
    return max(dates) if dates else None


@dataclass
class _Incoming:
    """One document of the new version: the parser's model, its JSON and its final ident."""

    doc: ParsedDocument
    data: dict[str, Any]
    ident: str
    row: Document | None = None  # the archived document it continues, if any


@dataclass
class DocumentPlan:
    """How a new version maps onto the documents the archive holds (nothing written yet)."""

    incoming: list[_Incoming]
    removed: list[Document]  # in the issue now, not in the new version
    changed: list[Document]  # continued, with different content (or back after a removal)
    renamed: dict[str, str]  # old ident → new ident (a corrected 文号)
    linked: list[_Incoming] = dataclasses.field(default_factory=list)  # library documents printed
    conflicts: list[tuple[_Incoming, Document]] = dataclasses.field(default_factory=list)


def plan_documents(gazette: Gazette, issue: Issue | None, result: ParseResult) -> DocumentPlan:
    """Match the new version's documents with the archive's by identity.

    A document continues an archived one (same row: its tasks, progress and
    decisions stay attached) when it has the same ident and title, else the same
    title (its 文号 was corrected: renamed), else the same ident (its title was
    corrected). Candidates are the issue's documents and detached documents of
    the gazette with a wanted ident (dropped by an earlier version, now back).
    """
    pairs = list(zip(result.documents, to_dict(result)["documents"], strict=True))
    wanted = [doc.ident for doc, _ in pairs]
    current = list(issue.documents.all()) if issue is not None else []
    detached = list(Document.objects.filter(gazette=gazette, issue=None, ident__in=wanted))
    candidates = current + detached
    exclude = {d.pk for d in candidates}
    taken = _taken_idents(gazette, wanted, exclude)
    incoming = [_Incoming(doc, data, _free_ident(doc.ident, taken)) for doc, data in pairs]
    _match(candidates, incoming)
    matched = {item.row.pk for item in incoming if item.row is not None}
    removed = [d for d in current if d.pk not in matched]
    _keep_leftover_idents(gazette, wanted, exclude, candidates, matched, incoming)
    linked: list[_Incoming] = []
    conflicts: list[tuple[_Incoming, Document]] = []
    if issue is None or not issue.is_library:
        linked, conflicts = _meet_library(gazette, incoming)
    changed = [
        item.row
        for item in incoming
        if item.row is not None
        and item not in linked
        and (item.row.issue_id is None or fingerprint(item.row.data) != fingerprint(item.data))
    ]
    renamed = {
        item.row.ident: item.ident
        for item in incoming
        if item.row is not None and item.row.ident != item.ident
    }
    return DocumentPlan(incoming, removed, changed, renamed, linked, conflicts)


def _meet_library(
    gazette: Gazette, incoming: list[_Incoming]
) -> tuple[list[_Incoming], list[tuple[_Incoming, Document]]]:
    """An issue's documents meet the library: the same 文号 (or, without one, the same
    title) and the same text is the same document, which the issue takes over with its
    identifier; a different text stays apart and is a finding for the editor."""
    lib = Document.objects.filter(gazette=gazette, issue__kind=Issue.LIBRARY)
    numbered = lib.filter(ident__in=[i.doc.ident for i in incoming if i.doc.doc_number])
    titled = lib.filter(
        doc_number="", title__in=[i.doc.title[:500] for i in incoming if not i.doc.doc_number]
    )
    by_ident = {d.ident: d for d in numbered}
    by_title = {_title_key(d.title): d for d in titled}
    linked, conflicts = [], []
    for item in incoming:
        if item.doc.doc_number:
            row = by_ident.get(item.doc.ident)
        else:
            row = by_title.get(_title_key(item.doc.title or ""))
        if row is None or item.row is not None:
            continue
        if library.text_key(row.data) == library.text_key(item.data):
            item.row, item.ident = row, row.ident
            linked.append(item)
        else:
            conflicts.append((item, row))
    return linked, conflicts


def _keep_leftover_idents(
    gazette: Gazette,
    wanted: list[str],
    exclude: set[int],
    candidates: list[Document],
    matched: set[int],
    incoming: list[_Incoming],
) -> None:
    """A document left out (removed, or still detached) keeps its ident: its records hang
    on it. A new or renamed document that wanted the same ident gets the next free one."""
    leftover = {d.ident for d in candidates if d.pk not in matched}
    clashing = [item for item in incoming if item.ident in leftover]
    if not clashing:
        return
    taken = _taken_idents(gazette, wanted, exclude) | leftover
    taken |= {item.ident for item in incoming if item.ident not in leftover}
    for item in clashing:
        item.ident = _free_ident(item.doc.ident, taken)


def _match(candidates: list[Document], incoming: list[_Incoming]) -> None:
    free = list(candidates)

    def take(
        item: _Incoming, test: Callable[[Document, _Incoming], bool], unique: bool = False
    ) -> None:
        found = [d for d in free if test(d, item)]
        if found and (not unique or len(found) == 1):
            item.row = found[0]
            free.remove(found[0])

    for item in incoming:
        take(item, lambda d, i: d.ident == i.ident and _same_title(d, i))
    for item in [i for i in incoming if i.row is None]:
        same = [
            i
            for i in incoming
            if i.row is None and _title_key(i.doc.title) == _title_key(item.doc.title)
        ]
        if len(same) == 1:
            take(item, _same_title, unique=True)
    for item in [i for i in incoming if i.row is None]:
        take(item, lambda d, i: d.ident == i.ident)


def _title_key(title: str) -> str:
    return "".join(title.split())


def _same_title(row: Document, item: _Incoming) -> bool:
    return _title_key(row.title) == _title_key(item.doc.title[:500])


def fingerprint(data: dict[str, Any]) -> str:
    """The document's content, whatever its place (id, seq and page left out)."""
    content = {k: v for k, v in data.items() if k not in ("id", "seq", "page")}
    plan = content.get("promulgated_document")
    if isinstance(plan, dict):
        content["promulgated_document"] = {k: v for k, v in plan.items() if k != "id"}
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _describe(doc: Document) -> str:
    return f"《{doc.title}》" + (f"（{doc.doc_number}）" if doc.doc_number else "")


def refusal_message(issue: Issue, plan: DocumentPlan) -> str:
    """Why a new version needs ``--allow-removals``, naming what would go; "" when it does not."""
    parts = []
    if plan.removed:
        gone = "、".join(_describe(d) for d in sorted(plan.removed, key=lambda d: d.seq))
        parts.append(f"新版本将从 {issue.ident} 删除 {len(plan.removed)} 篇文件：{gone}")
    if issue.is_published:
        changed = [d for d in plan.changed if d.issue_id == issue.pk]
        parts.append(
            f"{issue.ident} 已发布，新版本将替换公开内容"
            f"（{len(changed)} 篇有改动，{len(plan.removed)} 篇删除）"
        )
    if not parts:
        return ""
    return "未导入：" + "；".join(parts) + "。确认无误后请加 --allow-removals 重新导入"


def _apply_plan(issue: Issue, plan: DocumentPlan, version: int) -> None:
    """Write the plan: continued rows updated in place, new rows created, removed rows detached."""
    note = f"{issue.ident} 第{version}版"
    removed_ids = [d.pk for d in plan.removed]
    Document.objects.filter(pk__in=removed_ids).update(
        issue=None, review_flag=Document.REMOVED, review_note=f"{note}中已无此文件"
    )
    changed_ids = {d.pk for d in plan.changed}
    # Renames go through a temporary ident: two documents may swap theirs.
    for item in plan.incoming:
        if item.row is not None and item.row.ident != item.ident:
            Document.objects.filter(pk=item.row.pk).update(ident=f"~{item.row.pk}")
    written: list[Document] = []
    for item in plan.incoming:
        item.data["id"] = item.ident
        fresh = _document_row(issue, item.doc, item.data, item.ident)
        written.append(fresh)
        if item.row is None:
            fresh.library = issue if issue.is_library else None
            fresh.save()
            item.row = fresh
            continue
        fresh.pk = item.row.pk
        fresh.library_id = item.row.library_id
        if item.row.pk in changed_ids:
            fresh.review_flag = Document.CHANGED
            fresh.review_note = f"{note}中有改动" if item.row.issue_id else f"{note}中恢复"
        else:
            fresh.review_flag, fresh.review_note = item.row.review_flag, item.row.review_note
        fresh.save(force_update=True)
        fresh.nodes.all().delete()
        item.row = fresh
    BodyNode.objects.bulk_create(node for row in written for node in _body_nodes(row))
    _redirect_and_move(issue.gazette, plan)
    _flag_tasks(removed_ids, Document.REMOVED, f"{note}中已无此文件")
    _flag_tasks(changed_ids, Document.CHANGED, f"{note}中文件有改动")


def _redirect_and_move(gazette: Gazette, plan: DocumentPlan) -> None:
    """Old identifiers keep working (redirects) and keep their records (公开属性, privacy…)."""
    if not plan.renamed:
        return
    rows = {item.ident: item.row for item in plan.incoming}
    for old, new in plan.renamed.items():
        if old not in rows:
            Redirect.objects.update_or_create(
                gazette=gazette, old_ident=old, defaults={"document": rows[new]}
            )
    Redirect.objects.filter(gazette=gazette, old_ident__in=list(rows)).delete()
    signals.documents_renamed.send(sender=Issue, gazette=gazette, renamed=plan.renamed)


def _flag_tasks(document_ids: Collection[int], flag: str, note: str) -> None:
    """Their tasks (with progress and evidence) stay; a reviewer is asked to look again."""
    if not document_ids:
        return
    signals.documents_changed.send(
        sender=Issue, document_ids=list(document_ids), flag=flag, note=note
    )


def _replace_findings(issue: Issue, result: ParseResult) -> None:
    issue.findings.all().delete()
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


def _library_findings(issue: Issue, plan: DocumentPlan) -> None:
    """Same 文号, different text: the editor decides which is right, with the diff in hand."""
    Finding.objects.bulk_create(
        Finding(
            issue=issue,
            code="library-text-differs",
            severity="warning",
            message=(
                f"{_describe(row)} 与文件库中同文号（同标题）的文件文本不同，"
                f"本期作为 {item.ident} 另存，请核对：\n"
                + library.text_diff(
                    row.data, item.data, f"文件库 {row.ident}", f"本期 {item.ident}"
                )
            ),
            line_start=item.doc.lines[0] or None,
            line_end=item.doc.lines[1] or None,
            document_seq=item.doc.seq,
        )
        for item, row in plan.conflicts
    )


def _audit_version(issue: Issue, plan: DocumentPlan, version: int) -> None:
    """A new version of an issue is a change of record: who can see what went and changed."""
    note = "；".join(
        part
        for part in (
            "删除：" + "、".join(_describe(d) for d in plan.removed) if plan.removed else "",
            "改动：" + "、".join(_describe(d) for d in plan.changed) if plan.changed else "",
            "改号：" + "、".join(f"{a}→{b}" for a, b in plan.renamed.items())
            if plan.renamed
            else "",
        )
        if part
    )
    signals.version_stored.send(sender=Issue, issue=issue, version=version, note=note)


def _taken_idents(
    gazette: Gazette, wanted: list[str], exclude: AbstractSet[int] = frozenset()
) -> set[str]:
    """The gazette's identifiers these could clash with (not all of them: archives grow large).

    ``exclude``: the documents the new version may continue (their idents are its to reuse).
    """
    docs = Document.objects.filter(gazette=gazette).exclude(pk__in=exclude)
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


def _document_row(issue: Issue, doc: ParsedDocument, data: dict[str, Any], ident: str) -> Document:
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

    def visit(items: list[dict[str, Any]]) -> None:
        for item in items:
            nodes.append(
                BodyNode(
                    document=document,
                    position=len(nodes),
                    anchor=item.get("anchor", ""),
                    kind=item["type"],
                    level=item.get("level", 0),
                    heading=item.get("text", "") if item["type"] in SECTION_TYPES else "",
                    text="" if item["type"] in SECTION_TYPES else _node_text(item),
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


def _node_text(item: dict[str, Any]) -> str:
    if item["type"] == "table":
        return "\n".join("\t".join(row) for row in item["rows"])
    return item.get("text", "")


def bump_generation(issue: Issue | None = None) -> None:
    """Mark published content as changed; the index follows once the transaction commits."""
    ArchiveState.objects.get_or_create(pk=1)
    ArchiveState.objects.filter(pk=1).update(generation=F("generation") + 1)
    signals.content_changed.send(sender=Issue, issue=issue)
    issue_id = issue.pk if issue is not None else None
    transaction.on_commit(lambda: signals.content_committed.send(sender=Issue, issue_id=issue_id))


def publish_issue(issue: Issue, user: Actor = None) -> Issue:
    """Make a draft public: pages, search, and every later export.

    Raises ``disclosure.services.PublishBlocked`` (from its ``publishing``
    receiver) while personal data found in the issue awaits the privacy review
    (公开属性 records and 索引号 are made first).
    """
    signals.publishing.send(sender=Issue, issue=issue)
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
