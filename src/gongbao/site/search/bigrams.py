"""Prepared text as a bigram field's token string, every character at once (numpy).

The token rules (indexing.py's module doc) depend only on each character's kind
and its neighbours' kinds, so each character can write its own tokens into a
fixed-width row, all rows at once, and the rows read back as one string. In
CPython a bigram costs about 150 ns to build and join, which made the split the
bulk of the build; here it is a few vector operations per field, whatever its
length.

The input is what indexing.prepared() leaves: gap characters (GAP_TOKEN), CJK
ideographs, letters and digits, nothing else; several fields' texts may be
joined by FIELD_MARK, which each field's tokens are split at again. Traditional
characters are folded here, one gather over the code points (a regular
expression over the text cost several times as much).

The joins (a run of letters or digits and the CJK character beside it: 2018年,
第3) are read off the same masks, at the few places a run meets a CJK character:
a query for one is then a term, not a phrase over every bigram the character starts.
So are each field's CJK characters, each once (the chars fields): a lone character is
then a term too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from gongbao.core.analyzer import CJK_RANGES, MAX_WORD_CHARS, traditional_folds

__all__ = ["FIELD_MARK", "RUN_BREAK_TOKENS", "Tokens", "token_strings"]

#: Joins the fields of one document for a single pass; never in prepared text.
FIELD_MARK = "\x01"
#: Tokens before a letter/digit run that touches a CJK run, or a CJK run that touches
#: one: two gap tokens (indexing.RUN_STEP).
RUN_BREAK_TOKENS = 2

_GAP, _FIELD, _SPACE = 0x00, 0x01, 0x20
_PAD = np.uint32(0xFFFFFFFF)  # not a code point: dropped before decoding
_COMMON_CJK = 0x4E00  # the first of the common block; above it, in common-only text, all CJK
_TABLE_START, _TABLE_END = 0x3000, 0xA000  # 〇, Extension A and the common block
_TABLE_SIZE = _TABLE_END - _TABLE_START
_TABLE_FROM = 512  # CJK characters in a field: from here on, a table finds them quicker
_BREAK = np.array([_GAP, _SPACE] * RUN_BREAK_TOKENS, dtype=np.uint32)
_Codes = npt.NDArray[np.uint32]
_Mask = npt.NDArray[np.bool_]
_Marks = npt.NDArray[np.intp]  # the field marks' indexes


class Tokens(NamedTuple):
    """What one pass gives for each prepared text."""

    bigrams: list[str]  # the token string
    chars: list[str]  # each CJK character the text holds, once, space-separated
    joins: list[list[str]]  # each letter/digit run (cut) with the CJK character beside it


def token_strings(prepared: Sequence[str], *, common_only: bool) -> Tokens:
    """The token strings, characters and joins of each prepared text ("" for an empty one).

    ``common_only``: the texts hold nothing but ASCII and the common CJK block
    (U+4E00–U+9FFF), which spares the other ranges' tests.
    """
    joined = FIELD_MARK.join(prepared)
    if not joined.strip(FIELD_MARK):
        return Tokens([""] * len(prepared), [""] * len(prepared), [[] for _ in prepared])
    given = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    codes = _folded(given, common_only)
    if not np.array_equal(codes, given):
        joined = codes.tobytes().decode("utf-32-le")
    cjk = _cjk(codes, common_only)
    next_cjk, prev_cjk = _shifted(cjk, 1), _shifted(cjk, -1)
    run_end = cjk & prev_cjk & ~next_cjk  # its character is in the bigram before it
    word = ~cjk & (codes > _FIELD)  # a letter or digit
    flat = _tokens(codes, cjk, word, next_cjk, prev_cjk, run_end)
    marks = np.flatnonzero(codes == _FIELD)  # the marks between fields
    chars = _chars(codes, cjk, marks)
    return Tokens(_fields(flat), chars, _joins(joined, codes, cjk, word, next_cjk, marks))


@cache
def _fold_table() -> _Codes:
    """Each code point up to the last folded one, as normalize() folds it."""
    folds = traditional_folds()
    table = np.arange(max(folds) + 1, dtype=np.uint32)
    table[list(folds)] = [ord(c) for c in folds.values()]
    return table


def _folded(codes: _Codes, common_only: bool) -> _Codes:
    """Traditional characters as simplified ones."""
    table = _fold_table()
    if common_only:  # every code point is in the table
        return table[codes]
    inside = codes < table.size
    out = codes.copy()
    out[inside] = table[codes[inside]]
    return out


def _chars(codes: _Codes, cjk: _Mask, marks: _Marks) -> list[str]:
    """Each field's CJK characters, each once, in code point order."""
    out = []
    for start, end in zip([0, *(marks + 1).tolist()], [*marks.tolist(), codes.size], strict=True):
        found = _distinct(codes[start:end][cjk[start:end]])
        spaced = np.full(2 * found.size, _SPACE, dtype=np.uint32)
        spaced[::2] = found
        out.append(spaced.tobytes().decode("utf-32-le").rstrip(" "))
    return out


