"""Keep the tantivy index in step with the archive.

The archive bumps ``ArchiveState.generation`` in the same transaction as any
change to published content; after the commit the affected issue is
re-indexed and the index records that generation. A crash in between leaves
the two generations apart, which ``ensure_index_current`` (run by ``gongbao
serve`` and ``gongbao reindex --check``) detects and repairs with a rebuild.
Writers serialise on a file lock so that several processes never fight over
tantivy's writer.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from gongbao.core.export.json import SECTION_TYPES
from gongbao.site import access
from gongbao.site.archive.models import ArchiveState, BodyNode, Document, Issue
from gongbao.site.search.engine import SchemaMismatchError, SearchIndex

log = logging.getLogger("gongbao.search")
_reader: SearchIndex | None = None
_reader_stamp: float = -1.0


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def archive_generation() -> int:
    state = ArchiveState.objects.filter(pk=1).first()
    return state.generation if state else 0


def reader() -> SearchIndex:
    """The process's index for searching, reopened when another process committed."""
    global _reader, _reader_stamp
    meta = index_dir() / "meta.json"
    stamp = meta.stat().st_mtime if meta.exists() else 0.0
    if _reader is None or stamp != _reader_stamp:
        try:
            _reader = SearchIndex.open(index_dir())
        except SchemaMismatchError:
            rebuild()
            _reader = SearchIndex.open(index_dir())
        _reader_stamp = stamp
    return _reader


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


def payload(doc: Document, nodes: Iterable[BodyNode]) -> dict:
    """A document as the search engine takes it: fields, filters and passages with anchors."""
    return {
        "id": f"{doc.gazette.slug}/{doc.ident}",
        "gazette": doc.gazette.slug,
        "year": doc.issue.year,
        "issue": doc.issue.ident,
        "section": doc.section,
        "issuer": doc.issuer,
        # every organ of a joint document, the signature and 主送 are searchable too
        "issuers": list((doc.data or {}).get("issuers") or []),
        "signature": (doc.data or {}).get("signature") or "",
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
    documents = documents.select_related("gazette", "issue").order_by("pk")
    for doc in documents.iterator(chunk_size=500):
        yield payload(doc, access.public_nodes(doc, doc.nodes.all().order_by("position")))


def after_commit(issue_id: int | None) -> None:
    """Bring the index up to the archive's generation for one issue (or rebuild)."""
    generation = archive_generation()
    try:
        if issue_id is None:
            rebuild()
            return
        issue = Issue.objects.filter(pk=issue_id).first()
        with writer() as index:
            if issue is not None:
                index.delete_issue(issue.ident)
                if issue.is_published:
                    index.add_documents(_payloads(access.public_documents().filter(issue=issue)))
            index.commit(generation)
    except Exception:  # the archive is committed; the next start repairs the index
        log.exception("检索索引更新失败，将在下次启动时自动重建")


def rebuild() -> int:
    """Rebuild the index from the archive's published documents; returns how many."""
    generation = archive_generation()
    with writer(fresh=True) as index:
        count = index.add_documents(_payloads(access.public_documents()))
        index.commit(generation)
    log.info("检索索引已重建：%d 篇文件（第 %d 代）", count, generation)
    return count


def ensure_index_current() -> bool:
    """Rebuild the index if it lags behind the archive (a crash between the two). True if rebuilt."""
    try:
        current = SearchIndex.open(index_dir()).generation()
    except SchemaMismatchError:
        current = -1
    if current == archive_generation():
        return False
    log.warning(
        "检索索引（第 %d 代）与档案（第 %d 代）不一致，正在重建", current, archive_generation()
    )
    rebuild()
    return True
