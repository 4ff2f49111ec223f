"""Full-text search over gazette documents: a tantivy index fed with character bigrams.

The *exact* hit set of a query equals a substring scan (see gongbao.core.analyzer)
of the title, the body and the head fields (文号, issuers, signature, 主送): a
term of two or more CJK characters is a phrase query over its bigrams, a single
character is a unigram term, anything mixed (2018年, pm2.5) is a phrase over the
unigram field, and all terms must match. Its count is always reported.

Unquoted words asked for by relevance are *ranked* instead: a document needs
one of their bigrams, and BM25 (title, 文号 and whole-phrase boosts, a large
boost for holding every word exactly) orders them, so a question (企业开办要几天)
or a reworded phrase (县政府 for 县人民政府) still finds its document. Quoted
phrases, 文号 and agency codes stay exact; sorting by date lists the exact set.
All queries are built programmatically, never parsed from a string, so no user
input can be a syntax error.

The index lives in ``<path>/tantivy``; ``<path>/meta.json`` holds the schema
version and the *generation* the caller committed last, written atomically
after each successful commit, so the archive can tell after a crash whether the
index is behind. No Django here: the web app wraps this module.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import tantivy

from gongbao.core.analyzer import (
    PIECE_GAP,
    ParsedQuery,
    covering_bigrams,
    doc_number_key,
    doc_number_keys,
    mention_keys,
    normalize,
    parse_query,
    positioned_bigrams,
    positioned_unigrams,
    runs,
    segments,
    word_tokens,
    year_serial_key,
)
from gongbao.core.docnumber import DOC_NUMBER_RE, find_doc_numbers

__all__ = [
    "SCHEMA_VERSION",
    "PassageHit",
    "SchemaMismatchError",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "best_passages",
    "highlight",
]

#: Bump when the schema or the analyzer changes: an index of another version is rebuilt.
SCHEMA_VERSION = 4

TITLE_BOOST = 3.0
HEAD_BOOST = 1.5  # 文号, issuer, signature, 主送: short fields that name the document
DOC_NUMBER_BOOST = 5.0
WORD_BOOST = 1.0
PHRASE_BOOST = 2.0  # a ranked word found whole, not only by its bigrams
EXACT_BOOST = 4.0  # a ranked document holding every word exactly comes first
MAX_PER_PAGE = 100
MAX_PASSAGES = 3
SNIPPET_CHARS = 240
HEADING_WEIGHT = 3  # a match in a heading says more about a passage than one in its text
FACET_FIELDS = ("year", "section", "issuer", "kind", "gazette")
TEXT_FILTERS = ("gazette", "issue", "section", "issuer", "kind")
OWN_KEY_PREFIX = "="  # docnum_keys: "=key" is the document's own 文号, "key" any mention

Sort = Literal["relevance", "date"]


@cache
def _facet_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="facets")


class SchemaMismatchError(RuntimeError):
    """The index on disk was built by another schema version; rebuild it with create()."""


@dataclass
class PassageHit:
    anchor: str
    heading: str  # plain text
    heading_highlighted: str  # HTML, like highlighted
    highlighted: str  # HTML: the text (or a window of it) with matches in <mark>, all else escaped
    score: int = 0


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


def _build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    for name in TEXT_FILTERS:
        # fast text fields feed the facet aggregations
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_integer_field("date", stored=True, indexed=True, fast=True)  # yyyymmdd, 0 unknown
    sb.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("doc_number", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("title_bigrams", "body_bigrams", "head_bigrams", "unigrams"):
        sb.add_text_field(name, tokenizer_name="whitespace")  # pre-tokenized, with positions
    sb.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("docnum_keys", tokenizer_name="whitespace", index_option="freq")
    sb.add_bytes_field("passages", stored=True)  # JSON list of {anchor, heading, text}
    sb.add_bytes_field("head", stored=True)  # JSON list of [label, text]: why a hit matched
    return sb.build()


def _pretokenized(tokens: Sequence[tuple[str, int]]) -> tantivy.PreTokenizedString:
    # Offsets are not used (highlighting is done in Python), so they are left at 0.
    return tantivy.PreTokenizedString("", [tantivy.Token(t, p, 0, 0) for t, p in tokens])


def _pieces_positioned(pieces: Iterable[str], tokenize: Any) -> list[tuple[str, int]]:
    """Tokenize pieces one after another, PIECE_GAP positions apart."""
    out: list[tuple[str, int]] = []
    start = 0
    for piece in pieces:
        tokens = tokenize(piece, start)
        out.extend(tokens)
        if tokens:
            start = tokens[-1][1] + PIECE_GAP
    return out


def _date_int(value: Any) -> int:
    """yyyymmdd from "YYYY-MM-DD" or a date; 0 when missing or unreadable."""
    if isinstance(value, date):
        return value.year * 10000 + value.month * 100 + value.day
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", value)
        if m:
            return int(m.group(1)) * 10000 + int(m.group(2)) * 100 + int(m.group(3))
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return 0


def _date_str(value: int | None) -> str | None:
    if not value:
        return None
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def _passages(doc: Mapping[str, Any]) -> list[dict[str, str]]:
    out = []
    for p in doc.get("passages") or []:
        out.append(
            {
                "anchor": str(p.get("anchor") or ""),
                "heading": str(p.get("heading") or ""),
                "text": str(p.get("text") or ""),
            }
        )
    return out


def _head(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The short fields that name a document, labelled as a reader knows them."""
    issuers = [str(i) for i in doc.get("issuers") or [] if i] or [str(doc.get("issuer") or "")]
    fields = [("文号", str(doc.get("doc_number") or ""))]
    fields += [("发文机关", i) for i in issuers]
    fields += [
        ("落款", str(doc.get("signature") or "")),
        ("主送机关", str(doc.get("recipients") or "")),
    ]
    return [(label, text) for label, text in fields if text.strip()]


