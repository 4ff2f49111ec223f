"""Document dicts as tantivy documents: bigram tokens with position gaps, keys, stored JSON.

The analysis runs once per field, as a handful of regular-expression passes in C
(separators, normalization; ``prepared``), then once per document as a few vector
operations (bigrams.py, which folds traditional characters too), and hands tantivy
one string of whitespace-separated bigrams per field: no per-token Python objects,
and one value per field (tantivy spends more on a value than on a token).

Positions come from tantivy's whitespace tokenizer: each token takes the next
position. A gap is a run of ``GAP_TOKEN`` tokens, which the field's analyzer
(schema.BIGRAM_ANALYZER) drops after they took their positions: they are never
indexed and do not count in the field's length, so BM25 sees only the bigrams.
The text is cut so that (see query.py, which relies on exactly these gaps)

* inside a run (CJK ideographs, or letters/digits such as ``2018``) bigrams are
  consecutive; a lone CJK character is a token of its own;
* the next run of the same segment (2018 → 年) starts 3 positions after the last
  token (``RUN_STEP``);
* the next segment, after any punctuation or space, starts 4 positions after
  (``SEGMENT_STEP``);
* the next piece (title, each heading, each passage, each head field) starts
  further away than any phrase can reach (``PIECE_STEP``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

import tantivy

from gongbao.core.analyzer import (
    doc_number_key,
    doc_number_keys,
    mention_keys,
    normalize,
    normalize_keeping_traditional,
    year_serial_key,
)
from gongbao.core.docnumber import find_doc_numbers
from gongbao.site.search.bigrams import RUN_BREAK_TOKENS, Tokens, token_strings
from gongbao.site.search.schema import (
    BIGRAM_FIELDS,
    CHAR_FIELDS,
    GAP_TOKEN,
    JOIN_PREFIXES,
    OWN_KEY_PREFIX,
    TEXT_FILTERS,
    build_schema,
)

__all__ = [
    "PIECE_STEP",
    "RUN_STEP",
    "SEGMENT_STEP",
    "analysed",
    "bigram_text",
    "date_int",
    "to_document",
]

RUN_STEP = RUN_BREAK_TOKENS + 1  # two gap tokens
SEGMENT_STEP = 4  # three gap tokens
PIECE_STEP = 8  # seven gap tokens
_G = GAP_TOKEN  # one character, which no normalized text holds (it is a separator)
_SEGMENT_BREAK = _G * (SEGMENT_STEP - 1)
_PIECE_BREAK = _G * (PIECE_STEP - 1)
_PIECE_MARK = "\x01"  # joins a field's pieces; prepared() replaces it (bigrams.FIELD_MARK too)

_SEPARATORS_RE = re.compile(r"(?:[^\w\x01]|_)+")  # the gap character too: it is \W
# A separator that is not yet a gap. Not _ (\w to re), as _SEPARATORS_RE has it: no
# character the first pass leaves has _ in its NFKC form, and without the alternation
# the search is twice as quick.
_NEW_SEPARATOR_RE = re.compile(r"[^\w\x00\x01]")
_UNCOMMON_RE = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")
_WORD_RE = re.compile(r"[^\W_]")


@cache
def _plain_separators_re() -> re.Pattern[str]:
    """Stretches of separators that normalization leaves separators (most punctuation).

    Replacing them before normalize() spares it its slowest part, NFKC on
    punctuation, and changes nothing: they would be separators afterwards too.
    Combining marks are left out (they may join the letter before them).
    """
    return re.compile(rf"[\x00\x02-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f{_plain_separators()}]+")


@cache
def _plain_separators() -> str:
    """The non-ASCII separators that NFKC leaves separators, escaped for a character class."""
    plain = []
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if _WORD_RE.match(ch) or unicodedata.category(ch).startswith(("M", "C")):
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if not _WORD_RE.search(folded) and not any(unicodedata.combining(c) for c in folded):
            plain.append(ch)
    return "".join(re.escape(c) for c in plain)


def prepared(text: str) -> tuple[str, bool]:
    """Text whose pieces are joined by _PIECE_MARK as bigrams.token_strings reads it:
    separators as segment breaks, normalized but for traditional characters (the split
    folds them), pieces apart, no gap at either end; and whether it holds nothing but
    ASCII and common CJK ideographs."""
    s = _plain_separators_re().sub(_SEGMENT_BREAK, text)
    # Left now: ASCII letters and digits, common CJK ideographs, gaps, piece marks; and
    # rarely something else, which normalize() may turn into separators (⑴ is (1)).
    rare = _UNCOMMON_RE.search(s)
    s = normalize_keeping_traditional(s)
    # Looked for before replaced: the replacement would rewrite every segment break
    # (gaps are separators too), and most rare characters (ā, 〇) are letters.
    if rare and _NEW_SEPARATOR_RE.search(s):
        s = _SEPARATORS_RE.sub(_SEGMENT_BREAK, s)
    return s.replace(_PIECE_MARK, _PIECE_BREAK).strip(_G), rare is None


def analysed(fields: Sequence[Iterable[str]]) -> Tokens:
    """The token string of each bigram field (gaps included, module doc) for its pieces of
    text, empty where they hold no letter, digit or ideograph; its characters (the chars
    fields) and joins (the joins field). All fields in one pass."""
    # All pieces of a field joined: the regular expressions run once per field, not per
    # piece; and the fields joined in turn for one vectorized pass over the document.
    texts = [prepared(_PIECE_MARK.join(t.replace(_PIECE_MARK, " ") for t in f)) for f in fields]
    return token_strings([t for t, _ in texts], common_only=all(c for _, c in texts))


def bigram_text(texts: Iterable[str]) -> str:
    """The token string of a single field (see analysed)."""
    return analysed([texts]).bigrams[0]


def date_int(value: Any) -> int:
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


def _passages(doc: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "anchor": str(p.get("anchor") or ""),
            "heading": str(p.get("heading") or ""),
            "text": str(p.get("text") or ""),
        }
        for p in doc.get("passages") or []
    ]


def head_fields(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The short fields that name a document, labelled as a reader knows them."""
    issuers = [str(i) for i in doc.get("issuers") or [] if i] or [str(doc.get("issuer") or "")]
    fields = [("文号", str(doc.get("doc_number") or ""))]
    fields += [("发文机关", i) for i in issuers]
    fields += [
        ("落款", str(doc.get("signature") or "")),
        ("主送机关", str(doc.get("recipients") or "")),
    ]
    return [(label, text) for label, text in fields if text.strip()]


