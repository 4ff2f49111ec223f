"""A ParsedQuery and filters as one tantivy query, built programmatically (never parsed).

Exact clauses match where a substring scan of the normalized text does. A term is
a phrase over the bigram fields with the offsets indexing.py gives the text:
bigrams of a CJK run are consecutive (only every second one is read, see
covering_bigrams, and a rare one, see with_rarest), the next run of a segment is
RUN_STEP further, the next segment SEGMENT_STEP. A CJK run at either end of the
term may continue in the text, so if it is one character it is a regular
expression over the bigrams (年 at the end of 2018年 is ``年.?``: 年 alone or the
first bigram of its run); a lone character is a term of the chars fields
(lone_clause), and a run of letters or digits with one CJK character beside it
(2018年, 第3) is a term of the joins field (join_clause): ``年.?`` is every bigram 年
starts, and 年 stands in most documents.

Ranked clauses loosen unquoted Chinese words to any of their bigrams, scored by
BM25, with boosts for the title, the head and the whole word; the documents
holding every word exactly come first (see Ranked).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import tantivy

from gongbao.core.analyzer import ParsedQuery, covering_bigrams, runs, segments
from gongbao.site.search.indexing import RUN_STEP, SEGMENT_STEP, date_int
from gongbao.site.search.schema import (
    CHAR_FIELDS,
    DOC_NUMBER_BOOST,
    EXACT_BOOST,
    HEAD_BOOST,
    JOIN_PREFIXES,
    OWN_KEY_PREFIX,
    PHRASE_BOOST,
    TEXT_FILTERS,
    TITLE_BOOST,
)

__all__ = ["QueryBuilder", "Ranked", "can_loosen", "phrase_tokens"]

#: Bigram fields with their boosts: the title and the head name the document.
FIELD_BOOSTS = (("title_bigrams", TITLE_BOOST), ("body_bigrams", 1.0), ("head_bigrams", HEAD_BOOST))

Token = tuple[str, int, bool]  # text or regular expression, offset, is a regular expression


def phrase_tokens(term: str, doc_freq: Callable[[str], int] | None = None) -> list[Token]:
    """The tokens (with offsets) that a bigram field holds wherever the term occurs.

    ``doc_freq`` (documents holding a bigram) lets a rare bigram join the covering
    ones (see with_rarest)."""
    flat = [(si, is_cjk, run) for si, seg in enumerate(segments(term)) for is_cjk, run in runs(seg)]
    out: list[Token] = []
    pos = last = 0
    for k, (si, is_cjk, run) in enumerate(flat):
        if k:
            pos = last + (SEGMENT_STEP if si != flat[k - 1][0] else RUN_STEP)
        open_left, open_right = k == 0, k == len(flat) - 1
        if is_cjk and len(run) > 1:
            bigrams = [(run[i : i + 2], pos + i) for i in range(len(run) - 1)]
            kept = covering_bigrams(bigrams)
            if doc_freq is not None:
                kept = with_rarest(bigrams, kept, doc_freq)
            out.extend((t, p, False) for t, p in kept)
            last = pos + len(run) - 2
            continue
        if is_cjk and open_left and open_right:
            out.append((f"{run}.?|.{run}", pos, True))
        elif is_cjk and open_left:
            out.append((f".?{run}", pos, True))  # the end of a run: 县 alone, or 政县
        elif is_cjk and open_right:
            out.append((f"{run}.?", pos, True))  # the start of a run
        else:
            out.append((run, pos, False))  # a whole run: letters/digits, or one character
        last = pos
    return out


def with_rarest(
    bigrams: list[tuple[str, int]], kept: list[tuple[str, int]], doc_freq: Callable[[str], int]
) -> list[tuple[str, int]]:
    """The covering bigrams, and the rarest one left out where it is rarer than all of them.

    Any set of a run's bigrams that covers its characters matches exactly where
    the run does; an extra one only narrows the documents. tantivy walks a phrase's
    documents from its rarest token and reads positions only where every token is:
    in 工作推进, 工作 and 推进 are in nearly every document, 作推 in those that hold
    the phrase, so the positions read drop to those documents.
    """
    left_out = [b for b in bigrams if b not in kept]
    if not left_out:
        return kept
    rarest = min(left_out, key=lambda b: doc_freq(b[0]))
    if doc_freq(rarest[0]) >= min(doc_freq(t) for t, _ in kept):
        return kept
    return sorted([*kept, rarest], key=lambda b: b[1])


def _lone_character(term: str) -> str | None:
    """The term's one CJK character, where that is all it holds."""
    parts = [run for seg in segments(term) for run in runs(seg)]
    if len(parts) == 1 and parts[0][0] and len(parts[0][1]) == 1:
        return parts[0][1]
    return None


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