def _to_tantivy(doc: Mapping[str, Any]) -> tantivy.Document:
    """One input dict as a tantivy document with all derived token fields."""
    title = str(doc.get("title") or "")
    number = doc.get("doc_number") or None
    passages = _passages(doc)
    body = [s for p in passages for s in (p["heading"], p["text"]) if s]
    head = _head(doc)
    head_texts = [text for _, text in head]
    date_value = _date_int(doc.get("date"))
    year = doc.get("year") or (date_value // 10000 if date_value else 0)

    d = tantivy.Document()
    d.add_text("doc_id", str(doc["id"]))
    for name in TEXT_FILTERS:
        if doc.get(name):
            d.add_text(name, str(doc[name]))
    d.add_integer("year", int(year))
    d.add_integer("date", date_value)
    d.add_text("title", title)
    if number:
        d.add_text("doc_number", str(number))
    d.add_pre_tokenized_text("title_bigrams", _pretokenized(positioned_bigrams(title)))
    d.add_pre_tokenized_text(
        "body_bigrams", _pretokenized(_pieces_positioned(body, positioned_bigrams))
    )
    d.add_pre_tokenized_text(
        "head_bigrams", _pretokenized(_pieces_positioned(head_texts, positioned_bigrams))
    )
    d.add_pre_tokenized_text(
        "unigrams",
        _pretokenized(_pieces_positioned([title, *body, *head_texts], positioned_unigrams)),
    )
    d.add_text("words", " ".join(w for s in [title, *body, *head_texts] for w in word_tokens(s)))
    parts = doc.get("doc_number_parts")
    d.add_text("docnum_keys", " ".join(_docnum_tokens(number, [title, *body], parts)))
    d.add_bytes("passages", json.dumps(passages, ensure_ascii=False).encode("utf-8"))
    d.add_bytes("head", json.dumps(head, ensure_ascii=False).encode("utf-8"))
    return d


def _docnum_tokens(number: Any, texts: Sequence[str], parts: Sequence | None = None) -> list[str]:
    """The document's own 文号 key (prefixed) and every 文号 it mentions, any suffix.

    ``parts`` (agency code, year, serial) as the parser read them give the own key even
    where the printed number is damaged (丹合管办发〔20178) or is a 令's (…令第45号)."""
    keys: list[str] = []
    if number:
        own = doc_number_keys(str(number))
        own += [year_serial_key(d.year, d.serial) for d in find_doc_numbers(str(number))]
        if parts:
            agency, year, serial = str(parts[0]), int(parts[1]), int(parts[2])
            # every suffix, as for mentions: 交通部令 finds 中华人民共和国交通部令
            own += [doc_number_key(agency[i:], year, serial) for i in range(len(agency) - 1)]
            own += [year_serial_key(year, serial)] if year else []
        keys.extend(OWN_KEY_PREFIX + k for k in own)
        keys.extend(mention_keys(str(number)))
    for text in texts:
        # NFKC first: ﹝2018﹞ and other compatibility brackets are 〔2018〕 then
        keys.extend(mention_keys(unicodedata.normalize("NFKC", text)))
    return list(dict.fromkeys(keys))


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


class _QueryBuilder:
    """Turns a ParsedQuery and filters into one tantivy query, with no string parsing."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    def term(self, name: str, value: Any) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, name, value)

    def phrase(self, name: str, tokens: Sequence[tuple[str, int]]) -> tantivy.Query:
        if len(tokens) == 1:
            return self.term(name, tokens[0][0])
        base = tokens[0][1]
        return tantivy.Query.phrase_query(self.schema, name, [(p - base, t) for t, p in tokens])

    @staticmethod
    def any_of(queries: Sequence[tantivy.Query]) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])

    def text_clause(self, term: str) -> tantivy.Query:
        """Documents containing the term as a substring (see module doc)."""
        segs = segments(term)
        parts = runs(segs[0]) if len(segs) == 1 else []
        if len(parts) != 1:
            # mixed (2018年) or punctuated (pm2.5): a phrase over single characters and words
            return self.phrase("unigrams", positioned_unigrams(term))
        is_cjk, run = parts[0]
        if is_cjk and len(run) == 1:
            return self.term("unigrams", run)
        tokens = covering_bigrams(positioned_bigrams(term))
        title = tantivy.Query.boost_query(self.phrase("title_bigrams", tokens), TITLE_BOOST)
        head = tantivy.Query.boost_query(self.phrase("head_bigrams", tokens), HEAD_BOOST)
        return self.any_of([title, self.phrase("body_bigrams", tokens), head])

    def loose_clause(self, term: str) -> tantivy.Query:
        """Documents holding any bigram of the term, each scored by BM25 (ranked retrieval)."""
        clauses = []
        for token in dict.fromkeys(t for t, _ in positioned_bigrams(term)):
            if len(token) == 1 and runs(token)[0][0]:
                clauses.append(self.term("unigrams", token))  # a lone CJK character
                continue
            clauses.append(
                tantivy.Query.boost_query(self.term("title_bigrams", token), TITLE_BOOST)
            )
            clauses.append(self.term("body_bigrams", token))
            clauses.append(tantivy.Query.boost_query(self.term("head_bigrams", token), HEAD_BOOST))
        return self.any_of(clauses) if clauses else self.text_clause(term)

    def doc_number_clause(self, key: str) -> tantivy.Query:
        own = tantivy.Query.boost_query(
            self.term("docnum_keys", OWN_KEY_PREFIX + key), DOC_NUMBER_BOOST
        )
        return self.any_of([own, self.term("docnum_keys", key)])

    def word_bonus(self, parsed: ParsedQuery) -> list[tantivy.Query]:
        words = {w for t in parsed.wanted for w in word_tokens(t)}
        return [
            tantivy.Query.boost_query(self.term("words", w), WORD_BOOST)
            for w in sorted(words)
            if len(w) >= 2
        ]

    def filter_clauses(
        self, filters: Mapping[str, Any], warnings: list[str]
    ) -> list[tantivy.Query]:
        clauses: list[tantivy.Query] = []
        for name, value in filters.items():
            if value is None or value == "" or value == []:
                continue
            clause = self._filter(name, value, warnings)
            if clause is not None:
                # Filters narrow the set but must not change the ranking.
                clauses.append(tantivy.Query.const_score_query(clause, 0.0))
        return clauses

    def _filter(self, name: str, value: Any, warnings: list[str]) -> tantivy.Query | None:
        values = value if isinstance(value, list | tuple | set) else [value]
        if name in TEXT_FILTERS:
            return self.any_of([self.term(name, str(v)) for v in values])
        if name == "doc_ids":  # a set computed elsewhere, e.g. documents in force on a day
            return self.any_of([self.term("doc_id", str(v)) for v in values])
        if name == "year":
            years = [int(v) for v in values if str(v).strip().isdigit()]
            if not years:
                warnings.append(f"年份筛选无效：{value}")
                return None
            return self.any_of([self.term("year", y) for y in years])
        if name in ("date_from", "date_to"):
            bound = _date_int(value)
            if not bound:
                warnings.append(f"日期筛选无效：{value}（应为YYYY-MM-DD）")
                return None
            lower, upper = (bound, None) if name == "date_from" else (None, bound)
            return tantivy.Query.range_query(
                self.schema, "date", tantivy.FieldType.Integer, lower, upper
            )
        warnings.append(f"未知的筛选条件：{name}")
        return None

    def _exact_musts(self, parsed: ParsedQuery, *, with_terms: bool) -> list[tantivy.Query]:
        terms = [*parsed.phrases, *(parsed.terms if with_terms else [])]
        must = [self.text_clause(t) for t in terms]
        must += [self.doc_number_clause(k) for k in parsed.doc_numbers]
        must += [self.any_of([self.text_clause(t) for t in g]) for g in parsed.any_of]
        return must

    def _assemble(
        self, must: list[tantivy.Query], should: list[tantivy.Query], parsed: ParsedQuery
    ) -> tantivy.Query:
        if not must and not parsed.excluded:
            return tantivy.Query.all_query()
        # A query of exclusions only must still start from every document.
        clauses = [(tantivy.Occur.Must, q) for q in must or [tantivy.Query.all_query()]]
        clauses += [(tantivy.Occur.Should, q) for q in should]
        clauses += [(tantivy.Occur.MustNot, self.text_clause(t)) for t in parsed.excluded]
        return tantivy.Query.boolean_query(clauses)

    def build(
        self, parsed: ParsedQuery, filters: Mapping[str, Any], warnings: list[str]
    ) -> tantivy.Query:
        """The exact query: every word, phrase and 文号 as a substring, filters, exclusions."""
        must = self._exact_musts(parsed, with_terms=True) + self.filter_clauses(filters, warnings)
        return self._assemble(must, self.word_bonus(parsed), parsed)

    def build_ranked(
        self, parsed: ParsedQuery, filters: Mapping[str, Any], warnings: list[str]
    ) -> tantivy.Query:
        """Phrases and 文号 exact, the words loosened to their bigrams and ranked."""
        loose = [t for t in parsed.terms if _loosenable(t)]
        must = self._exact_musts(parsed, with_terms=False) + self.filter_clauses(filters, [])
        must += [self.text_clause(t) for t in parsed.terms if t not in loose]
        must.append(self.any_of([self.loose_clause(t) for t in loose]))
        should = [tantivy.Query.boost_query(self.text_clause(t), PHRASE_BOOST) for t in loose]
        should.append(tantivy.Query.boost_query(self.build(parsed, filters, warnings), EXACT_BOOST))
        return self._assemble(must, should + self.word_bonus(parsed), parsed)


def _loosenable(term: str) -> bool:
    """Chinese words only: 64号, 2018年 and pm2.5 stay exact, their pieces mean nothing alone."""
    segs = segments(term)
    parts = runs(segs[0]) if len(segs) == 1 else []
    return len(parts) == 1 and parts[0][0] and len(parts[0][1]) >= 2


def can_loosen(parsed: ParsedQuery) -> bool:
    """Would ranked retrieval find more than the exact query? (Not for one two-character word.)"""
    loose = [t for t in parsed.terms if _loosenable(t)]
    return len(loose) > 1 or any(len(t) > 2 for t in loose)


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
        self.schema = _build_schema()
        self._index = tantivy.Index(self.schema, path=str(tantivy_dir), reuse=True)
        if not meta:
            self._write_meta(0)
        self._queries = _QueryBuilder(self.schema)

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
            self._writer = self._index.writer(heap_size=self._writer_heap)
        return self._writer

    def add_documents(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Add documents (no check for an existing id: use replace for updates)."""
        n = 0
        writer = self._w()
        for doc in docs:
            writer.add_document(_to_tantivy(doc))
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
            writer.add_document(_to_tantivy(doc))
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
        filters = filters or {}
        strict = self._queries.build(parsed, filters, warnings)
        ranked = not exact and sort == "relevance" and can_loosen(parsed)
        query = self._queries.build_ranked(parsed, filters, []) if ranked else strict
        searcher = self._index.searcher()
        by_date = sort == "date" or not parsed.positive
        offset = (page - 1) * per_page
        # The facet counts walk the whole hit set a second time; tantivy lets go of
        # the GIL while it searches, so they run on another core meanwhile.
        facets = _facet_pool().submit(self._facets, searcher, query)
        if by_date:
            result = searcher.search(query, per_page, order_by_field="date", offset=offset)
        else:
            result = searcher.search(query, per_page, offset=offset)
        exact_total = searcher.search(strict, 1).count if ranked else result.count
        hits = [
            self._hit(searcher, key, addr, parsed, by_date, ranked) for key, addr in result.hits
        ]
        return SearchResults(
            parsed,
            result.count,
            page,
            per_page,
            hits,
            facets.result(),
            warnings,
            exact_total=exact_total,
            ranked=ranked,
        )

    def _hit(
        self,
        searcher: tantivy.Searcher,
        key: Any,
        addr: tantivy.DocAddress,
        parsed: ParsedQuery,
        by_date: bool,
        ranked: bool,
    ) -> SearchHit:
        doc = searcher.doc(addr)
        passages = _stored_json(doc, "passages")
        head = [(str(label), str(text)) for label, text in _stored_json(doc, "head")]
        title = doc.get_first("title") or ""
        matchers = _matchers(parsed)
        matched = _matched_fields(title, passages, head, matchers)
        if ranked and not matched:
            # Found by some of the words' bigrams only: show and mark those.
            matchers = _matchers(parsed, loose=True)
            matched = _matched_fields(title, passages, head, matchers)
        return SearchHit(
            doc_id=doc.get_first("doc_id"),
            title=title,
            title_highlighted=_highlight(title, _spans(title, *matchers)),
            doc_number=doc.get_first("doc_number"),
            date=_date_str(doc.get_first("date")),
            score=0.0 if by_date else float(key),
            passages=_best_passages(passages, matchers),
            matched=matched,
        )

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query
    ) -> dict[str, dict[Any, int]]:
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
        return facets


