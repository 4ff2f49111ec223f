"""Passages and highlighting, in Python, only for the hits on the current page.

What a query matches in a text is found again with regular expressions built
from its terms (the index says *which* documents match, not where), on the
normalized text, and mapped back to the original characters for <mark>.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from gongbao.core.analyzer import (
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
    "PassageHit",
    "best_passages",
    "highlight",
    "mark",
    "matched_fields",
    "matchers",
    "passages_for",
    "spans",
]

MAX_PASSAGES = 3
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


@cache
def _reshaping_re() -> re.Pattern[str]:
    """Characters that normalization does not map to exactly one character (㈠ → (一),
    İ → i̇), and combining marks, which NFKC may join to the letter before them."""
    found = []
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if not 0xD800 <= code < 0xE000 and (unicodedata.combining(ch) or len(normalize(ch)) != 1):
            found.append(re.escape(ch))
    # Plane 1 (mathematical letters, ancient scripts) as a whole: rare, and a class of
    # BMP characters alone stays a fast bitmap lookup.
    return re.compile("[" + "".join(found) + "\U00010000-\U0001ffff]")


@lru_cache(maxsize=4096)
def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """The normalized text and, for each of its characters, the index of the original one.

    None as the map when normalization kept every character in place (nearly all
    Chinese text): the positions are then the same, and the per-character pass,
    the costliest part of building a result page, is skipped. Cached: a page asks
    for the same passages more than once (where it matched, which passages to show).
    """
    whole = normalize(text)
    if len(whole) == len(text) and not _reshaping_re().search(text):
        return whole, None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        norm = normalize(ch)
        chars.append(norm)
        index.extend([i] * len(norm))
    return "".join(chars), index


def _doc_number_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Spans of the wanted 文号, without the words the agency pattern swallows before them."""
    found: list[tuple[int, int]] = []
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


def spans(
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


def mark(text: str, spans: list[tuple[int, int]], limit: int = 0) -> str:
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


def matchers(parsed: ParsedQuery, *, loose: bool = False) -> Matchers:
    """Patterns of what the query matches; loose: the bigrams of its words, as ranking found them."""
    terms = list(parsed.wanted)
    if loose:
        terms = [b for t in parsed.terms for b, _ in positioned_bigrams(t) if len(b) > 1]
    patterns = [p for t in dict.fromkeys(terms) if (p := _term_pattern(t)) is not None]
    return patterns, set(parsed.doc_numbers)


def matched_fields(
    title: str,
    passages: Sequence[Mapping[str, str]],
    head: Sequence[tuple[str, str]],
    matchers: Matchers,
) -> list[str]:
    """Where the query matched, as a reader names it: 标题, 文号, 正文, 发文机关, 落款, 主送机关."""
    found = ["标题"] if spans(title, *matchers) else []
    found += [label for label, text in head if label == "文号" and spans(text, *matchers)]
    if any(
        spans(p.get("heading", ""), *matchers) or spans(p.get("text", ""), *matchers)
        for p in passages
    ):
        found.append("正文")
    found += [label for label, text in head if label != "文号" and spans(text, *matchers)]
    return list(dict.fromkeys(found))


def highlight(text: str, parsed: ParsedQuery, limit: int = 0) -> str:
    """HTML of text with the query's matches in <mark> (e.g. for a title)."""
    patterns, numbers = matchers(parsed)
    return mark(text, spans(text, patterns, numbers), limit)


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
    patterns, numbers = matchers
    scored = []
    for i, p in enumerate(passages):
        heading, text = p.get("heading", ""), p.get("text", "")
        h_spans = spans(heading, patterns, numbers)
        t_spans = spans(text, patterns, numbers)
        scored.append((HEADING_WEIGHT * len(h_spans) + len(t_spans), i, p, h_spans, t_spans))
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
