"""The vectorized token strings (site/search/bigrams.py) against the rules they implement.

The reference below is the rule list of indexing.py's module doc, one run at a
time in plain Python; the index's exactness (test_search_engine's brute-force
scans) rests on the two agreeing token for token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.core.analyzer import (
    MAX_WORD_CHARS,
    normalize,
    normalize_keeping_traditional,
    runs,
)
from gongbao.site.search.indexing import (
    PIECE_STEP,
    SEGMENT_STEP,
    _plain_separators_re,
    analysed,
    bigram_text,
    prepared,
)
from gongbao.site.search.schema import GAP_TOKEN

_PIECE = "\x01"  # indexing joins a field's pieces with it


def reference(text: str) -> list[str]:
    """The tokens of one prepared text: a gap token per gap character; inside a value,
    the bigrams of a CJK run (a lone character alone), a letter/digit run whole (cut),
    and two gap tokens where a CJK run and a letter/digit run touch."""
    tokens: list[str] = []
    for k, value in enumerate(text.split(GAP_TOKEN)):
        if k:
            tokens.append(GAP_TOKEN)
        for i, (is_cjk, run) in enumerate(runs(value)):
            if i:
                tokens += [GAP_TOKEN, GAP_TOKEN]
            if is_cjk and len(run) > 1:
                tokens += [run[j : j + 2] for j in range(len(run) - 1)]
            else:
                tokens.append(run)
    return tokens


def reference_chars(text: str) -> list[str]:
    """Each CJK character, once, in code point order."""
    found = {
        c for value in text.split(GAP_TOKEN) for is_cjk, run in runs(value) if is_cjk for c in run
    }
    return sorted(found)


def reference_joins(text: str) -> list[str]:
    """Each letter/digit run (cut as its token is) with the CJK character touching it,
    before or after."""
    found = []
    for value in text.split(GAP_TOKEN):
        for (a_cjk, a), (b_cjk, b) in pairwise(runs(value)):
            if a_cjk != b_cjk:
                found.append(a[-1] + b if a_cjk else a + b[0])
    return found


def expected(pieces: list[str]) -> tuple[list[str], list[str], list[str]]:
    # From the plain statement: the split folds the traditional characters prepared() leaves.
    text = reference_prepared(_PIECE.join(p.replace(_PIECE, " ") for p in pieces))
    return reference(text), reference_chars(text), reference_joins(text)


_ALPHABET = (
    "政府公报县人民年号发文〇㐀丽"  # common, 〇, Extension A, a compatibility ideograph
    "\U00020001\U0002a6a5\U00030000"  # Extensions B and G (astral)
    "約國號"  # traditional, folded to simplified
    "abcXYZ0129Ａ０ⅣＫé\u0301İ"  # letters and digits, full-width, combining, reshaping
    "〔〕﹝﹞,.。，、 \n\t_-—·①⑴㈠\x00\x01\x02\U0001f600"  # separators, controls, emoji
)
_TEXT = st.text(alphabet=_ALPHABET, max_size=40) | st.builds(
    lambda a, b: "a" * a + "政" + "1" * b,  # words longer than MAX_WORD_CHARS, cut
    st.integers(MAX_WORD_CHARS - 2, MAX_WORD_CHARS + 70),
    st.integers(0, 100),
)


def reference_prepared(text: str, normal: Callable[[str], str] = normalize) -> str:
    """prepared() as first stated: the whole text normalized, then every stretch of
    separators one segment break, every piece mark a piece break, no gap at the ends."""
    g = GAP_TOKEN
    s = re.sub(r"(?:[^\w\x01]|_)+", g * (SEGMENT_STEP - 1), normal(text))
    return s.replace(_PIECE, g * (PIECE_STEP - 1)).strip(g)


@settings(max_examples=400, deadline=None)
@given(st.lists(_TEXT, max_size=4))
def test_prepared_is_normalize_then_separators(pieces: list[str]) -> None:
    # prepared() skips steps where it can tell they change nothing: the same text.
    text = _PIECE.join(p.replace(_PIECE, " ") for p in pieces)
    got, common_only = prepared(text)
    assert got == reference_prepared(text, normalize_keeping_traditional)
    if common_only:  # it may say no where normalization made the text common (Ｋ is k)
        assert re.search(r"[^\x00-\x7f\u4e00-\u9fff]", got) is None


def test_no_character_the_first_pass_leaves_normalizes_to_an_underscore() -> None:
    # prepared() looks for new separators with a class that leaves _ out (it is \w to re).
    plain = _plain_separators_re()
    code_points = (c for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    assert not [
        c
        for c in code_points
        if "_" in normalize_keeping_traditional(chr(c)) and not plain.fullmatch(chr(c))
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_TEXT, max_size=4), min_size=1, max_size=5))
def test_token_strings_follow_the_rules(fields: list[list[str]]) -> None:
    got = analysed(fields)
    want = [expected(f) for f in fields]
    assert [s.split() for s in got.bigrams] == [tokens for tokens, _, _ in want]
    assert [s.split() for s in got.chars] == [chars for _, chars, _ in want]
    assert [sorted(j) for j in got.joins] == [sorted(joins) for _, _, joins in want]
    assert [bigram_text(f) for f in fields] == got.bigrams  # a field alone reads as in company


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=600, max_size=3000), st.text(_ALPHABET, max_size=9))
def test_a_long_fields_chars_follow_the_rules(body: str, title: str) -> None:
    # A field of 512 CJK characters or more is read through a presence table.
    got = analysed([[title], [body]]).chars
    assert [s.split() for s in got] == [expected([title])[1], expected([body])[1]]


def test_runs_words_and_gaps_by_example() -> None:
    g = GAP_TOKEN
    text = bigram_text(["县人民政府2018年第64号", "令"])
    assert text.split() == (
        ["县人", "人民", "民政", "政府", g, g, "2018", g, g, "年第", g, g, "64", g, g, "号"]
        + [g] * 7  # the next piece
        + ["令"]
    )
    assert bigram_text(["x" * (MAX_WORD_CHARS + 5) + "。县"]).split() == [
        "x" * MAX_WORD_CHARS,
        g,
        g,
        g,
        "县",
    ]
    assert analysed([[], ["。，"], ["a"]]).bigrams == ["", "", "a"]
    assert analysed([["县人民政府2018年"], ["令"], ["政府。发文", "县"]]).chars == [
        "人 县 年 府 政 民",  # code point order
        "令",
        "县 发 府 政 文",
    ]
    assert analysed([["2018年5月", "第3条"], ["x2018年"]]).joins == [
        ["2018年", "5月", "3条", "年5", "第3"],
        ["x2018年"],
    ]