# -- passages and highlighting (Python, only for the hits on the current page) --

# A letter or digit that is not a CJK ideograph: what ends a word run in the index.
_WORD_CHAR = r"(?:(?![\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])[^\W_])"


def _is_cjk(ch: str) -> bool:
    parts = runs(ch)
    return bool(parts) and parts[0][0]


def _term_pattern(term: str) -> re.Pattern[str] | None:
    """What a term matches in normalized text, as the index does.

    Segments may be separated by any punctuation (the index keeps one position
    gap whatever the separator); letter/digit ends sit on run boundaries.
    """
    segs = segments(term)
    if not segs:
        return None
    head = "" if _is_cjk(segs[0][:1]) else rf"(?<!{_WORD_CHAR})"
    tail = "" if _is_cjk(segs[-1][-1:]) else rf"(?!{_WORD_CHAR})"
    return re.compile(head + r"[\W_]+".join(re.escape(seg) for seg in segs) + tail)


def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """The normalized text and, for each of its characters, the index of the original one.

    None as the map when normalization kept every character in place (nearly all
    Chinese text): the positions are then the same, and the per-character pass,
    the costliest part of building a result page, is skipped.
    """
    whole = normalize(text)
    if len(whole) == len(text) and all(len(normalize(ch)) == 1 for ch in _changed(text, whole)):
        return whole, None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        norm = normalize(ch)
        chars.append(norm)
        index.extend([i] * len(norm))
    return "".join(chars), index


