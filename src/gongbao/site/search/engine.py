"""Full-text search over gazette documents: a tantivy index fed with character bigrams.

The *exact* hit set of a query equals a substring scan (see gongbao.core.analyzer)
of the title, the body and the head fields (文号, issuers, signature, 主送): every
term is a phrase over bigrams (query.py), and all terms must match. Its count is
always reported.

Unquoted words asked for by relevance are *ranked* instead: a document needs
one of their bigrams; those holding every word exactly come first, and BM25
(title, 文号 and whole-phrase boosts) orders each part, so a question (企业开办要几天)
or a reworded phrase (县政府 for 县人民政府) still finds its document. Quoted
phrases, 文号 and agency codes stay exact; sorting by date lists the exact set.
All queries are built programmatically, never parsed from a string, so no user
input can be a syntax error.

The pieces: schema.py (fields, version, boosts), indexing.py (documents as
bigram values with position gaps), query.py (queries over them), highlight.py
(passages and <mark>). This module holds the index itself.

The index lives in ``<path>/tantivy``; ``<path>/meta.json`` holds the schema
version and the *generation* the caller committed last, written atomically
after each successful commit, so the archive can tell after a crash whether the
index is behind. No Django here: the web app wraps this module.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import Any, Literal

import tantivy

from gongbao.core.analyzer import ParsedQuery, parse_query
from gongbao.site.search.highlight import (
    Matchers,
    PassageHit,
    best_passages,
    found_in,
    highlight,
    mark,
    matchers,
)
from gongbao.site.search.indexing import date_int, document_fields, fields_of, from_fields
from gongbao.site.search.query import QueryBuilder, Ranked, can_loosen
from gongbao.site.search.schema import (
    FACET_FIELDS,
    SCHEMA_VERSION,
    build_schema,
    register_analyzers,
)

__all__ = [
    "MAX_PER_PAGE",
    "SCHEMA_VERSION",
    "PassageHit",
    "SchemaMismatchError",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "best_passages",
    "highlight",
]

MAX_PER_PAGE = 100

Sort = Literal["relevance", "date"]


@cache
def _side_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="search")


class SchemaMismatchError(RuntimeError):
    """The index on disk was built by another schema version; rebuild it with create()."""


@dataclass
class SearchHit:
    doc_id: str
    title: str
    title_highlighted: str  # HTML
    doc_number: str | None
    date: str | None  # YYYY-MM-DD
    score: float
    passages: list[PassageHit] = field(default_factory=list)
    matched: list[str] = field(
        default_factory=list
    )  # where it matched: 标题, 文号, 正文, 发文机关…


@dataclass
class SearchResults:
    query: ParsedQuery
    total: int  # documents in the list (ranked: holding any of the words)
    page: int
    per_page: int
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, dict[Any, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    exact_total: int = -1  # documents holding every word exactly; -1 means the same as total
    ranked: bool = False  # the list is ranked retrieval, not only the exact set

    def __post_init__(self) -> None:
        if self.exact_total < 0:
            self.exact_total = self.total


def _with_typed_filters(filters: dict[str, Any], parsed: ParsedQuery) -> dict[str, Any]:
    """Add 发文机关:X and a date range typed into the box to the form's filters (both apply)."""
    if parsed.issuers:
        filters["issuer_text"] = parsed.issuers
    for key, typed, pick in (
        ("date_from", parsed.date_from, max),
        ("date_to", parsed.date_to, min),
    ):
        if typed:
            given = date_int(filters.get(key))
            filters[key] = pick(given, typed) if given else typed
    return filters


PARALLEL_FROM = 512  # documents: fewer are analysed quicker here than by starting workers
_BATCH = 64  # documents a worker analyses at a time


