"""Text conservation: every non-whitespace character of the input is in exactly one place.

That place is a block or body node of the parsed issue, or a repair that
removed it. ``account`` counts both sides; a parse that lost or invented a
character shows it in ``missing`` or ``extra``.

Counting alone passes a reversed text or a character swapped for another one
already counted elsewhere. ``check_order`` looks at order and place: each kept
piece of text, read in order, is found in order in its own source lines
(characters a repair inserted there aside). With the balance (no character used
twice overall) that means nothing moved, reversed or invented.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from gongbao.core.model import Attachment, Block, Document, Node, ParseResult


@dataclass
class Balance:
    missing: Counter[str]  # in the input, nowhere in the output
    extra: Counter[str]  # in the output, not in the input

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra


def chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def account(source: str, result: ParseResult) -> Balance:
    """Compare the characters of ``source`` with those the parse kept or removed."""
    kept: Counter[str] = Counter()
    for text in output_texts(result):
        kept.update(chars(text))
    for repair in result.repairs:
        kept.update(chars(repair.removed))
        kept.subtract(chars(repair.inserted))
    want = chars(source)
    kept = +kept  # drop zero and negative counts, compared below as extra/missing
    return Balance(missing=want - kept, extra=kept - want)


def output_texts(result: ParseResult) -> Iterator[str]:
    """Every piece of text the parse kept, each once."""
    yield from _blocks(result.issue.front)
    yield from _blocks(result.unassigned)
    yield from _blocks(result.dividers)
    for doc in result.documents:
        yield from _document(doc)


def _document(doc: Document) -> Iterator[str]:
    yield from _blocks(doc.head)
    yield from _blocks(doc.tail)
    yield from _nodes(doc.body)
    for att in doc.attachments:
        yield from _attachment(att)
    if doc.promulgates is not None:
        yield from _document(doc.promulgates)


def _attachment(att: Attachment) -> Iterator[str]:
    yield from _blocks(att.head)
    yield from _nodes(att.body)


def _blocks(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        yield block.text


def _nodes(nodes: list[Node]) -> Iterator[str]:
    for node in nodes:
        for n in node.walk():
            if n.rows is not None:
                yield from (cell for row in n.rows for cell in row)
            else:
                yield n.label or ""
                yield n.text


# -- order and place ---------------------------------------------------------------


@dataclass
class Piece:
    """A kept text with the source lines it came from (``(0, 0)``: not known)."""

    text: str
    lines: tuple[int, int]


@dataclass
class OrderProblem:
    lines: tuple[int, int]
    message: str  # in Chinese, for the report and the tests


def check_order(source: str, result: ParseResult) -> list[OrderProblem]:
    """Kept characters in their original order and place, none invented (``[]``: all good)."""
    rows = source.split("\n")
    inserted = _insertions(result)
    problems: list[OrderProblem] = []
    pieces = list(output_pieces(result))
    starts = sorted({p.lines[0] for p in pieces if p.lines[0] > 0})
    for piece in pieces:
        text = "".join(ch for ch in piece.text if not ch.isspace())
        if text:
            problem = _check_piece(text, piece.lines, rows, starts, inserted)
            if problem is not None:
                problems.append(problem)
    return problems


def _check_piece(
    text: str,
    lines: tuple[int, int],
    rows: list[str],
    starts: list[int],
    inserted: list[tuple[int, int, Counter[str]]],
) -> OrderProblem | None:
    """Find the piece, in order, from its first line on; ``None`` when it is there.

    A paragraph joined across a page break records only the lines it started
    on, and a sentence may run on past a signature printed inside it: the
    window grows past up to ``_SPAN`` following pieces before the piece fails.
    """
    bad = 0
    for start, end in _windows(lines, len(rows), starts):
        window = "".join(ch for ch in "\n".join(rows[start - 1 : end]) if not ch.isspace())
        found = _subsequence(text, window, _budget(inserted, start, end))
        if found is None:
            return None
        bad = found
    start, end = lines
    return OrderProblem(lines, _describe(text, bad, start, end))


def output_pieces(result: ParseResult) -> Iterator[Piece]:
    """``output_texts`` with the source lines of each piece."""
    for block in (*result.issue.front, *result.unassigned, *result.dividers):
        yield Piece(block.text, (block.first_line, block.last_line))
    for doc in result.documents:
        yield from _document_pieces(doc)


def _document_pieces(doc: Document) -> Iterator[Piece]:
    for block in (*doc.head, *doc.tail):
        yield Piece(block.text, (block.first_line, block.last_line))
    yield from _node_pieces(doc.body)
    for att in doc.attachments:
        for block in att.head:
            yield Piece(block.text, (block.first_line, block.last_line))
        yield from _node_pieces(att.body)
    if doc.promulgates is not None:
        yield from _document_pieces(doc.promulgates)


def _node_pieces(nodes: list[Node]) -> Iterator[Piece]:
    for node in nodes:
        for n in node.walk():
            if n.rows is not None:
                yield Piece("".join(cell for row in n.rows for cell in row), n.lines)
            else:
                yield Piece((n.label or "") + n.text, n.lines)


def _insertions(result: ParseResult) -> list[tuple[int, int, Counter[str]]]:
    return [(r.lines[0], r.lines[1], chars(r.inserted)) for r in result.repairs if r.inserted]


def _budget(inserted: list[tuple[int, int, Counter[str]]], start: int, end: int) -> Counter[str]:
    """Characters repairs inserted on these lines: the only text allowed that the source lacks."""
    budget: Counter[str] = Counter()
    for first, last, counted in inserted:
        if first <= end and last >= start:
            budget.update(counted)
    return budget


_SPAN = 3  # following pieces a kept text may run past (a page break, a signature inside)


def _windows(lines: tuple[int, int], count: int, starts: list[int]) -> Iterator[tuple[int, int]]:
    """The source lines a piece may come from, narrowest first."""
    start, end = lines
    if start <= 0 or end < start:
        yield 1, count  # position unknown: the whole source is its window
        return
    start = min(start, count)
    following = starts[bisect_right(starts, start) :][: _SPAN + 1]
    ends = [max(end, nxt - 1) for nxt in following] + ([] if len(following) > _SPAN else [count])
    for last in ends:
        yield start, min(last, count)


def _subsequence(text: str, window: str, budget: Counter[str]) -> int | None:
    """Match ``text`` in order against ``window``: ``None``, or the index of the first misfit.

    A character a repair inserted on these lines is taken from ``budget`` first
    (it need not be in the source); any other must come later in the window
    than the one before it.
    """
    pos = 0
    for i, ch in enumerate(text):
        if budget[ch] > 0:
            budget[ch] -= 1
            continue
        found = window.find(ch, pos)
        if found < 0:
            return i
        pos = found + 1
    return None


def _describe(text: str, bad: int, start: int, end: int) -> str:
    where = f"第{start}行" if start == end else f"第{start}–{end}行"
    context = text[max(0, bad - 8) : bad + 8]
    return f"“{text[bad]}”（在“{context}”中）不在{where}的原文中，或顺序与原文不同"
