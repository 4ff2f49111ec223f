"""Parse stage: where each document of the issue begins.

Reads: the body blocks (after the frame) and the TOC entries. Writes: a list of
``Start`` (block index, TOC entry or None). Titles are found by aligning the
TOC entries, in order, with heading-like blocks (character-bigram similarity,
so that real TOC/body differences still match); a 版头 (masthead such as
冠县人民政府文件) or a 文号 line followed by a title starts a document even when
the TOC misses it, and without a TOC these anchors and title-shaped headings
are all there is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gongbao.core.model import Block, TocEntry
from gongbao.core.numbering import match_numbering
from gongbao.core.patterns import (
    is_doc_number_line,
    is_masthead,
    is_organ_line,
    squeeze,
)
from gongbao.core.repairs.breaks import is_signature_block

MIN_SIMILARITY = 0.6
_CANDIDATES_PER_ENTRY = 12
_TITLE_MAX = 90


@dataclass
class Start:
    index: int  # first block of the document (its masthead, or its title)
    title_index: int  # the title block
    title_blocks: int  # how many blocks the title spans
    entry: TocEntry | None


def find_starts(blocks: list[Block], toc: list[TocEntry]) -> list[Start]:
    """Document starts in block order (a file without a TOC goes to ``frameless``)."""
    starts: dict[int, Start] = {}
    for idx, span, entry in _align(_candidates(blocks), toc):
        starts[idx] = Start(_extend_back(blocks, idx), idx, span, entry)
    claimed = {i for s in starts.values() for i in range(s.index, s.title_index + s.title_blocks)}
    for idx in _anchors(blocks):
        if idx not in claimed and idx not in starts:
            title = _title_after(blocks, idx)
            if title is not None and title not in starts:
                starts[title] = Start(idx, title, 1, None)
                claimed.update(range(idx, title + 1))
    return sorted(starts.values(), key=lambda s: s.index)


def title_text(blocks: list[Block]) -> str:
    """A title as the document prints it: lines joined, spaces between Chinese removed."""
    return squeeze("".join(b.text for b in blocks))


_TITLE_OPENINGS = ("关于", "印发", "转发", "批转", "公布")


def strip_issuer(title: str) -> tuple[str | None, str]:
    """Split ``冠县人民政府关于…`` into the issuer(s) and the title proper."""
    for word in _TITLE_OPENINGS:
        at = title.find(word)
        if at > 1 and split_organs(title[:at]):
            return title[:at], title[at:]
    return None, title


def split_organs(text: str | None) -> list[str]:
    """The organs a title prefix names, also run together (中共X市委办公室X市人民政府办公室)."""
    if not text:
        return []
    text = text.strip()
    if is_organ_line(text) and len(text.split()) > 1:
        return text.split()
    parts = [p for p in re.split(r"[、，,]", text) if p]
    if len(parts) > 1 and all(is_organ_line(p) for p in parts):
        return parts  # 最高人民法院、最高人民检察院关于…
    for cut in range(2, len(text) - 1):
        head, tail = text[:cut], text[cut:]
        if tail[0] in "会办委厅局部室院处署组所站队" or tail.startswith("公室"):
            continue  # 中共X市委|办公室…, X管委|会办公室: a cut inside one organ's name
        if tail[:2] != head.removeprefix("中共")[:2]:
            continue  # joint issuers name the same place (中共岳阳市委办公室|岳阳市人民政府办公室)
        if (
            is_organ_line(head)
            and is_organ_line(tail)
            and _whole_organ(head)
            and _whole_organ(tail)
        ):
            return [head, tail]
    return [text] if is_organ_line(text) else []


def _whole_organ(name: str) -> bool:
    """A name that ends in an organ word of two characters or more, not a bare 局/部."""
    return len(name) >= 4 and name.endswith(
        (
            "政府",
            "办公室",
            "办公厅",
            "委员会",
            "委",
            "管委会",
            "人民法院",
            "人民检察院",
            "部",
            "厅",
            "局",
        )
    )


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", squeeze(text)).replace(" ", "")


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset([text])


def _similar(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b))


def _heading_like(block: Block) -> bool:
    if block.rows is not None or not block.lines:
        return False
    text = block.text
    if is_masthead(text) or is_doc_number_line(text) or is_signature_block(block):
        return False
    if block.kind == "heading":
        return len(text) <= _TITLE_MAX * 2
    return len(block.lines) <= 2 and len(text) <= _TITLE_MAX and not text.endswith(("。", "；"))


def _candidates(blocks: list[Block]) -> list[tuple[int, int, frozenset[str], str]]:
    """(index, span, bigrams, title) for each heading-like block and each pair of them."""
    out = []
    for i, block in enumerate(blocks):
        if not _heading_like(block) or match_numbering(block.text):
            continue
        one = strip_issuer(title_text([block]))[1]
        out.append((i, 1, _bigrams(_norm(one)), one))
        if i + 1 < len(blocks) and _heading_like(blocks[i + 1]):
            two = strip_issuer(title_text(blocks[i : i + 2]))[1]
            out.append((i, 2, _bigrams(_norm(two)), two))
    return out


def _align(
    candidates: list[tuple[int, int, frozenset[str], str]], toc: list[TocEntry]
) -> list[tuple[int, int, TocEntry]]:
    """Match TOC entries to candidates in order, maximising total similarity."""
    if not toc:
        return []
    pairs: list[tuple[int, int, int, float]] = []  # (entry, block index, span, score)
    for e, entry in enumerate(toc):
        grams = _bigrams(_norm(strip_issuer(entry.title)[1]))  # as the candidates are
        scored = []
        for idx, span, cgrams, _ in candidates:
            sim = _similar(grams, cgrams)
            if sim >= MIN_SIMILARITY:
                scored.append((sim, -span, idx))
        scored.sort(reverse=True)
        for sim, neg_span, idx in scored[:_CANDIDATES_PER_ENTRY]:
            pairs.append((e, idx, -neg_span, sim))
    # Weighted longest chain increasing in both entry and block index.
    pairs.sort(key=lambda p: (p[1], p[0]))
    best: list[tuple[float, int]] = []  # (score, previous pair) per pair
    for k, (e, idx, _span, sim) in enumerate(pairs):
        score, prev = sim, -1
        for j in range(k):
            pe, pidx, pspan, _ = pairs[j]
            if pe < e and pidx + pspan <= idx and best[j][0] + sim > score:
                score, prev = best[j][0] + sim, j
        best.append((score, prev))
    if not best:
        return []
    k = max(range(len(best)), key=lambda j: best[j][0])
    chain = []
    while k >= 0:
        e, idx, span, _ = pairs[k]
        chain.append((idx, span, toc[e]))
        k = best[k][1]
    return chain[::-1]


def _extend_back(blocks: list[Block], idx: int) -> int:
    """Take in the masthead and 文号 lines printed just above a title."""
    start = idx
    while start > 0:
        text = blocks[start - 1].text
        if is_masthead(text) or is_doc_number_line(text) or text.startswith("签发人"):
            start -= 1
        else:
            break
    return start


def _anchors(blocks: list[Block]) -> list[int]:
    """Blocks that open a document the TOC may miss: a masthead, a 文号 line before a title."""
    out = []
    for i, block in enumerate(blocks):
        text = block.text
        after_masthead = i > 0 and is_masthead(blocks[i - 1].text)
        # A 文号 above a title opens a document; one under a title belongs to it.
        numbered = (
            is_doc_number_line(text)
            and not after_masthead
            and i + 1 < len(blocks)
            and _heading_like(blocks[i + 1])
            and not (i > 0 and _heading_like(blocks[i - 1]))
        )
        if is_masthead(text) or numbered:
            out.append(i)
    return out


def _title_after(blocks: list[Block], idx: int) -> int | None:
    for j in range(idx, min(idx + 4, len(blocks))):
        text = blocks[j].text
        if is_masthead(text) or is_doc_number_line(text) or text.startswith("签发人"):
            continue
        return j if _heading_like(blocks[j]) else None
    return None
