"""Passages and highlighting, in Python, only for the hits on the current page.

What a query matches in a text is found again with regular expressions built
from its terms (the index says *which* documents match, not where), on the
normalized text, and mapped back to the original characters for <mark>.

Normalizing is the costly part: a text whose every character normalizes alone
to one character (nearly all text) is matched as it is, each character of a term
standing for all its spellings (约 for 約 and 约, a for A and Ａ); only other
texts are normalized first.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import accumulate, chain

from gongbao.core.analyzer import (
    CJK_CHARS,
    ParsedQuery,
    mention_keys,
    normalize,
    positioned_bigrams,
    runs,
    segments,
)
from gongbao.core.docnumber import DOC_NUMBER_RE

__all__ = [
    "MAX_PASSAGES",
    "Found",
    "Matchers",
    "PassageHit",
    "TermMatcher",
    "best_passages",
    "found_in",
    "highlight",
    "mark",
    "matchers",
    "passages_for",
    "spans",
    "spans_each",
]

MAX_PASSAGES = 3
Spans = list[tuple[int, int]]
SNIPPET_CHARS = 240
HEADING_WEIGHT = 3  # a match in a heading says more about a passage than one in its text


@dataclass
class PassageHit:
    anchor: str
    heading: str  # plain text
    heading_highlighted: str  # HTML, like highlighted
    highlighted: str  # HTML: the text (or a window of it) with matches in <mark>, all else escaped
    score: int = 0


# A letter or digit that is not a CJK ideograph: what ends a word run in the index.
_WORD_CHAR = rf"(?:(?![{CJK_CHARS}])[^\W_])"
_WORD_CHAR_RE = re.compile(_WORD_CHAR)


def _is_cjk(ch: str) -> bool:
    parts = runs(ch)
    return bool(parts) and parts[0][0]


_JOIN = "\x00"  # between the texts of one document, matched together
_CJK_RE = re.compile(f"[{CJK_CHARS}]")
_SOLID_RE = re.compile(r"[^\W_]")  # what the patterns take for a letter or digit
_CONJOINING_JAMO = ((0x1100, 0x1200), (0xA960, 0xA980), (0xD7B0, 0xD800))


def _composes_with_what_precedes() -> set[str]:
    """Second characters of canonical pairs (NFKC joins them to the character before),
    and the conjoining jamo (joined by rule, not listed as pairs)."""
    found = {chr(c) for lo, hi in _CONJOINING_JAMO for c in range(lo, hi)}
    for code in range(0x20000):  # no pair has a composite beyond plane 1
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            found.add(chr(int(parts[1], 16)))
    return found


@dataclass(frozen=True)
class _Folding:
    """How normalize() treats each character when it does so alone, as in most text."""

    unsafe: re.Pattern[str]  # in a text holding one of these, normalize the text first
    spellings: dict[str, str]  # a normalized character → the others that normalize to it
    # Not one character for one (㈠ → (一), İ → i̇), or a combining mark, which NFKC may
    # join to the letter before it: where these are, positions move.
    reshaping: re.Pattern[str]


@cache
def _folding() -> _Folding:
    """Unsafe: a character whose normalization is not one character, depends on its
    neighbours (combining marks, what composes, final Σ), or turns a letter or digit
    into a separator or a CJK ideograph into something else (or back). In a text of
    safe characters only, a term matches where its characters, each in any of their
    spellings, stand in the text as it is: no normalization needed. Plane 1 counts
    as unsafe as a whole; from plane 2 on only the compatibility ideographs
    normalize to something else. Built once, in about a third of a second."""
    composing = _composes_with_what_precedes()
    unsafe: list[str] = ["\u03a3"]  # Σ lowers to ς at the end of a word, to σ elsewhere
    reshaping: list[str] = []
    spellings: dict[str, str] = {}
    for code in chain(range(0x10000), range(0x2F800, 0x2FA20)):
        ch = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        norm = normalize(ch)
        first = unicodedata.normalize("NFKD", ch)[:1]  # what may join what precedes
        reshapes = unicodedata.combining(ch) or len(norm) != 1
        if reshapes:
            reshaping.append(re.escape(ch))
        if (
            reshapes
            or unicodedata.combining(first)
            or first in composing
            or bool(_SOLID_RE.match(ch)) != bool(_SOLID_RE.match(norm))
            or bool(_CJK_RE.match(ch)) != bool(_CJK_RE.match(norm))
        ):
            unsafe.append(re.escape(ch))
        elif norm != ch:
            spellings[norm] = spellings.get(norm, "") + ch
    # Plane 1 (mathematical letters, ancient scripts) as a whole: rare, and a class of
    # other characters alone stays a fast bitmap lookup.
    plane_1 = "\U00010000-\U0001ffff]"
    return _Folding(
        re.compile("[" + "".join(unsafe) + plane_1),
        spellings,
        re.compile("[" + "".join(reshaping) + plane_1),
    )


def _spelled(ch: str) -> str:
    """A pattern for the normalized character ch in the safe characters of a raw text."""
    folding = _folding()
    own = ch if normalize(ch) == ch and not folding.unsafe.match(ch) else ""
    spellings = own + folding.spellings.get(ch, "")
    if len(spellings) == 1:
        return re.escape(spellings)
    return f"[{re.escape(spellings)}]" if spellings else "(?!)"


class TermMatcher:
    """A term as a pattern over a raw text of safe characters, and over normalized text."""

    def __init__(self, segs: list[str]) -> None:
        self._segs = segs
        # A letter or digit at an end must not go on a word of the text: checked after a
        # match, as part of each pattern the CJK class takes a millisecond to compile.
        self._open_head = not _is_cjk(segs[0][:1])
        self._open_tail = not _is_cjk(segs[-1][-1:])
        spelled = ["".join(_spelled(ch) for ch in seg) for seg in segs]
        self._raw = re.compile(rf"(?:[^\w{_JOIN}]|_)+".join(spelled))  # never across _JOIN

    def raw_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Where the term stands in a raw text of safe characters (or several, joined)."""
        pos = 0
        while m := self._raw.search(text, pos):
            start, end = m.span()
            if (self._open_head and start and _WORD_CHAR_RE.match(text, start - 1)) or (
                self._open_tail and _WORD_CHAR_RE.match(text, end)
            ):
                pos = start + 1  # inside a word: on from the next character
                continue
            yield start, end
            pos = end

    @cached_property
    def pattern(self) -> re.Pattern[str]:  # few texts need it: compiled when one does
        return _term_pattern(self._segs)