def _changed(text: str, norm: str) -> list[str]:
    """The original characters that normalization changed (same-length texts only)."""
    return [a for a, b in zip(text, norm, strict=True) if a != b]


def _doc_number_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Spans of the wanted 文号, without the words the agency pattern swallows before them."""
    found: list[tuple[int, int]] = []
    folded = unicodedata.normalize("NFKC", text)
    for m in DOC_NUMBER_RE.finditer(folded if len(folded) == len(text) else text):
        agency = m.group("agency")
        for key in mention_keys(m.group(0)):
            if key in wanted:
                skip = len(agency) - len(key.split("|", 1)[0])
                found.append((m.start("agency") + skip, m.end()))
                break
    return found


def _spans(
    text: str, patterns: Sequence[re.Pattern[str]], doc_numbers: set[str]
) -> list[tuple[int, int]]:
    """Matched (start, end) spans in the original text, merged and sorted."""
    norm, index = _normalized_with_map(text)
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in pattern.finditer(norm):
            if index is None:
                found.append((m.start(), m.end()))
            else:
                found.append((index[m.start()], index[m.end() - 1] + 1))
    if doc_numbers:
        found.extend(_doc_number_spans(text, doc_numbers))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _highlight(text: str, spans: list[tuple[int, int]], limit: int = 0) -> str:
    """Escaped text with spans in <mark>; cut to a window around the first match if limit."""
    lo, hi = 0, len(text)
    if limit and len(text) > limit:
        first = spans[0][0] if spans else 0
        lo = max(0, min(first - limit // 4, len(text) - limit))
        hi = lo + limit
    out = ["…" if lo > 0 else ""]
    pos = lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:hi]))
    out.append("…" if hi < len(text) else "")
    return "".join(out)


Matchers = tuple[list[re.Pattern[str]], set[str]]


def _matchers(parsed: ParsedQuery, *, loose: bool = False) -> Matchers:
    """Patterns of what the query matches; loose: the bigrams of its words, as ranking found them."""
    terms = list(parsed.wanted)
    if loose:
        terms = [b for t in parsed.terms for b, _ in positioned_bigrams(t) if len(b) > 1]
    patterns = [p for t in dict.fromkeys(terms) if (p := _term_pattern(t)) is not None]
    return patterns, set(parsed.doc_numbers)


def _matched_fields(
    title: str,
    passages: Sequence[Mapping[str, str]],
    head: Sequence[tuple[str, str]],
    matchers: Matchers,
) -> list[str]:
    """Where the query matched, as a reader names it: 标题, 文号, 正文, 发文机关, 落款, 主送机关."""
    found = ["标题"] if _spans(title, *matchers) else []
    found += [label for label, text in head if label == "文号" and _spans(text, *matchers)]
    if any(
        _spans(p.get("heading", ""), *matchers) or _spans(p.get("text", ""), *matchers)
        for p in passages
    ):
        found.append("正文")
    found += [label for label, text in head if label != "文号" and _spans(text, *matchers)]
    return list(dict.fromkeys(found))


def _stored_json(doc: tantivy.Document, name: str) -> list[Any]:
    raw = doc.get_first(name)
    return json.loads(bytes(raw).decode("utf-8")) if raw else []


def highlight(text: str, parsed: ParsedQuery, limit: int = 0) -> str:
    """HTML of text with the query's matches in <mark> (e.g. for a title)."""
    patterns, numbers = _matchers(parsed)
    return _highlight(text, _spans(text, patterns, numbers), limit)


