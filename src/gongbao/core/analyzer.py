"""Chinese text analysis for full-text search, shared by indexing and querying.

Why character bigrams: most queries are two-character words (扶贫, 秸秆, 环保),
names or a 文号. Word segmentation alone loses recall (环保 inside 县环保局 is
segmented as 环保局), while overlapping bigrams plus a phrase query over them
find exactly the documents that contain the query as a substring, like
Lucene's CJK analyzer. Single characters go into a unigram field so one-character
queries work too; jieba words (rjieba) only reward whole-word matches in ranking.

Text is cut into *segments* (maximal stretches of letters, digits and CJK
ideographs; punctuation and space separate them) and each segment into *runs*
(CJK ideographs, or other letters/digits such as ``2018`` and ``pm2``).
Positions are consecutive within a run (bigram fields) or within a segment
(unigram field); a gap is left at every boundary so that a phrase query can
never match across punctuation or across two pieces of text.

Traditional characters are folded to simplified ones (OpenCC's t2s table, one
character for one, so positions and highlighting stay put) on both sides, so a
simplified query finds a traditional document and the reverse.

The query language is what people type into search boxes: words (all must
occur), "quoted phrases", ``-word`` to exclude, ``A OR B``, and 文号 in any
form or in part (冠政发, 64号, 〔2018〕64号, 冠政发201864号). Anything else is
plain text, and every operator read or ignored is said in a notice.

Nothing here imports Django or tantivy: the functions are plain and typed.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import rjieba

from gongbao.core.docnumber import find_doc_numbers, normalize_doc_number
from gongbao.core.patterns import ORDER_NUMBER_RE

__all__ = [
    "CJK_CHARS",
    "CJK_RANGES",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "MAX_WORD_CHARS",
    "PIECE_GAP",
    "RUN_GAP",
    "ParsedQuery",
    "bigram_tokens",
    "covering_bigrams",
    "doc_number_key",
    "doc_number_keys",
    "mention_keys",
    "normalize",
    "normalize_keeping_traditional",
    "parse_query",
    "positioned_bigrams",
    "positioned_unigrams",
    "runs",
    "segments",
    "traditional_folds",
    "unigram_tokens",
    "word_tokens",
]

#: Queries longer than this are cut: no one types more, and pasted pages would
#: otherwise turn into thousands of phrase clauses.
MAX_QUERY_CHARS = 200
#: More AND-ed terms than this only slow the query down without narrowing it.
MAX_QUERY_TERMS = 16
#: Longer letter/digit runs (hashes, base64, URLs) are cut so no term exceeds
#: tantivy's term size limit; index and query cut the same way.
MAX_WORD_CHARS = 64
#: Position gap between separately tokenized pieces (title, each heading,
#: each passage) so a phrase never spans two of them.
PIECE_GAP = 50
#: Positions skipped between two runs in the bigram fields. Two, not one, so that
#: a phrase over every second bigram (covering_bigrams) cannot join two runs.
RUN_GAP = 2

# CJK Unified Ideographs, Extension A, compatibility ideographs, Extension B+,
# and 〇 (U+3007), which Chinese dates use as a digit (二〇一八年).
#: The same as code point ranges, first and last included (for vectorized tests).
CJK_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)
_CJK_CHARS = "".join(chr(lo) if lo == hi else f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES)
CJK_CHARS = _CJK_CHARS  # for a regex character class
_CJK_RE = re.compile(f"[{_CJK_CHARS}]")
_SEGMENT_RE = re.compile(r"[^\W_]+")
_RUN_RE = re.compile(f"(?P<cjk>[{_CJK_CHARS}]+)|(?P<word>(?:(?![{_CJK_CHARS}])[^\\W_])+)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Quote pairs people type: ASCII "…", Chinese “…”, corner brackets 「…」.
# A token: an optional leading minus, then a quoted phrase or a bare word.
_TOKEN_RE = re.compile(
    r'(?P<neg>-?)(?:"(?P<a>[^"]*)"|“(?P<b>[^”]*)”|「(?P<c>[^」]*)」|(?P<bare>[^\s"“”「」]+))'
)
_AND = {"AND", "&&"}
_OR = {"OR", "||", "|"}
_NOT = {"NOT"}
_WILDCARD_RE = re.compile(r"[*?]")
# 文号 as typed into a search box, after NFKC (﹝﹞ are 〔〕 then) and without spaces:
# 冠政发〔2018〕64, 冠政发201864号 (brackets lost in conversion), 冠政发2018年第64号.
_OPEN_BR = r"[\[(〔【{<《]"
_CLOSE_BR = r"[\])〕】}>》]"
_TYPED_DOCNUM_RE = re.compile(
    rf"(?P<agency>[{_CJK_CHARS}]{{1,12}}?){_OPEN_BR}?(?P<year>(?:19|20)\d{{2}})"
    rf"(?:{_CLOSE_BR}|年)?第?(?P<serial>\d{{1,6}})号?"
)
# The year and serial alone, in brackets: 〔2018〕64号, [2018]64.
_YEAR_SERIAL_RE = re.compile(
    rf"{_OPEN_BR}(?P<year>(?:19|20)\d{{2}}){_CLOSE_BR}第?(?P<serial>\d{{1,6}})号?"
)
# An agency code typed alone (冠政发, 冠政办发, 国办函): matched exactly, never loosened.
_AGENCY_CODE_RE = re.compile(rf"[{_CJK_CHARS}]{{2,10}}[发函]")


@cache
def _t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character for one (OpenCC t2s on each character alone)."""
    import opencc

    chars = [
        chr(c)
        for block in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
        for c in range(*block)
    ]
    # One call for all: a line break between them, so no phrase rule spans two.
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, ㈠ → (一)), simplified characters, lower case.

    Index and query alike. Every step maps one character to one (but NFKC on
    rare compatibility characters), so positions in the text stay usable.
    """
    # Runs of folded characters, not the whole text: translate() costs as much on a
    # character it leaves as on one it folds, and most text has none or a few.
    return _traditional_runs_re().sub(_simplified_run, normalize_keeping_traditional(text))


def normalize_keeping_traditional(text: str) -> str:
    """normalize() but for traditional → simplified, for a caller that folds them itself
    (the index's split, over code points at once). The fold commutes with lower case:
    it maps ideographs to ideographs, which lower() leaves."""
    return _nfkc(text).lower()


def traditional_folds() -> Mapping[int, str]:
    """The code points normalize() folds, each to its simplified character."""
    return _t2s_table()


# Common CJK ideographs are NFKC-stable, and CPython's NFKC is slow on them: only the
# stretches between them (punctuation, letters, compatibility characters) are normalized.
# ASCII is NFKC-stable too; an ASCII character just before a stretch goes with it (e
# and a combining acute accent compose to é).
_NOT_COMMON_CJK_RE = re.compile(r"[\x00-\x7f]?[^\x00-\x7f\u4e00-\u9fff]+")


def _nfkc_stretch(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group(0))


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), several times faster on Chinese text."""
    # is_normalized is a quick check in C, exact: most text (pinyin's ā and 〇 too) is
    # already NFKC, and then no stretch is normalized one by one.
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return _NOT_COMMON_CJK_RE.sub(_nfkc_stretch, text)


@cache
def _traditional_runs_re() -> re.Pattern[str]:
    """A run of characters that t2s folds."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_t2s_table())) + "]+")


def _simplified_run(m: re.Match[str]) -> str:
    return m.group(0).translate(_t2s_table())


def segments(text: str) -> list[str]:
    """The punctuation-free stretches of the normalized text."""
    return _SEGMENT_RE.findall(normalize(text))


def runs(segment: str) -> list[tuple[bool, str]]:
    """A segment's runs as (is_cjk, text); letter/digit runs are cut to MAX_WORD_CHARS."""
    out: list[tuple[bool, str]] = []
    for m in _RUN_RE.finditer(segment):
        if m.group("cjk"):
            out.append((True, m.group("cjk")))
        else:
            out.append((False, m.group("word")[:MAX_WORD_CHARS]))
    return out


def _run_bigrams(is_cjk: bool, run: str) -> list[str]:
    if not is_cjk or len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def positioned_bigrams(text: str, start: int = 0) -> list[tuple[str, int]]:
    """Bigram tokens with positions: consecutive inside a run, RUN_GAP positions skipped between."""
    out: list[tuple[str, int]] = []
    pos = start
    for seg in segments(text):
        for is_cjk, run in runs(seg):
            for token in _run_bigrams(is_cjk, run):
                out.append((token, pos))
                pos += 1
            pos += RUN_GAP  # a phrase must not join two runs
    return out


def covering_bigrams(tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every second bigram of one run, and its last: they still cover every character.

    A phrase query over these matches exactly where the full bigram phrase does,
    at half the position lists to read, because two tokens kept are at most two
    positions apart and RUN_GAP keeps two runs of the text further apart than that.
    """
    if len(tokens) <= 2:
        return tokens
    kept = tokens[::2]
    if kept[-1] != tokens[-1]:
        kept.append(tokens[-1])
    return kept


def positioned_unigrams(text: str, start: int = 0) -> list[tuple[str, int]]:
    """Single CJK characters and whole words, consecutive inside a segment, gaps between."""
    out: list[tuple[str, int]] = []
    pos = start
    for seg in segments(text):
        for is_cjk, run in runs(seg):
            for token in run if is_cjk else [run]:
                out.append((token, pos))
                pos += 1
        pos += 1  # "2018年" stays adjacent; "pm2.5" keeps a one-position gap
    return out


def bigram_tokens(text: str) -> list[str]:
    """Overlapping CJK bigrams (a lone character stays itself) and lower-case words."""
    return [token for token, _ in positioned_bigrams(text)]


def unigram_tokens(text: str) -> list[str]:
    """Single CJK characters and lower-case words."""
    return [token for token, _ in positioned_unigrams(text)]


def word_tokens(text: str) -> list[str]:
    """jieba words of the normalized text, without punctuation and white space."""
    words: list[str] = []
    for word in rjieba.cut(normalize(text)):
        if _SEGMENT_RE.fullmatch(word):
            words.append(word[:MAX_WORD_CHARS])
        else:
            # jieba keeps e.g. "pm2.5" whole; index its segments instead.
            words.extend(s[:MAX_WORD_CHARS] for s in _SEGMENT_RE.findall(word))
    return words


def doc_number_key(agency: str, year: int, serial: int) -> str:
    """The index token of a 文号: 冠政发|2018|64 (no spaces, so one raw token)."""
    return f"{agency}|{year}|{serial}"


def year_serial_key(year: int, serial: int) -> str:
    """The key of a 文号 without its agency code (〔2018〕64号 typed alone): |2018|64."""
    return doc_number_key("", year, serial)


def doc_number_keys(text: str) -> list[str]:
    """Keys of the document numbers printed in a text, in order, without repeats."""
    keys = [doc_number_key(d.agency_code, d.year, d.serial) for d in find_doc_numbers(text)]
    return list(dict.fromkeys(keys))


def mention_keys(text: str) -> list[str]:
    """Keys for every suffix of each found number's agency code.

    In running text the agency code swallows the words before it (印发冠政发
    〔2018〕64号 reads as agency 印发冠政发), so every suffix is indexed; this is
    the substring semantics of the bigram fields applied to 文号.
    """
    keys: list[str] = []
    for d in find_doc_numbers(text):
        agency = d.agency_code
        keys.extend(doc_number_key(agency[i:], d.year, d.serial) for i in range(len(agency)))
        keys.append(year_serial_key(d.year, d.serial))
    return list(dict.fromkeys(keys))


@dataclass
class ParsedQuery:
    """A user query made safe: what to look for, and what to tell the user."""

    text: str  # the query as searched (after truncation)
    terms: list[str] = field(default_factory=list)  # normalized, AND-ed; loosened when ranked
    phrases: list[str] = field(default_factory=list)  # normalized, AND-ed, always exact
    doc_numbers: list[str] = field(default_factory=list)  # doc_number_key() forms, AND-ed
    any_of: list[list[str]] = field(default_factory=list)  # A OR B: one of each group
    excluded: list[str] = field(default_factory=list)  # -word: no document containing it
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how operators were read, for the page
    truncated: bool = False
    issuers: list[str] = field(default_factory=list)  # 发文机关:X, normalized; any of them
    date_from: int = 0  # 日期:2018-01..2018-06 as yyyymmdd bounds; 0 for none
    date_to: int = 0

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: browse instead (or show nothing, see warnings)."""
        return not (self.positive or self.excluded or self.has_filters)

    @property
    def has_filters(self) -> bool:
        """发文机关 or a date range typed into the box."""
        return bool(self.issuers or self.date_from or self.date_to)

    @property
    def positive(self) -> bool:
        """Something a document must contain (not only exclusions)."""
        return bool(self.terms or self.phrases or self.doc_numbers or self.any_of)

    @property
    def wanted(self) -> list[str]:
        """Every text a document may be found by, for highlighting: terms, phrases, alternatives."""
        return list(
            dict.fromkeys([*self.phrases, *self.terms, *(t for g in self.any_of for t in g)])
        )


@dataclass
class _Token:
    text: str  # NFKC, not lower-cased: OR is an operator, or is a word
    quoted: bool
    negated: bool


def _truncate(text: str, parsed: ParsedQuery) -> str:
    if len(text) <= MAX_QUERY_CHARS:
        return text
    parsed.truncated = True
    parsed.warnings.append(f"查询过长，已截取前{MAX_QUERY_CHARS}个字")
    return text[:MAX_QUERY_CHARS]


def _typed_doc_number(text: str) -> str | None:
    """The key when the text is a 文号 as people type it, in full or without its agency.

    冠政发〔2018〕64号 in any bracket (﹝﹞ too), 冠政发〔2018〕64 without 号,
    冠政发201864号 with the brackets lost, 冠政发2018 64; 〔2018〕64号 alone
    gives the year-serial key, which every 文号 of that year and serial carries.
    """
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    canonical = normalize_doc_number(text) or normalize_doc_number(compact)
    if canonical is not None:
        keys = doc_number_keys(canonical)
        if keys:
            return keys[0]
    m = _TYPED_DOCNUM_RE.fullmatch(compact)
    if m and (
        m.group(0) != m.group("agency") + m.group("year") + m.group("serial") or "号" in compact
    ):
        return doc_number_key(m.group("agency"), int(m.group("year")), int(m.group("serial")))
    m = _YEAR_SERIAL_RE.fullmatch(compact)
    if m:
        return year_serial_key(int(m.group("year")), int(m.group("serial")))
    m = ORDER_NUMBER_RE.fullmatch(compact)  # 交通部令2006年第8号, 国家税务总局公告2018年第58号
    if m and m.group("organ"):
        return doc_number_key(m.group("organ"), int(m.group("year") or 0), int(m.group("serial")))
    return None


# Filters typed into the box (after NFKC, so ：is :). Other "word:" stays plain text.
_ISSUER_RE = re.compile(r"(?:发文机关|发文单位|机关):(?P<value>.*)")
_DATE_BOUND = r"\d{4}(?:[-./年]\d{1,2}(?:[-./月]\d{1,2}日?)?月?)?年?"
_DATE_RANGE_RE = re.compile(
    rf"(?:(?:日期|时间|成文日期|发布日期):)?(?P<lo>{_DATE_BOUND})?(?:\.\.|至|~)(?P<hi>{_DATE_BOUND})?"
)
_DATE_ONLY_RE = re.compile(rf"(?:日期|时间|成文日期|发布日期):(?P<lo>{_DATE_BOUND})")
_DATE_PARTS_RE = re.compile(r"\d+")


def _date_bound(text: str, *, end: bool) -> int | None:
    """yyyymmdd of 2018, 2018-03 or 2018-03-05: the first day of it, or the last if ``end``."""
    parts = [int(p) for p in _DATE_PARTS_RE.findall(text)]
    year, month, day = [*parts, 0, 0][:3]
    if not 1000 <= year <= 9999 or not 0 <= month <= 12:
        return None
    if month == 0:
        return year * 10000 + (1231 if end else 101)
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        day = last if end else 1
    return year * 10000 + month * 100 + day if 1 <= day <= last else None


def _filter_token(tok: _Token, parsed: ParsedQuery) -> bool:
    """Read 发文机关:X or a date range (2018-01..2018-06, 日期:2018-03); True if it was one."""
    if tok.quoted or tok.negated:
        return False
    m = _ISSUER_RE.fullmatch(tok.text)
    if m:
        value = " ".join(normalize(m.group("value")).split())
        if not segments(value):
            parsed.warnings.append("“发文机关:”后面没有机关名称，已忽略")
        else:
            parsed.issuers.append(value)
        return True
    m = _DATE_RANGE_RE.fullmatch(tok.text) or _DATE_ONLY_RE.fullmatch(tok.text)
    if not m or not (m.group("lo") or (m.groupdict().get("hi"))):
        return False
    lo_text = m.group("lo") or ""
    hi_text = m.groupdict().get("hi") or ("" if "hi" in m.groupdict() else lo_text)
    lo = _date_bound(lo_text, end=False) if lo_text else 0
    hi = _date_bound(hi_text, end=True) if hi_text else 0
    if lo is None or hi is None:
        parsed.warnings.append(
            f"日期“{tok.text[:30]}”无法识别，已忽略；可写 2018-01..2018-06 或 日期:2018-01-01..2018-06-30"
        )
        return True
    if lo and hi and lo > hi:
        parsed.warnings.append("起始日期晚于截止日期，没有文件能同时满足")
    parsed.date_from = max(parsed.date_from, lo) if lo else parsed.date_from
    parsed.date_to = min(parsed.date_to, hi) if hi and parsed.date_to else hi or parsed.date_to
    return True


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN_RE.finditer(unicodedata.normalize("NFKC", text)):
        quoted = m.group("bare") is None
        inner = next(
            g for g in (m.group("a"), m.group("b"), m.group("c"), m.group("bare")) if g is not None
        )
        out.append(_Token(inner, quoted, bool(m.group("neg"))))
    return out


def _group(tokens: list[_Token], parsed: ParsedQuery) -> list[list[_Token]]:
    """Operators applied: AND dropped (it is the default), NOT negates, OR joins neighbours."""
    groups: list[list[_Token]] = []
    join = negate = False
    for tok in tokens:
        if not tok.quoted and not tok.negated and tok.text in _AND | _OR | _NOT:
            join = join or tok.text in _OR
            negate = negate or tok.text in _NOT
            continue
        if negate:
            tok.negated, negate = True, False
        if join and groups and not tok.negated and not groups[-1][0].negated:
            groups[-1].append(tok)
        else:
            if join:
                parsed.warnings.append("OR 两边都要有检索词，已忽略这个 OR")
            groups.append([tok])
        join = False
    if join or negate:
        parsed.warnings.append("查询末尾的 OR/NOT 后面没有检索词，已忽略")
    return groups


def _add_single(tok: _Token, parsed: ParsedQuery) -> None:
    if not segments(tok.text):
        return
    norm = " ".join(normalize(tok.text).split())
    if tok.negated:
        parsed.excluded.append(norm)
        return
    key = None if tok.quoted else _typed_doc_number(tok.text)
    if key is not None:
        parsed.doc_numbers.append(key)
    elif tok.quoted or _AGENCY_CODE_RE.fullmatch(norm):
        parsed.phrases.append(norm)  # quoted, or an agency code: exact, never loosened
    else:
        _add_bare(tok.text, parsed)


def _add_bare(text: str, parsed: ParsedQuery) -> None:
    """A bare word: printed 文号 inside it become keys (印发冠政发〔2018〕64号), the rest terms."""
    for d in find_doc_numbers(text):
        parsed.doc_numbers.append(doc_number_key(d.agency_code, d.year, d.serial))
        text = text.replace(d.text, " ", 1)
    parsed.terms.extend(normalize(t) for t in text.split() if segments(t))


def _day(value: int) -> str:
    return f"{value // 10000}-{value // 100 % 100:02d}-{value % 100:02d}"


def _describe(parsed: ParsedQuery) -> None:
    """Say how the operators were read, so none is ever silently dropped."""
    if parsed.issuers:
        parsed.notes.append("只看发文机关含“" + "”或“".join(parsed.issuers) + "”的文件")
    if parsed.date_from or parsed.date_to:
        lo = _day(parsed.date_from) if parsed.date_from else "最早"
        hi = _day(parsed.date_to) if parsed.date_to else "最近"
        parsed.notes.append(f"只看成文日期在 {lo} 至 {hi} 之间的文件")
    for group in parsed.any_of:
        parsed.notes.append("包含“" + "”或“".join(group) + "”之一即可")
    if parsed.excluded:
        parsed.notes.append("已排除含有“" + "”“".join(parsed.excluded) + "”的文件")


def _dedupe_and_cap(parsed: ParsedQuery) -> None:
    parsed.terms = list(dict.fromkeys(parsed.terms))
    parsed.phrases = list(dict.fromkeys(parsed.phrases))
    parsed.doc_numbers = list(dict.fromkeys(parsed.doc_numbers))
    parsed.excluded = list(dict.fromkeys(parsed.excluded))
    count = len(parsed.terms) + len(parsed.phrases) + sum(map(len, parsed.any_of))
    if count + len(parsed.excluded) > MAX_QUERY_TERMS:
        parsed.phrases = parsed.phrases[:MAX_QUERY_TERMS]
        parsed.terms = parsed.terms[: MAX_QUERY_TERMS - len(parsed.phrases)]
        left = MAX_QUERY_TERMS - len(parsed.phrases) - len(parsed.terms)
        parsed.any_of = [g for g in parsed.any_of if (left := left - len(g)) >= 0]
        parsed.excluded = parsed.excluded[: max(0, left)]
        parsed.warnings.append(f"检索词过多，只使用前{MAX_QUERY_TERMS}个")


def parse_query(q: str) -> ParsedQuery:
    """Turn whatever the user typed into terms, phrases, 文号 keys and operators. Never raises.

    Quotes group an exact phrase, white space separates terms (all must
    occur), ``-word`` or ``NOT word`` excludes, ``A OR B`` accepts either, a
    文号 in any variant or part becomes an exact key, and every other symbol is
    just a separator (a wildcard is said to be one).
    """
    text = q if isinstance(q, str) else ("" if q is None else str(q))
    text = _CONTROL_RE.sub(" ", text).strip()
    parsed = ParsedQuery(text="")
    text = _truncate(text, parsed)
    parsed.text = text
    if not text:
        return parsed
    key = _typed_doc_number(text)
    if key is not None:
        parsed.doc_numbers.append(key)
        return parsed
    if _WILDCARD_RE.search(text):
        parsed.warnings.append("不支持通配符（* ?），已按普通文字检索；检索词本身即可匹配更长的词")
    tokens = [t for t in _tokens(text) if not _filter_token(t, parsed)]
    for group in _group(tokens, parsed):
        alternatives = [t for t in group if segments(t.text)]
        if len(alternatives) > 1:
            parsed.any_of.append(
                list(dict.fromkeys(" ".join(normalize(t.text).split()) for t in alternatives))
            )
        elif alternatives:
            _add_single(alternatives[0], parsed)
    _dedupe_and_cap(parsed)
    _describe(parsed)
    if parsed.is_empty:
        parsed.warnings.append("查询中没有可检索的文字或数字")
    elif not parsed.positive and parsed.excluded:
        parsed.notes.append("只有排除条件：显示其余全部文件")
    return parsed
