"""Keep the tantivy index in step with the archive.

Every web server has its own index (a folder under its data folder): a derived
copy of the one archive in the shared database. The archive bumps
``ArchiveState.generation`` in the same transaction as any change to published
content and logs which issue that generation changed (``IndexChange``, the
publication log: ``log_change``). An index records the generation it holds;
``catch_up`` brings it to the archive's by re-indexing the issues the log names
since (a rebuild where the log has a gap, or names the whole archive). It runs
after each commit in the process that published, on start (``gongbao serve``,
``gongbao reindex --check``) and before a search on any server whose index lags
(``reader``: one query for the generation), so a document published through one
server is found on every other at its next search. Writers serialise on a file
lock so that several processes never fight over tantivy's writer.
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import JSONField, QuerySet
from django.db.models.expressions import RawSQL

from gongbao.core.export.json import SECTION_TYPES
from gongbao.site import access
from gongbao.site.archive.models import ArchiveState, BodyNode, Document, Issue
from gongbao.site.search.engine import SCHEMA_VERSION, SchemaMismatchError, SearchIndex
from gongbao.site.search.models import IndexChange

log = logging.getLogger("gongbao.search")
_reader: SearchIndex | None = None
_reader_stamp: int = -1
_request = threading.local()
# {"issuers": …, "signature": …} of a document's stored body tree, built by the database.
_HEAD_SQL = {
    "postgresql": "jsonb_build_object('issuers', {data} -> 'issuers', "
    "'signature', {data} -> 'signature')",
    "sqlite": "json_object('issuers', json_extract({data}, '$.issuers'), "
    "'signature', json_extract({data}, '$.signature'))",
}
_CHUNK = 500  # documents per read of body rows (a query's parameters stay well in SQLite's limit)


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def archive_generation() -> int:
    state = ArchiveState.objects.filter(pk=1).first()
    return state.generation if state else 0


def reader() -> SearchIndex:
    """The process's index for searching: caught up with the archive, reopened after a commit."""
    global _reader, _reader_stamp
    keep_current()
    meta = index_dir() / "meta.json"
    stamp = meta.stat().st_mtime_ns if meta.exists() else 0
    if _reader is None or stamp != _reader_stamp:
        try:
            _reader = SearchIndex.open(index_dir())
        except SchemaMismatchError:
            rebuild()
            _reader = SearchIndex.open(index_dir())
        _reader_stamp = stamp
    return _reader


def keep_current(known: int | None = None) -> None:
    """Catch this server's index up if the archive moved on (another server or the CLI
    published): one query for the archive's generation (none where the request already
    read it: ``known``, or what ``request_generation`` noted), the work only when it lags."""
    if known is None:
        known = getattr(_request, "generation", None)
    target = archive_generation() if known is None else known
    if _index_generation() != target:
        try:
            catch_up()
        except Exception:  # serve what the index holds; the next request tries again
            log.exception("检索索引补齐失败")


@contextmanager
def request_generation(generation: int | None) -> Iterator[None]:
    """While a request is served: the archive's generation it read (the page cache's check),
    so that a search in it does not ask again."""
    _request.generation = generation
    try:
        yield
    finally:
        _request.generation = None