@lru_cache(maxsize=1024)
def _term_matcher(term: str) -> TermMatcher | None:
    segs = segments(term)
    return TermMatcher(segs) if segs else None


def _term_pattern(segs: list[str]) -> re.Pattern[str]:
    """What a term (its normalized segments) matches in normalized text, as the index does.

    Segments may be separated by any punctuation (the index keeps one position
    gap whatever the separator); letter/digit ends sit on run boundaries.
    """
    head = "" if _is_cjk(segs[0][:1]) else rf"(?<!{_WORD_CHAR})"
    tail = "" if _is_cjk(segs[-1][-1:]) else rf"(?!{_WORD_CHAR})"
    return re.compile(head + r"[\W_]+".join(map(re.escape, segs)) + tail)


@lru_cache(maxsize=4096)
def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """The normalized text and, for each of its characters, the index of the original one.

    None as the map when normalization kept every character in place (nearly all
    Chinese text): the positions are then the same, and the per-character pass,
    the costliest part of building a result page, is skipped. Cached: a page asks
    for the same passages more than once (where it matched, which passages to show).
    """
    whole = normalize(text)
    if len(whole) == len(text) and not _folding().reshaping.search(text):
        return whole, None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        norm = normalize(ch)
        chars.append(norm)
        index.extend([i] * len(norm))
    return "".join(chars), index


def _doc_number_spans(text: str, wanted: set[str]) -> Spans:
    """Spans of the wanted 文号, without the words the agency pattern swallows before them."""
    found: Spans = []
    if "号" not in text and "號" not in text:  # every 文号 ends so; the scan is costly
        return found
    # Normalized (﹝﹞ are 〔〕, 國函 is 国函, as the index keys are) where positions stay put.
    folded, index = _normalized_with_map(text)
    folded = folded if index is None else text
    if not any(key.rsplit("|", 1)[-1] in folded for key in wanted):  # not even the serial
        return found
    for m in DOC_NUMBER_RE.finditer(folded):
        agency = m.group("agency")
        for key in mention_keys(m.group(0)):
            if key in wanted:
                skip = len(agency) - len(key.split("|", 1)[0])
                found.append((m.start("agency") + skip, m.end()))
                break
    return found


def spans(text: str, terms: Sequence[TermMatcher], doc_numbers: set[str]) -> Spans:
    """Matched (start, end) spans in the original text, merged and sorted."""
    return spans_each([text], terms, doc_numbers)[0]


def spans_each(
    texts: Sequence[str], terms: Sequence[TermMatcher], doc_numbers: set[str]
) -> list[Spans]:
    """spans() of each text, the texts of one document searched together where they
    are all safe (nearly always): one scan per term, not one per term and text."""
    found: list[Spans] = [[] for _ in texts]
    joined = _JOIN.join(texts)
    if terms and joined.count(_JOIN) == len(texts) - 1 and not _folding().unsafe.search(joined):
        starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        for term in terms:
            for start, end in term.raw_spans(joined):
                i = bisect_right(starts, start) - 1
                found[i].append((start - starts[i], end - starts[i]))
    elif terms:
        found = [_term_spans(text, terms) for text in texts]
    if doc_numbers:
        for text, spans in zip(texts, found, strict=True):
            spans.extend(_doc_number_spans(text, doc_numbers))
    return [_merged(spans) if spans else spans for spans in found]