def _analysed(docs: Iterable[Mapping[str, Any]], workers: int | None) -> Iterator[dict]:
    """document_fields of each document, in order; in worker processes for a large input."""
    it = iter(docs)
    head = list(islice(it, PARALLEL_FROM))
    auto = workers is None
    if auto:
        workers = min(8, _usable_cpus() - 1)
    if not workers or workers < 1 or (auto and len(head) < PARALLEL_FROM):
        for doc in chain(head, it):
            yield document_fields(doc)
        return
    # fork: the workers have the analysis imported already and need nothing else (no
    # database, no locks); forkserver or spawn would re-run the caller's main module.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[list[dict]]] = deque()
        rest = chain(head, it)
        while batch := list(islice(rest, _BATCH)):
            pending.append(pool.submit(fields_of, batch))
            if len(pending) >= 2 * workers:  # bounded: the input may be the whole archive
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def indexing_threads() -> int:
    """tantivy's indexing threads for a writer: half the usable CPUs, 1 to 8.

    tantivy's own default is one per CPU, but here the analysis (in this process or
    in workers) takes as much CPU as tantivy's side, and every thread writes its own
    segments from its share of the heap, which the merges then rewrite. On 2 CPUs
    one thread built 200,000 documents in 173 s against 212 s with two (bench/RESULTS.md).
    """
    return max(1, min(8, _usable_cpus() // 2))


def _usable_cpus() -> int:
    """The CPUs this process may run on (taskset, a container's cpuset), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _date_str(value: int | None) -> str | None:
    if not value:
        return None
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def _atomic_write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write, fsync, rename: a crash leaves the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".meta-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class SearchIndex:
    """A tantivy index of gazette documents in a directory, with a generation marker."""

    def __init__(self, path: str | os.PathLike[str], *, writer_heap: int = 128_000_000) -> None:
        self.path = Path(path)
        self._writer_heap = writer_heap
        self._writer: tantivy.IndexWriter | None = None
        tantivy_dir = self.path / "tantivy"
        tantivy_dir.mkdir(parents=True, exist_ok=True)
        meta = self._read_meta()
        if meta and meta.get("schema_version") != SCHEMA_VERSION:
            raise SchemaMismatchError(
                f"索引版本 {meta.get('schema_version')} 与程序版本 {SCHEMA_VERSION} 不符，请重建索引"
            )
        self.schema = build_schema()
        self._index = tantivy.Index(self.schema, path=str(tantivy_dir), reuse=True)
        register_analyzers(self._index)
        if not meta:
            self._write_meta(0)
        self._queries = QueryBuilder(self.schema)

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> SearchIndex:
        """Open the index at path, creating an empty one if there is none."""
        return cls(path)

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> SearchIndex:
        """A new, empty index at path; whatever index was there is removed."""
        target = Path(path)
        shutil.rmtree(target / "tantivy", ignore_errors=True)
        (target / "meta.json").unlink(missing_ok=True)
        return cls(target)

    def close(self) -> None:
        """Drop the writer (and its lock), waiting for merges; uncommitted changes are lost."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer.wait_merging_threads()
            self._writer = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta / generation -----------------------------------------------------

    @property
    def _meta_path(self) -> Path:
        return self.path / "meta.json"

    def _read_meta(self) -> dict[str, Any]:
        try:
            return json.loads(self._meta_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def _write_meta(self, generation: int) -> None:
        _atomic_write_json(
            self._meta_path, {"schema_version": SCHEMA_VERSION, "generation": generation}
        )

    def generation(self) -> int:
        """The generation given to the last successful commit(generation); 0 if none."""
        return int(self._read_meta().get("generation", 0))

    # -- writing ---------------------------------------------------------------

    def _w(self) -> tantivy.IndexWriter:
        # Created lazily: a read-only process (a web worker) never takes the writer lock.
        if self._writer is None:
            self._writer = self._index.writer(
                heap_size=self._writer_heap, num_threads=indexing_threads()
            )
        return self._writer

    def add_documents(
        self, docs: Iterable[Mapping[str, Any]], *, workers: int | None = None
    ) -> int:
        """Add documents (no check for an existing id: use replace for updates).

        From PARALLEL_FROM documents on (a full reindex), the analysis runs in
        ``workers`` processes (default: one per usable CPU but one) while this one feeds
        tantivy; ``workers=0`` keeps it here, a number forces that many.
        """
        n = 0
        writer = self._w()
        for fields in _analysed(docs, workers):
            writer.add_document(from_fields(fields))
            n += 1
        return n

    def delete_document(self, doc_id: str) -> None:
        """Delete the document with this id (effective at the next commit)."""
        self._w().delete_documents_by_term("doc_id", str(doc_id))

    def replace(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Add or update documents by id (effective at the next commit)."""
        n = 0
        writer = self._w()
        for doc in docs:
            writer.delete_documents_by_term("doc_id", str(doc["id"]))
            writer.add_document(from_fields(document_fields(doc)))
            n += 1
        return n

    def delete_issue(self, issue: str) -> None:
        """Delete every document of an issue (effective at the next commit)."""
        self._w().delete_documents_by_term("issue", str(issue))

    def delete_all(self) -> None:
        """Remove every document (effective at the next commit): for a full rebuild."""
        self._w().delete_all_documents()

    def commit(self, generation: int | None = None) -> None:
        """Persist pending changes; then record the generation, if given.

        The generation is written only after tantivy's commit returned, so after
        a crash it can only lag behind the index, which the caller detects and
        repairs by reindexing.
        """
        self._w().commit()
        if generation is not None:
            self._write_meta(int(generation))
        self._index.reload()

    def count(self) -> int:
        """Number of committed documents."""
        self._index.reload()
        return self._index.searcher().num_docs

    # -- searching -------------------------------------------------------------

    def search(
        self,
        q: str,
        *,
        filters: Mapping[str, Any] | None = None,
        sort: Sort = "relevance",
        page: int = 1,
        per_page: int = 10,
        exact: bool = False,
    ) -> SearchResults:
        """One page of results, exact total and facets. Never raises on user input.

        By relevance, unquoted words are ranked retrieval (see the module doc)
        unless `exact`; `exact_total` always counts the documents holding every
        word exactly. By date, the list is the exact set.
        """
        parsed = parse_query(q)
        warnings = list(parsed.warnings)
        page, per_page = max(1, int(page)), min(MAX_PER_PAGE, max(1, int(per_page)))
        if parsed.is_empty and parsed.text:
            # Something was typed but nothing searchable remains: show nothing, say why.
            empty: dict[str, dict[Any, int]] = {f: {} for f in FACET_FIELDS}
            return SearchResults(parsed, 0, page, per_page, facets=empty, warnings=warnings)
        filters = _with_typed_filters(dict(filters or {}), parsed)
        searcher = self._index.searcher()
        queries = self._queries.reading(searcher)
        strict = queries.build(parsed, filters, warnings)
        ranked = not exact and sort == "relevance" and can_loosen(parsed)
        offset = (page - 1) * per_page
        by_date = sort == "date" or not parsed.positive
        if ranked:
            rq = queries.build_ranked(parsed, filters)
            # The facets walk the whole ranked set (and count it); tantivy lets go of
            # the GIL while it searches, so they run on another core meanwhile.
            facets = _side_pool().submit(self._facets, searcher, rq.every)
            page_hits, exact_total = self._ranked_page(searcher, rq, offset, per_page)
            counted = facets.result()
            total = counted.total
        else:
            facets = _side_pool().submit(self._facets, searcher, strict)
            page_hits, exact_total = self._exact_page(searcher, strict, by_date, offset, per_page)
            counted = facets.result()
            total = exact_total
        found = matchers(parsed)
        hits = [
            self._hit(searcher, key, addr, parsed, found, by_date, ranked)
            for key, addr in page_hits
        ]
        return SearchResults(
            parsed,
            total,
            page,
            per_page,
            hits,
            counted.facets,
            warnings,
            exact_total=exact_total,
            ranked=ranked,
        )

    @staticmethod
    def _exact_page(
        searcher: tantivy.Searcher, strict: tantivy.Query, by_date: bool, offset: int, per_page: int
    ) -> tuple[list[tuple[Any, tantivy.DocAddress]], int]:
        """One page of the exact set, newest first or by score, and its count."""
        if by_date:
            result = searcher.search(strict, per_page, order_by_field="date", offset=offset)
        else:
            result = searcher.search(strict, per_page, offset=offset)
        return result.hits, result.count

    @staticmethod
    def _ranked_page(searcher: tantivy.Searcher, rq: Ranked, offset: int, per_page: int) -> _Page:
        """One page of the ranked list (see Ranked), and the exact count."""
        n = offset + per_page
        if rq.tiered:
            return _tiered_page(searcher, rq, offset, n)
        return _merged_page(searcher, rq, offset, n)

    def _hit(
        self,
        searcher: tantivy.Searcher,
        key: Any,
        addr: tantivy.DocAddress,
        parsed: ParsedQuery,
        exact: Matchers,
        by_date: bool,
        ranked: bool,
    ) -> SearchHit:
        doc = searcher.doc(addr)
        passages = _stored_json(doc, "passages")
        head = [(str(label), str(text)) for label, text in _stored_json(doc, "head")]
        title = doc.get_first("title") or ""
        found = found_in(title, passages, head, exact)
        if ranked and not found.matched:
            # Found by some of the words' bigrams only: show and mark those.
            found = found_in(title, passages, head, matchers(parsed, loose=True))
        return SearchHit(
            doc_id=doc.get_first("doc_id"),
            title=title,
            title_highlighted=mark(title, found.title_spans),
            doc_number=doc.get_first("doc_number"),
            date=_date_str(doc.get_first("date")),
            score=0.0 if by_date else float(key),
            passages=found.passages,
            matched=found.matched,
        )

    def _facets(self, searcher: tantivy.Searcher, query: tantivy.Query) -> _Counted:
        # size far above any real number of distinct values keeps the counts exact.
        spec = {
            f: {"terms": {"field": f, "size": 100_000, "segment_size": 100_000}}
            for f in FACET_FIELDS
        }
        result = searcher.aggregate(query, spec)
        facets: dict[str, dict[Any, int]] = {}
        for name in FACET_FIELDS:
            buckets = result.get(name, {}).get("buckets", [])
            facets[name] = {
                b["key"]: b["doc_count"] for b in buckets if not (name == "year" and b["key"] == 0)
            }
        # Every document has one year (0 if unknown): its buckets count the hit set.
        total = sum(b["doc_count"] for b in result.get("year", {}).get("buckets", []))
        return _Counted(facets, total)


@dataclass
class _Counted:
    facets: dict[str, dict[Any, int]]
    total: int


_Hit = tuple[Any, tantivy.DocAddress]
_Page = tuple[list[_Hit], int]


def _merged_page(searcher: tantivy.Searcher, rq: Ranked, offset: int, n: int) -> _Page:
    """The ranked list's hits offset..n merged by score, and the exact count.

    The best n of the exact set, and the best n others: the rest query's best
    2n, less the exact ones known. An exact document beyond the exact set's
    best n may stay among the others, under its lower score outside the set;
    it is then below the exact set's n-th score, so below the page too.
    """
    # The others on another core meanwhile; enough for n even if all n exact ones
    # are among them.
    rest = _side_pool().submit(searcher.search, rq.rest, 2 * n, count=False)
    first = searcher.search(rq.exact, n)
    others = _others(rest.result().hits, first.hits)
    merged = sorted([*first.hits, *others], key=lambda h: (-h[0], *_key(h[1])))
    return merged[offset:n], first.count


def _tiered_page(searcher: tantivy.Searcher, rq: Ranked, offset: int, n: int) -> _Page:
    """The ranked list's hits offset..n, the exact set first, and the exact count. The
    others are searched only where the page reaches beyond the exact set; every exact
    document is then among its best n, so the best n others are among the rest's best n."""
    first = searcher.search(rq.exact, n)
    if first.count >= n:
        return first.hits[offset:n], first.count
    others = _others(searcher.search(rq.rest, n, count=False).hits, first.hits)
    return [*first.hits, *others][offset:n], first.count


def _others(hits: list[_Hit], exact: list[_Hit]) -> list[_Hit]:
    """The hits not among the exact ones."""
    known = {_key(a) for _, a in exact}
    return [(s, a) for s, a in hits if _key(a) not in known]


def _key(addr: tantivy.DocAddress) -> tuple[int, int]:
    return addr.segment_ord, addr.doc


def _stored_json(doc: tantivy.Document, name: str) -> list[Any]:
    raw = doc.get_first(name)
    return json.loads(raw) if raw else []  # bytes: json reads UTF-8 itself