def _index_generation() -> int:
    """The generation the index on disk holds (-1: none, or a former schema)."""
    try:
        meta = json.loads((index_dir() / "meta.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return -1
    if meta.get("schema_version") != SCHEMA_VERSION:
        return -1
    return int(meta.get("generation", 0))


def log_change(issue: Issue | None) -> None:
    """Log the generation just bumped (in the caller's transaction): one issue, or everything."""
    generation = archive_generation()
    IndexChange.objects.update_or_create(
        generation=generation,
        defaults={"issue": issue.ident if issue is not None else "", "whole": issue is None},
    )


@contextmanager
def writer(*, fresh: bool = False) -> Iterator[SearchIndex]:
    """The index for writing, under an exclusive file lock; the writer closes after use."""
    directory = index_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "write.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            index = SearchIndex.create(directory) if fresh else _open_for_write(directory)
            try:
                yield index
            finally:
                index.close()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _open_for_write(directory: Path) -> SearchIndex:
    try:
        return SearchIndex.open(directory)
    except SchemaMismatchError:
        return SearchIndex.create(directory)


def payload(doc: Document, nodes: Iterable[BodyNode], head: dict | None = None) -> dict:
    """A document as the search engine takes it: fields, filters and passages with anchors.

    ``head``: the body tree's ``issuers`` and ``signature`` where the caller read only
    those (``_payloads``); else they come from ``doc.data``.
    """
    data = (doc.data if head is None else head) or {}
    return {
        "id": f"{doc.gazette.slug}/{doc.ident}",
        "gazette": doc.gazette.slug,
        "year": doc.issue.year,
        "issue": doc.issue.ident,
        "section": doc.section,
        "issuer": doc.issuer,
        # every organ of a joint document, the signature and 主送 are searchable too
        "issuers": list(data.get("issuers") or []),
        "signature": data.get("signature") or "",
        "recipients": doc.recipients,
        "kind": doc.kind,
        "date": doc.date.isoformat() if doc.date else None,
        "title": doc.title,
        "doc_number": doc.doc_number or None,
        # the parser's reading of its number, also where the print is damaged (〔20178)
        "doc_number_parts": (
            [doc.agency_code, doc.doc_year or 0, doc.serial]
            if doc.agency_code and doc.serial is not None
            else None
        ),
        "passages": list(passages(doc, nodes)),
    }


def passages(doc: Document, nodes: Iterable[BodyNode]) -> Iterator[dict]:
    """One passage per section (its heading and the text directly under it), linking to its anchor.

    Text before the first section forms a passage of its own. A 60-page plan is
    useless as a bare hit, so the reader lands on the task that matched.
    """
    current: dict | None = None
    for node in nodes:
        if node.kind in SECTION_TYPES:
            if current is not None:
                yield current
            current = {"anchor": node.anchor, "heading": node.heading, "text": ""}
            continue
        if current is None:
            current = {"anchor": node.anchor, "heading": "", "text": ""}
        text = f"{node.label}{node.text}" if node.label else node.text
        current["text"] = f"{current['text']}\n{text}" if current["text"] else text
    if current is not None:
        yield current


def _payloads(documents) -> Iterator[dict]:
    """The documents' payloads in key order. Their body rows are read for a chunk of
    documents at once: a query per document cost a full rebuild a fifth of its reading
    time (bench/reindex.py)."""
    rows = _for_index(documents).order_by("pk").iterator(_CHUNK)
    while chunk := list(islice(rows, _CHUNK)):
        nodes = _nodes_of([doc.pk for doc in chunk])
        for doc in chunk:
            public = access.public_nodes(doc, nodes.get(doc.pk, []))
            yield payload(doc, public, getattr(doc, "search_head", None))


def _for_index(documents: QuerySet[Document]) -> QuerySet[Document]:
    """The documents with what ``payload`` reads. Of the stored body tree (``data``, some
    20 KB of JSON a document) only two keys, extracted by the database: decoding the
    whole tree, and the issue's TOC, cost a rebuild a quarter of its reading time."""
    documents = documents.select_related("gazette", "issue")
    sql = _HEAD_SQL.get(connection.vendor)
    if sql is None:
        return documents
    quote = connection.ops.quote_name
    column = f"{quote(Document._meta.db_table)}.{quote('data')}"
    head = RawSQL(sql.format(data=column), (), output_field=JSONField())
    return documents.defer("data", "issue__sections", "issue__toc").annotate(search_head=head)


def _nodes_of(document_ids: list[int]) -> dict[int, list[BodyNode]]:
    """The body rows of these documents, each document's in reading order."""
    grouped: dict[int, list[BodyNode]] = {}
    rows = BodyNode.objects.filter(document_id__in=document_ids)
    for node in rows.order_by("document_id", "position"):
        grouped.setdefault(node.document_id, []).append(node)
    return grouped


def after_commit(issue_id: int | None) -> None:
    """After a commit that changed published content: bring this process's index up to date."""
    try:
        catch_up()
    except Exception:  # the archive is committed; the next search or start repairs the index
        log.exception("检索索引更新失败，将在下次检索或启动时补齐")


def catch_up() -> str:
    """Bring the index to the archive's generation from the publication log.

    Returns what was done: ``"current"``, ``"caught-up"`` (the logged issues
    re-indexed) or ``"rebuilt"`` (no usable index, a gap in the log, or a change
    to the whole archive). Safe to call from any number of processes at once:
    the work happens under the writer lock, after looking again.
    """
    if _index_generation() == archive_generation():
        return "current"
    with writer() as index:
        current, target = _index_generation(), archive_generation()
        if current == target:
            return "current"
        changes = list(IndexChange.objects.filter(generation__gt=current, generation__lte=target))
        complete = current >= 0 and len(changes) == target - current
        if not complete or any(c.whole for c in changes):
            count = _fill(index, access.public_documents(), target, fresh=True)
            log.info("检索索引已重建：%d 篇文件（第 %d 代）", count, target)
            return "rebuilt"
        idents = sorted({c.issue for c in changes})
        for ident in idents:
            index.delete_issue(ident)
        published = Issue.objects.filter(ident__in=idents, status=Issue.PUBLISHED)
        _fill(index, access.public_documents().filter(issue__in=published), target)
        log.info("检索索引已补齐至第 %d 代：%s", target, "、".join(idents))
        return "caught-up"


def _fill(index: SearchIndex, documents, generation: int, *, fresh: bool = False) -> int:
    if fresh:
        index.delete_all()
    count = index.add_documents(_payloads(documents))
    index.commit(generation)
    return count


def rebuild() -> int:
    """Rebuild the index from the archive's published documents; returns how many."""
    generation = archive_generation()
    with writer(fresh=True) as index:
        count = index.add_documents(_payloads(access.public_documents()))
        index.commit(generation)
    log.info("检索索引已重建：%d 篇文件（第 %d 代）", count, generation)
    return count


def ensure_index_current() -> bool:
    """Catch the index up with the archive (run at start). True if it lagged."""
    current = _index_generation()
    if current == archive_generation():
        return False
    log.warning(
        "检索索引（第 %d 代）落后于档案（第 %d 代），正在补齐", current, archive_generation()
    )
    catch_up()
    return True