def best_passages(
    passages: Sequence[Mapping[str, str]], parsed: ParsedQuery, limit: int = MAX_PASSAGES
) -> list[PassageHit]:
    """Up to `limit` passages with the most matches (headings weigh more), best first.

    When no passage matches (a title-only match, or browsing), the first passage
    is shown unmarked so the result still has a snippet.
    """
    return _best_passages(passages, _matchers(parsed), limit)


def _best_passages(
    passages: Sequence[Mapping[str, str]], matchers: Matchers, limit: int = MAX_PASSAGES
) -> list[PassageHit]:
    patterns, numbers = matchers
    scored = []
    for i, p in enumerate(passages):
        heading, text = p.get("heading", ""), p.get("text", "")
        h_spans = _spans(heading, patterns, numbers)
        t_spans = _spans(text, patterns, numbers)
        scored.append((HEADING_WEIGHT * len(h_spans) + len(t_spans), i, p, h_spans, t_spans))
    matching = [s for s in scored if s[0] > 0]
    best = sorted(matching, key=lambda s: (-s[0], s[1]))[:limit] if matching else scored[:1]
    # Only the passages shown are escaped and marked up.
    return [
        PassageHit(
            anchor=p.get("anchor", ""),
            heading=p.get("heading", ""),
            heading_highlighted=_highlight(p.get("heading", ""), h_spans),
            highlighted=_highlight(p.get("text", ""), t_spans, SNIPPET_CHARS),
            score=score,
        )
        for score, _, p, h_spans, t_spans in best
    ]
