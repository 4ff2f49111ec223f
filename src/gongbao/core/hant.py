"""Traditional-character documents: parsed through a simplified copy, printed as they are.

Reads: the block stream of a file. Writes: a stream whose lines are a
simplified copy (OpenCC's ``t2s`` table, character by character) with the
pinyin glosses some conversions leave after characters (關(guān)) taken out, and
a ``Restorer`` that maps every string of the parse result back to the
characters the file prints. The parser's patterns (关于, 号, 国务院) are
written once, for simplified text; the output never shows a character the
file does not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gongbao.core.model import Block, Document, Line, Node, ParseResult

_CJK = re.compile(r"[\u3400-\u9fff]")
# A tone-marked pinyin syllable in brackets right after a character: 關(guān), 務(wù).
_GLOSS = re.compile(
    r"(?<=[\u3400-\u9fff])[(（][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]{0,6}[)）]"
)
_SHARE = 0.02  # of CJK characters that change under t2s: more and the text is traditional
_MIN_CHANGED = 8


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # an extra: only traditional texts need it

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=20000)
def simplify_char(ch: str) -> str:
    """One character's simplified form (itself where there is none or it is not one char)."""
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def needs_shadow(text: str) -> bool:
    """Is this text traditional (or glossed with pinyin) enough to parse through a copy?"""
    if _GLOSS.search(text):
        return True
    sample = text[:50_000]  # a sample decides; the script of a file does not change
    # Counted over the sample's distinct characters: no list of characters is built.
    changed = {ch for ch in set(sample) if _CJK.match(ch) and simplify_char(ch) != ch}
    if len(changed) < _MIN_CHANGED:
        return False
    cjk = sum(1 for ch in sample if "\u3400" <= ch <= "\u9fff")
    return sum(1 for ch in sample if ch in changed) >= _SHARE * cjk


@dataclass
class Restorer:
    """Maps strings of the simplified copy back to the original characters."""

    original: str  # every line of the stream, in order, joined by \n
    shadow: str  # the copy, whitespace removed
    positions: list[int]  # shadow index → original index
    line_offsets: dict[int, int] = field(default_factory=dict)  # line no → shadow index
    fallback: dict[str, str] = field(default_factory=dict)  # simplified → its only original

    def text(self, s: str, line: int | None = None, *, quoted: bool = False) -> str:
        """``s`` (from the copy) as the file prints it; searched from ``line`` on.

        A string the parse composed (a heading label with its text) is not found
        whole and goes back character by character; ``quoted`` strings (a repair's
        note) quote the file only in part and keep what is not found.
        """
        bare = "".join(s.split())
        if not bare:
            return s
        at = self._find(bare, line)
        if at < 0:
            return s if quoted else "".join(self.fallback.get(ch, ch) for ch in s)
        start = self.positions[at]
        end = self._past_gloss(self.positions[at + len(bare) - 1] + 1)
        out = self.original[start:end]
        return out.replace("\n", "") if "\n" not in s else out

    def _find(self, bare: str, line: int | None) -> int:
        hint = self.line_offsets.get(line, 0) if line is not None else 0
        at = self.shadow.find(bare, hint)
        return at if at >= 0 else self.shadow.find(bare)

    def _past_gloss(self, end: int) -> int:
        m = _GLOSS.match(self.original, end)
        return m.end() if m else end


def shadow_blocks(blocks: list[Block]) -> Restorer:
    """Rewrite every line of ``blocks`` to its simplified copy; return how to go back."""
    original: list[str] = []
    shadow: list[str] = []
    positions: list[int] = []
    offsets: dict[int, int] = {}
    pairs: dict[str, set[str]] = {}
    base = 0
    for block in blocks:
        for n, line in enumerate(block.lines):
            offsets.setdefault(line.no, len(shadow))
            copy = _shadow_line(line.text, base, shadow, positions, pairs)
            block.lines[n] = Line(line.no, copy, line.page, line.conf)
            original.append(line.text)
            base += len(line.text) + 1
        if block.rows is not None:
            block.rows = [
                ["".join(simplify_char(c) for c in cell) for cell in row] for row in block.rows
            ]
    fallback = {s: next(iter(o)) for s, o in pairs.items() if len(o) == 1}
    return Restorer("\n".join(original), "".join(shadow), positions, offsets, fallback)


