"""Text conservation: every non-whitespace character of the input is in exactly one place.

That place is a block or body node of the parsed issue, or a repair that
removed it. ``account`` counts both sides; a parse that lost or invented a
character shows it in ``missing`` or ``extra``.
"""

from __future__ import annotations

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