def document_fields(doc: Mapping[str, Any]) -> dict[str, list[Any]]:
    """One input dict as the fields of a tantivy document (plain values: they pickle, so
    worker processes can prepare them; see fields_of)."""
    title = str(doc.get("title") or "")
    number = doc.get("doc_number") or None
    passages = _passages(doc)
    body = [s for p in passages for s in (p["heading"], p["text"]) if s]
    head = head_fields(doc)
    date_value = date_int(doc.get("date"))
    year = doc.get("year") or (date_value // 10000 if date_value else 0)

    fields: dict[str, list[Any]] = {"doc_id": [str(doc["id"])]}
    for name in TEXT_FILTERS:
        if doc.get(name):
            fields[name] = [str(doc[name])]
    fields["year"] = [int(year)]
    fields["date"] = [date_value]
    fields["title"] = [title]
    if number:
        fields["doc_number"] = [str(number)]
    names = (*BIGRAM_FIELDS, "issuer_bigrams")
    texts = ([title], body, [t for _, t in head], [t for label, t in head if label == "发文机关"])
    tokens = analysed(texts)
    for name, bigrams in zip(names, tokens.bigrams, strict=True):
        if bigrams:
            fields[name] = [bigrams]
    for name, chars in zip(BIGRAM_FIELDS, tokens.chars[: len(BIGRAM_FIELDS)], strict=True):
        if chars:
            fields[CHAR_FIELDS[name]] = [chars]
    fielded = zip(BIGRAM_FIELDS, tokens.joins[: len(BIGRAM_FIELDS)], strict=True)
    joins = [JOIN_PREFIXES[name] + j for name, found in fielded for j in found]
    if joins:
        fields["joins"] = [" ".join(joins)]
    keys = docnum_tokens(number, [title, *body], doc.get("doc_number_parts"))
    if keys:
        fields["docnum_keys"] = [" ".join(keys)]
    fields["passages"] = [json.dumps(passages, ensure_ascii=False).encode("utf-8")]
    fields["head"] = [json.dumps(head, ensure_ascii=False).encode("utf-8")]
    return fields


def fields_of(docs: Sequence[Mapping[str, Any]]) -> list[dict[str, list[Any]]]:
    """document_fields of a batch: what a worker process computes during a full reindex."""
    return [document_fields(doc) for doc in docs]


def to_document(doc: Mapping[str, Any]) -> tantivy.Document:
    """One input dict as a tantivy document with all derived token fields."""
    return from_fields(document_fields(doc))


def from_fields(fields: Mapping[str, list[Any]]) -> tantivy.Document:
    return tantivy.Document.from_dict(fields, _schema())


@cache
def _schema() -> tantivy.Schema:
    return build_schema()


_DOC_NUMBER_HINT_RE = re.compile(r"\d{4}")
# The commonest punctuation, none of it ever inside a 文号 (docnumber.DOC_NUMBER_RE: an
# agency code, brackets, spaces, digits, 第, 号), nor a line break: it cuts a text into
# clauses, and a 文号 lies within one.
_CLAUSE_BREAK_RE = re.compile(r"[，。、；：？！“”‘’…—《》,.;:?!\n]+")


def _mention_keys(texts: Sequence[str]) -> list[str]:
    """mention_keys of the normalized texts, read only in the clauses that hold 号 (or 號,
    the one other character that normalize() folds to 号)."""
    clauses = [
        clause
        for text in texts
        if ("号" in text or "號" in text) and _DOC_NUMBER_HINT_RE.search(text)
        for clause in _CLAUSE_BREAK_RE.split(text)
        if "号" in clause or "號" in clause
    ]
    # NFKC first: ﹝2018﹞ and other compatibility brackets are 〔2018〕 then;
    # traditional folded (國函〔2002〕55號 is 国函〔2002〕55号), as a query is
    return mention_keys(normalize("\n".join(clauses))) if clauses else []


def docnum_tokens(number: Any, texts: Sequence[str], parts: Sequence | None = None) -> list[str]:
    """The document's own 文号 key (prefixed) and every 文号 it mentions, any suffix.

    ``parts`` (agency code, year, serial) as the parser read them give the own key even
    where the printed number is damaged (丹合管办发〔20178) or is a 令's (…令第45号)."""
    keys: list[str] = []
    if number:
        number = normalize(str(number))
        own = doc_number_keys(number)
        own += [year_serial_key(d.year, d.serial) for d in find_doc_numbers(number)]
        if parts:
            agency, year, serial = str(parts[0]), int(parts[1]), int(parts[2])
            # every suffix, as for mentions: 交通部令 finds 中华人民共和国交通部令
            own += [doc_number_key(agency[i:], year, serial) for i in range(len(agency) - 1)]
            own += [year_serial_key(year, serial)] if year else []
        keys.extend(OWN_KEY_PREFIX + k for k in own)
        keys.extend(mention_keys(str(number)))
    keys.extend(_mention_keys(texts))
    return list(dict.fromkeys(keys))