def _merged(found: Spans) -> Spans:
    merged: Spans = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _term_spans(text: str, terms: Sequence[TermMatcher]) -> Spans:
    if _JOIN not in text and not _folding().unsafe.search(text):
        return [span for term in terms for span in term.raw_spans(text)]
    norm, index = _normalized_with_map(text)
    found: Spans = []
    for term in terms:
        for m in term.pattern.finditer(norm):
            if index is None:
                found.append((m.start(), m.end()))
            else:
                found.append((index[m.start()], index[m.end() - 1] + 1))
    return found


def mark(text: str, spans: Spans, limit: int = 0) -> str:
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


Matchers = tuple[list[TermMatcher], set[str]]


def matchers(parsed: ParsedQuery, *, loose: bool = False) -> Matchers:
    """Patterns of what the query matches; loose: the bigrams of its words, as ranking found them."""
    terms = list(parsed.wanted)
    if loose:
        terms = [b for t in parsed.terms for b, _ in positioned_bigrams(t) if len(b) > 1]
    found = [m for t in dict.fromkeys(terms) if (m := _term_matcher(t)) is not None]
    return found, set(parsed.doc_numbers)


_Scored = tuple[int, int, Mapping[str, str], Spans, Spans]  # score, index, passage, spans


@dataclass
class Found:
    """What a result shows of one document: where the query matched, and how."""

    matched: list[str]  # as a reader names it: 标题, 文号, 正文, 发文机关, 落款, 主送机关
    title_spans: Spans
    passages: list[PassageHit]


def found_in(
    title: str,
    passages: Sequence[Mapping[str, str]],
    head: Sequence[tuple[str, str]],
    matchers: Matchers,
    limit: int = MAX_PASSAGES,
) -> Found:
    """Every text of the document searched at once: the title, the head, each passage."""
    texts = [title, *(text for _, text in head), *_passage_texts(passages)]
    found = spans_each(texts, *matchers)
    title_spans, in_head = found[0], found[1 : 1 + len(head)]
    scored = _scored(passages, found[1 + len(head) :])
    labels = [label for (label, _), spans in zip(head, in_head, strict=True) if spans]
    matched = ["标题"] if title_spans else []
    matched += [label for label in labels if label == "文号"]
    matched += ["正文"] if any(s[0] for s in scored) else []
    matched += [label for label in labels if label != "文号"]
    return Found(list(dict.fromkeys(matched)), title_spans, _best(scored, limit))


def highlight(text: str, parsed: ParsedQuery, limit: int = 0) -> str:
    """HTML of text with the query's matches in <mark> (e.g. for a title)."""
    terms, numbers = matchers(parsed)
    return mark(text, spans(text, terms, numbers), limit)


def best_passages(
    passages: Sequence[Mapping[str, str]], parsed: ParsedQuery, limit: int = MAX_PASSAGES
) -> list[PassageHit]:
    """Up to `limit` passages with the most matches (headings weigh more), best first.

    When no passage matches (a title-only match, or browsing), the first passage
    is shown unmarked so the result still has a snippet.
    """
    return passages_for(passages, matchers(parsed), limit)


def passages_for(
    passages: Sequence[Mapping[str, str]], matchers: Matchers, limit: int = MAX_PASSAGES
) -> list[PassageHit]:
    found = spans_each(_passage_texts(passages), *matchers)
    return _best(_scored(passages, found), limit)


def _passage_texts(passages: Sequence[Mapping[str, str]]) -> list[str]:
    return [t for p in passages for t in (p.get("heading", ""), p.get("text", ""))]


def _scored(passages: Sequence[Mapping[str, str]], found: list[Spans]) -> list[_Scored]:
    """Each passage with its score, from the spans of its heading and text (in turn)."""
    scored = []
    for i, p in enumerate(passages):
        h_spans, t_spans = found[2 * i], found[2 * i + 1]
        scored.append((HEADING_WEIGHT * len(h_spans) + len(t_spans), i, p, h_spans, t_spans))
    return scored


def _best(scored: list[_Scored], limit: int) -> list[PassageHit]:
    matching = [s for s in scored if s[0] > 0]
    best = sorted(matching, key=lambda s: (-s[0], s[1]))[:limit] if matching else scored[:1]
    # Only the passages shown are escaped and marked up.
    return [
        PassageHit(
            anchor=p.get("anchor", ""),
            heading=p.get("heading", ""),
            heading_highlighted=mark(p.get("heading", ""), h_spans),
            highlighted=mark(p.get("text", ""), t_spans, SNIPPET_CHARS),
            score=score,
        )
        for score, _, p, h_spans, t_spans in best
    ]
