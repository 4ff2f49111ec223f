"""Chinese heading numbering: recognise a label and its style, and order the styles.

The hierarchy of a document comes from these labels, never from the number of
``#`` a converter printed. Full-width and half-width forms of the same label
(（一） and (一), （5） and (5), 1． and 1.) are the same style.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gongbao.core.numerals import cn_to_int

_CN = "一二三四五六七八九十百零〇两"
_NUM = f"[{_CN}0-9０-９]{{1,6}}"

# The conventional rank of each style, outermost first (GB/T 9704-2012 §7.3.3 for
# 一、 → （一） → 1. → （1）; chapters and sections of plans above them).
STYLES = (
    "part",
    "chapter",
    "section",
    "article",
    "column",
    "cn",
    "paren_cn",
    "arabic",
    "paren_arabic",
    "circled",
    "arabic_space",
    "point2",
    "point3",
)
RANK = {style: i for i, style in enumerate(STYLES)}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第({_NUM})(?:编|部分)[ \t　]*")),
    ("chapter", re.compile(rf"^第({_NUM})章[ \t　]*")),
    ("section", re.compile(rf"^第({_NUM})节[ \t　]*")),
    ("article", re.compile(rf"^第({_NUM})条[ \t　]*")),
    (
        "column",
        re.compile(
            r"^专栏[ \t　]*([0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})?[ \t　]*[:：]?[ \t　]*"
        ),
    ),
    ("cn", re.compile(rf"^([{_CN}]{{1,4}})[ \t　]*[、．][ \t　]*")),
    ("paren_cn", re.compile(rf"^[（(][ \t　]*([{_CN}]{{1,4}})[ \t　]*[）)][ \t　]*")),
    ("ocr_arabic", re.compile(r"^([0-9])[.．]([0-9])[.．、](?![0-9０-９])[ \t　]*")),
    ("arabic", re.compile(r"^([0-9０-９]{1,3})[ \t　]*[.．、](?![0-9０-９])[ \t　]*")),
    ("paren_arabic", re.compile(r"^[（(][ \t　]*([0-9０-９]{1,3})[ \t　]*[）)][ \t　]*")),
    ("circled", re.compile(r"^([①-⑳㉑-㉟])[ \t　]*")),
    # Plans and 应急预案 number their headings 1 总则 / 1.1 编制目的 / 1.1.1 (GB/T 1.1 style).
    (
        "point3",
        re.compile(r"^([0-9]{1,2})[.．]([0-9]{1,2})[.．]([0-9]{1,2})[ \t　]*(?=[\u3400-\u9fff])"),
    ),
    ("point2", re.compile(r"^([0-9]{1,2})[.．]([0-9]{1,2})[ \t　]*(?=[\u3400-\u9fff])")),
    ("arabic_space", re.compile(r"^([0-9]{1,2})[ \t　]+(?=[\u3400-\u9fff])")),
)
_SHORT_HEADING = 30  # the styles without a mark after the number are headings only when short


@dataclass(frozen=True)
class Numbering:
    """A numbering label found at the start of a text.

    ``label`` is the label as printed (without trailing spaces), ``rest`` the text
    after it. ``ocr_split`` marks a label like ``2.2.`` that may be ``22.`` with a
    stray point; the parser decides from the neighbours which reading is right.
    """

    style: str
    value: int | None
    label: str
    rest: str
    ocr_split: bool = False


def match_numbering(text: str) -> Numbering | None:
    """The numbering label ``text`` starts with, or None."""
    for style, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        label = m.group(0).rstrip(" \t　")
        rest = text[m.end() :]
        if style == "ocr_arabic":
            return Numbering("arabic", int(m.group(1) + m.group(2)), label, rest, ocr_split=True)
        if style in ("point3", "point2", "arabic_space"):
            if len(rest) > _SHORT_HEADING or any(ch in rest for ch in "。，；,;：:"):
                continue
            return Numbering(style, int(m.group(m.lastindex or 1)), label, rest)
        if style == "column":
            raw = m.group(1)
            return Numbering("column", _value(raw) if raw else None, label, rest)
        value = _value(m.group(1))
        if value is None:
            continue
        return Numbering(style, value, label, rest)
    return None


def _value(raw: str) -> int | None:
    if raw.isdecimal():
        return int(raw)
    if len(raw) == 1 and unicodedata.numeric(raw, 0) > 0:  # ① … ㉟
        return int(unicodedata.numeric(raw))
    return cn_to_int(raw)


def starts_numbered(text: str) -> bool:
    return match_numbering(text) is not None