def _shadow_line(
    text: str, base: int, shadow: list[str], positions: list[int], pairs: dict[str, set[str]]
) -> str:
    glosses = {i for m in _GLOSS.finditer(text) for i in range(m.start(), m.end())}
    kept = [i for i in range(len(text)) if i not in glosses]
    plain = "".join(text[i] for i in kept)
    # Whole-line conversion knows words (批覆 → 批复); it is used where it keeps the length.
    copy: str = _converter().convert(plain)
    if len(copy) != len(plain):
        copy = "".join(simplify_char(ch) for ch in plain)
    for i, ch, simple in zip(kept, plain, copy, strict=True):
        if simple != ch:
            pairs.setdefault(simple, set()).add(ch)
        if not ch.isspace():
            shadow.append(simple)
            positions.append(base + i)
    return copy


def restore(result: ParseResult, back: Restorer) -> None:
    """Put the file's own characters back into every string of ``result``."""
    issue = result.issue
    issue.gazette = _opt(back, issue.gazette)
    issue.sections = [back.text(s) for s in issue.sections]
    for entry in issue.toc:
        entry.title = back.text(entry.title, entry.line)
    for block in [*issue.front, *result.unassigned, *result.dividers]:
        _block(back, block)
    for doc in result.documents:
        _document(back, doc)
    for repair in result.repairs:
        repair.removed = back.text(repair.removed, repair.lines[0])
        repair.note = back.text(repair.note, repair.lines[0], quoted=True)


def _opt(back: Restorer, s: str | None, line: int | None = None) -> str | None:
    return back.text(s, line) if s else s


def _block(back: Restorer, block: Block) -> None:
    block.lines = [Line(ln.no, back.text(ln.text, ln.no), ln.page, ln.conf) for ln in block.lines]
    if block.rows is not None:
        block.rows = [[back.text(c, block.first_line) for c in row] for row in block.rows]
    if block.bold_prefix:
        block.bold_prefix = back.text(block.bold_prefix, block.first_line)


def _document(back: Restorer, doc: Document) -> None:
    at = doc.lines[0]
    text: Callable[[str | None], str | None] = lambda s: _opt(back, s, at)  # noqa: E731
    doc.title = text(doc.title) or ""
    doc.toc_title, doc.issuer, doc.recipients = (
        text(doc.toc_title),
        text(doc.issuer),
        text(doc.recipients),
    )
    doc.signature, doc.date_note, doc.speaker = (
        text(doc.signature),
        text(doc.date_note),
        text(doc.speaker),
    )
    doc.issuers = [back.text(s, at) for s in doc.issuers]
    if doc.doc_number is not None:
        doc.doc_number.text = back.text(doc.doc_number.text, at)
        doc.doc_number.agency_code = back.text(doc.doc_number.agency_code, at)
    for block in [*doc.head, *doc.tail]:
        _block(back, block)
    _nodes(back, doc.body)
    for att in doc.attachments:
        att.title = back.text(att.title, at)
        for block in att.head:
            _block(back, block)
        _nodes(back, att.body)
    if doc.promulgates is not None:
        _document(back, doc.promulgates)


def _nodes(back: Restorer, nodes: list[Node]) -> None:
    for node in nodes:
        for n in node.walk():
            at = n.lines[0]
            n.text = back.text(n.text, at)
            n.heading = back.text(n.heading, at)
            n.label, n.num = _opt(back, n.label, at), _opt(back, n.num, at)
            if n.rows is not None:
                n.rows = [[back.text(c, at) for c in row] for row in n.rows]
