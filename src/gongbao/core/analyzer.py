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

Nothing here imports Django or tantivy: the functions are plain and typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import rjieba

from gongbao.core.docnumber import find_doc_numbers, normalize_doc_number

__all__ = [
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
    "parse_query",
    "positioned_bigrams",
    "positioned_unigrams",
    "runs",
    "segments",
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
_CJK_CHARS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{_CJK_CHARS}]")
_SEGMENT_RE = re.compile(r"[^\W_]+")
_RUN_RE = re.compile(f"(?P<cjk>[{_CJK_CHARS}]+)|(?P<word>(?:(?![{_CJK_CHARS}])[^\\W_])+)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Quote pairs people type: ASCII "…", Chinese “…”, corner brackets 「…」.
_PHRASE_RE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
_STRAY_QUOTES_RE = re.compile(r'["“”「」]')
_OPERATORS = {"AND", "OR", "NOT", "&&", "||"}


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, ㈠ → (一)) and lower-case, for index and query alike."""
    return unicodedata.normalize("NFKC", text).lower()


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
    return list(dict.fromkeys(keys))


@dataclass
class ParsedQuery:
    """A user query made safe: what to look for, and what to tell the user."""

    text: str  # the query as searched (after truncation)
    terms: list[str] = field(default_factory=list)  # normalized, AND-ed
    phrases: list[str] = field(default_factory=list)  # normalized quoted phrases, AND-ed
    doc_numbers: list[str] = field(default_factory=list)  # doc_number_key() forms, AND-ed
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: browse instead (or show nothing, see warnings)."""
        return not (self.terms or self.phrases or self.doc_numbers)


def _truncate(text: str, parsed: ParsedQuery) -> str:
    if len(text) <= MAX_QUERY_CHARS:
        return text
    parsed.truncated = True
    parsed.warnings.append(f"查询过长，已截取前{MAX_QUERY_CHARS}个字")
    return text[:MAX_QUERY_CHARS]


def _whole_doc_number(text: str) -> str | None:
    """The key when the whole query is a 文号 in any variant (冠政发2018 64 included)."""
    canonical = normalize_doc_number(text)
    if canonical is None:
        return None
    keys = doc_number_keys(canonical)
    return keys[0] if keys else None


def _take_phrases(text: str, parsed: ParsedQuery) -> str:
    """Move quoted phrases into parsed.phrases; drop stray quotes; return the rest."""

    def take(m: re.Match[str]) -> str:
        inner = next(g for g in m.groups() if g is not None)
        if segments(inner):
            parsed.phrases.append(" ".join(normalize(inner).split()))
        return " "

    rest = _PHRASE_RE.sub(take, text)
    return _STRAY_QUOTES_RE.sub(" ", rest)


def _take_doc_numbers(text: str, parsed: ParsedQuery) -> str:
    """Move printed 文号 into parsed.doc_numbers; return the rest."""
    found = find_doc_numbers(text)
    for d in found:
        parsed.doc_numbers.append(doc_number_key(d.agency_code, d.year, d.serial))
        text = text.replace(d.text, " ", 1)
    return text


def _take_terms(text: str, parsed: ParsedQuery) -> None:
    dropped: list[str] = []
    for raw in text.split():
        if raw in _OPERATORS:
            # Terms are AND-ed anyway; OR/NOT are not supported, so say so.
            if raw != "AND" and raw != "&&":
                dropped.append(raw)
            continue
        if segments(raw):
            parsed.terms.append(normalize(raw))
    if dropped:
        shown = "、".join(dict.fromkeys(dropped))
        parsed.warnings.append(f"不支持运算符 {shown}，已按同时包含全部词语检索")


def _dedupe_and_cap(parsed: ParsedQuery) -> None:
    parsed.terms = list(dict.fromkeys(parsed.terms))
    parsed.phrases = list(dict.fromkeys(parsed.phrases))
    parsed.doc_numbers = list(dict.fromkeys(parsed.doc_numbers))
    if len(parsed.terms) + len(parsed.phrases) > MAX_QUERY_TERMS:
        parsed.phrases = parsed.phrases[:MAX_QUERY_TERMS]
        parsed.terms = parsed.terms[: MAX_QUERY_TERMS - len(parsed.phrases)]
        parsed.warnings.append(f"检索词过多，只使用前{MAX_QUERY_TERMS}个")


def parse_query(q: str) -> ParsedQuery:
    """Turn whatever the user typed into terms, phrases and 文号 keys. Never raises.

    There is no query syntax to get wrong: quotes group a phrase, white space
    separates terms (all must match), a 文号 in any variant becomes an exact
    key, and every other symbol is just a separator.
    """
    text = q if isinstance(q, str) else ("" if q is None else str(q))
    text = _CONTROL_RE.sub(" ", text).strip()
    parsed = ParsedQuery(text="")
    text = _truncate(text, parsed)
    parsed.text = text
    if not text:
        return parsed
    key = _whole_doc_number(text)
    if key is not None:
        parsed.doc_numbers.append(key)
        return parsed
    rest = _take_phrases(text, parsed)
    rest = _take_doc_numbers(rest, parsed)
    _take_terms(rest, parsed)
    _dedupe_and_cap(parsed)
    if parsed.is_empty:
        parsed.warnings.append("查询中没有可检索的文字或数字")
    return parsed