def _join(term: str) -> str | None:
    """The term as the joins field holds it (bigrams._joins), where it is a run of letters
    or digits and one CJK character beside it (2018年, 第3)."""
    segs = segments(term)
    parts = runs(segs[0]) if len(segs) == 1 else []
    if len(parts) != 2 or parts[0][0] == parts[1][0]:
        return None
    char = parts[0][1] if parts[0][0] else parts[1][1]
    return parts[0][1] + parts[1][1] if len(char) == 1 else None


def _loosenable(term: str) -> bool:
    """Unpunctuated terms with a Chinese word in them (2017年节假日安排); 64号, 2018年 and
    pm2.5 stay exact, their pieces mean nothing alone, and so does a term with
    punctuation inside (title:环保), which reads as written."""
    segs = segments(term)
    return len(segs) == 1 and any(is_cjk and len(run) >= 2 for is_cjk, run in runs(segs[0]))


def can_loosen(parsed: ParsedQuery) -> bool:
    """Would ranked retrieval find more than the exact query? (Not for one two-character word.)"""
    loose = [t for t in parsed.terms if _loosenable(t)]
    return len(loose) > 1 or any(len(t) > 2 for t in loose)


@dataclass(frozen=True)
class Ranked:
    """Ranked retrieval as a few cheaper queries that give the same scores as one.

    The one query would be: a document needs some bigram of the words, and scores
    by them (BM25), by each word found whole and, with a large boost, by holding
    every word exactly. But it evaluates every phrase on each document that shares
    a bigram with the query, half the corpus for common words. The exact set and
    the others are searched apart instead, each scored as the one query would
    score it, and merged by score (engine.py); the facets and the count read the
    set unscored.

    With several words the list is *tiered*: the documents holding every word
    come first, then the others. The others' search is then needed only where a
    page reaches beyond the exact set, and it is the costly one (each word's phrase
    over every document holding its bigrams). With one word the others hold only
    some of its bigrams and are cheap to search; merging by score lets a title that
    says the same in other words (打击重点行业领域黑恶势力 for 打击黑恶势力) rank
    above a passing mention of the exact phrase.
    """

    exact: tantivy.Query  # the exact set, scored whole
    rest: tantivy.Query  # every document, scored as if outside the exact set
    every: tantivy.Query  # the ranked set: for the count and the facets
    tiered: bool  # the exact set first (several words), else merged by score