def _distinct(chars: _Codes) -> _Codes:
    """The CJK characters given, each once, in code point order. For a long text, a
    presence table of 〇, Extension A and the common block finds them in one scatter
    and one scan (np.unique hashes every character); the compatibility and astral ones
    are rare, and above the table."""
    if chars.size < _TABLE_FROM:
        return np.unique(chars)
    tabled = chars < _TABLE_END
    seen = np.zeros(_TABLE_SIZE, dtype=np.bool_)
    seen[chars[tabled] - _TABLE_START] = True
    found = np.flatnonzero(seen).astype(np.uint32) + _TABLE_START
    if tabled.all():
        return found
    return np.concatenate([found, np.unique(chars[~tabled])])


def _joins(
    joined: str, codes: _Codes, cjk: _Mask, word: _Mask, next_cjk: _Mask, marks: _Marks
) -> list[list[str]]:
    """Each field's runs of letters or digits with the CJK character right before or after
    them, as one string: 2018年 and 年5, 5月 of 2018年5月. A run is cut to
    MAX_WORD_CHARS, as its token is."""
    found: list[list[str]] = [[] for _ in range(marks.size + 1)]
    next_word = _shifted(word, 1)
    after = np.flatnonzero(word & next_cjk)  # a run's last character, a CJK one next
    before = np.flatnonzero(cjk & next_word)  # a CJK character, a run next
    if not (after.size or before.size):
        return found
    starts = np.flatnonzero(word & ~_shifted(word, -1))
    ends = np.flatnonzero(word & ~next_word)
    # a run before a CJK character: from its start (cut) to it, and the character
    first = starts[np.searchsorted(starts, after, "right") - 1]
    last = np.minimum(after + 1, first + MAX_WORD_CHARS)
    for field, a, b, c in zip(
        np.searchsorted(marks, after).tolist(),
        first.tolist(),
        last.tolist(),
        (after + 1).tolist(),
        strict=True,
    ):
        found[field].append(joined[a:b] + joined[c])
    # a CJK character before a run: it, and the run from its start (cut)
    last = np.minimum(ends[np.searchsorted(ends, before + 1)] + 1, before + 1 + MAX_WORD_CHARS)
    fields = np.searchsorted(marks, before).tolist()
    for field, c, b in zip(fields, before.tolist(), last.tolist(), strict=True):
        found[field].append(joined[c:b])
    return found


def _fields(flat: _Codes) -> list[str]:
    return [s.strip(" ") for s in flat.tobytes().decode("utf-32-le").split(FIELD_MARK)]


def _cjk(codes: _Codes, common_only: bool) -> _Mask:
    if common_only:
        return codes >= _COMMON_CJK
    cjk = np.zeros(codes.size, dtype=np.bool_)
    for lo, hi in CJK_RANGES:
        cjk |= (codes >= lo) & (codes <= hi)
    return cjk


def _shifted(mask: _Mask, step: int) -> _Mask:
    """mask of the next character (step 1) or the previous one (step -1); False past an end."""
    out = np.zeros_like(mask)
    if step > 0:
        out[:-1] = mask[1:]
    else:
        out[1:] = mask[:-1]
    return out


def _tokens(
    codes: _Codes, cjk: _Mask, word: _Mask, next_cjk: _Mask, prev_cjk: _Mask, run_end: _Mask
) -> _Codes:
    """Each character's row: [first, second, end]; a bigram is [a, b, space], the
    start of a word [c, PAD, PAD] … its end [c, PAD, space], a gap [gap, space, space],
    a lone character [c, space, space]; a run's last character writes nothing. Word
    rows keep PAD, which is dropped; elsewhere spaces pad, as the tokenizer ignores them."""
    n = codes.size
    bigram = cjk & next_cjk
    nexts = np.empty(n, dtype=np.uint32)
    nexts[:-1], nexts[-1:] = codes[1:], _SPACE
    rows = np.empty((n, 3), dtype=np.uint32)
    rows[:, 0] = np.where(run_end, _SPACE, codes)
    rows[:, 1] = np.where(bigram, nexts, _SPACE)
    rows[:, 2] = _SPACE
    if not word.any():
        return rows.ravel()
    next_word, prev_word = _shifted(word, 1), _shifted(word, -1)
    index = np.arange(n)
    word_start = np.maximum.accumulate(np.where(word & ~prev_word, index, 0))
    cut = word & (index - word_start >= MAX_WORD_CHARS)
    rows[word, 1] = _PAD
    rows[word & next_word, 2] = _PAD
    rows[cut, 0] = _PAD
    flat = rows.ravel()
    breaks = np.flatnonzero((word & prev_cjk) | (cjk & prev_word))
    if breaks.size:  # the run break's gap tokens go before the row
        flat = np.insert(flat, np.repeat(3 * breaks, _BREAK.size), np.tile(_BREAK, breaks.size))
    return flat[flat != _PAD]