class QueryBuilder:
    """Turns a ParsedQuery and filters into one tantivy query, with no string parsing."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        self._doc_freq: Callable[[str], int] | None = None

    def reading(self, searcher: tantivy.Searcher) -> QueryBuilder:
        """A builder for one search on this searcher: phrases take its rarest bigrams
        (with_rarest; the body's counts, the largest field's)."""
        builder = copy(self)
        builder._doc_freq = cache(partial(searcher.doc_freq, "body_bigrams"))
        return builder

    def term(self, name: str, value: Any) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, name, value)

    @staticmethod
    def any_of(queries: Sequence[tantivy.Query]) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])

    def field_phrase(self, name: str, tokens: Sequence[Token]) -> tantivy.Query:
        if len(tokens) == 1:
            text, _, is_regex = tokens[0]
            if is_regex:
                return tantivy.Query.regex_query(self.schema, name, text)
            return self.term(name, text)
        words = [(p, t) for t, p, _ in tokens]
        if any(r for _, _, r in tokens):
            return tantivy.Query.regex_phrase_query(self.schema, name, words)
        return tantivy.Query.phrase_query(self.schema, name, words)

    def text_clause(
        self, term: str, fields: Sequence[tuple[str, float]] = FIELD_BOOSTS
    ) -> tantivy.Query:
        """Documents containing the term as a substring (see module doc)."""
        if fields == FIELD_BOOSTS and (char := _lone_character(term)):
            return self.lone_clause(char)
        if fields == FIELD_BOOSTS and (join := _join(term)):
            return self.join_clause(join)
        tokens = phrase_tokens(term, self._doc_freq)
        if not tokens:
            return tantivy.Query.empty_query()
        clauses = []
        for name, boost in fields:
            q = self.field_phrase(name, tokens)
            clauses.append(_boosted(q, boost))
        return clauses[0] if len(clauses) == 1 else self.any_of(clauses)

    def lone_clause(self, char: str) -> tantivy.Query:
        """Documents holding a lone CJK character anywhere in the title, body or head: a
        term of each field's chars field, scored a constant, the field's boost. (Over the
        bigrams it is every bigram it starts and every run it ends: ``字.?`` walked one
        branch of the term dictionary, the whole union in most documents.)"""
        clauses = [
            tantivy.Query.const_score_query(self.term(CHAR_FIELDS[name], char), boost)
            for name, boost in FIELD_BOOSTS
        ]
        return self.any_of(clauses)

    def join_clause(self, join: str) -> tantivy.Query:
        """Documents holding a join (2018年: a whole run and the CJK character beside it) in
        the title, body or head: one term each, scored by BM25 with the fields' boosts."""
        clauses = []
        for name, boost in FIELD_BOOSTS:
            q = self.term("joins", JOIN_PREFIXES[name] + join)
            clauses.append(_boosted(q, boost))
        return self.any_of(clauses)

    def loose_clause(self, term: str) -> tantivy.Query:
        """Documents holding any bigram of the term, each scored by BM25 (ranked retrieval)."""
        pieces: dict[str, bool] = {}  # bigram or word → is a lone CJK character
        for seg in segments(term):
            for is_cjk, run in runs(seg):
                if is_cjk and len(run) > 1:
                    pieces.update((run[i : i + 2], False) for i in range(len(run) - 1))
                else:
                    pieces[run] = is_cjk
        if any(not lone for lone in pieces.values()):
            # a lone character (年 of 2017年) says little and is costly to look up
            pieces = {p: lone for p, lone in pieces.items() if not lone}
        clauses = []
        for piece, lone in pieces.items():
            if lone:
                clauses.append(self.text_clause(piece))
                continue
            for name, boost in FIELD_BOOSTS:
                q = self.term(name, piece)
                clauses.append(_boosted(q, boost))
        return self.any_of(clauses) if clauses else self.text_clause(term)

    def doc_number_clause(self, key: str) -> tantivy.Query:
        own = tantivy.Query.boost_query(
            self.term("docnum_keys", OWN_KEY_PREFIX + key), DOC_NUMBER_BOOST
        )
        return self.any_of([own, self.term("docnum_keys", key)])

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
        if name == "issuer_text":  # 发文机关:X typed in the box: X within an issuer's name
            fields = (("issuer_bigrams", 1.0),)
            return self.any_of([self.text_clause(str(v), fields) for v in values])
        if name == "doc_ids":  # a set computed elsewhere, e.g. documents in force on a day
            return self.any_of([self.term("doc_id", str(v)) for v in values])
        if name == "year":
            years = [int(v) for v in values if str(v).strip().isdigit()]
            if not years:
                warnings.append(f"年份筛选无效：{value}")
                return None
            return self.any_of([self.term("year", y) for y in years])
        if name in ("date_from", "date_to"):
            bound = date_int(value)
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
        return self._assemble(must, [], parsed)

    def build_ranked(self, parsed: ParsedQuery, filters: Mapping[str, Any]) -> Ranked:
        """Phrases and 文号 exact, the words loosened to their bigrams and ranked."""
        loose = [t for t in parsed.terms if _loosenable(t)]
        exact_musts = self._exact_musts(parsed, with_terms=False)
        exact_musts += [self.text_clause(t) for t in parsed.terms if t not in loose]
        set_filters = self.filter_clauses(filters, [])
        words = self.any_of([self.loose_clause(t) for t in loose])
        must = [*exact_musts, *set_filters, words]
        whole = [self.text_clause(t) for t in loose]
        # The one query's score of an exact document, each phrase evaluated once: the
        # exact query (EXACT_BOOST) holds every clause; the musts count once more, the
        # words whole PHRASE_BOOST more; the bigrams come on top.
        exact = [tantivy.Query.boost_query(q, 1.0 + EXACT_BOOST) for q in exact_musts]
        exact += [tantivy.Query.boost_query(q, PHRASE_BOOST + EXACT_BOOST) for q in whole]
        boosted_whole = [tantivy.Query.boost_query(q, PHRASE_BOOST) for q in whole]
        return Ranked(
            exact=self._assemble([*exact, *set_filters], [words], parsed),
            # With one word, a document outside the exact set never holds it whole.
            rest=self._assemble(must, boosted_whole if len(loose) > 1 else [], parsed),
            every=self._assemble(must, [], parsed),
            tiered=len(loose) > 1,
        )
