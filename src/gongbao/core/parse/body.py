"""Parse stage: a document's body blocks → the body tree.

Reads: blocks of one document body. Writes: ``Node`` trees whose sections nest
by numbering style (一、 → （一） → 1. → （1） → ①; 第X章 → 第X节), whatever
the source's ``#`` said. A style seen before closes back to that level; a new
style opens a level below the current one. Run-in headings
(``**（三）强化保障、狠抓落实。**一是…``) become a section with the rest as its
first paragraph; leads like ``主要工作：`` become paragraph labels.
(Numbering that skips, repeats or goes backwards is the report's: ``report.numbering_findings``.)
"""

from __future__ import annotations

import re

from gongbao.core.model import Block, Line, Node, Repair
from gongbao.core.numbering import RANK, Numbering, match_numbering
from gongbao.core.numerals import cn_to_int
from gongbao.core.patterns import is_terminated

_RUNIN_MAX = 30  # a first sentence this short, without a comma, is a run-in heading
_HEADING_MAX = 60
_BARE_NUMERAL_RE = re.compile(r"[一二三四五六七八九十]{1,3}")
_RUNIN_ENDS = "；;，,！!？?…"
_MAJOR = ("part", "chapter", "section", "article")
_LABELS_RE = re.compile(
    r"^(主要工作|主要任务|工作任务|目标要求|工作目标|责任分工|责任单位|牵头单位|配合单位|"
    r"完成时限|完成时间|时间要求|工作要求|具体措施)[ 　]*[：:]"
)


def build_tree(blocks: list[Block], log: list[Repair]) -> list[Node]:
    """Nest the blocks of one body into sections by their numbering."""
    root = Node("section", level=0)
    stack: list[Node] = [root]
    toc = _printed_toc(blocks)
    if toc:
        root.children.append(_contents(blocks[toc[0] : toc[1]]))
        blocks = blocks[: toc[0]] + blocks[toc[1] :]
    for block in blocks:
        first = block.lines[0].text if block.lines else ""
        num = match_numbering(first) if block.rows is None else None
        if num is None and block.kind == "heading" and _BARE_NUMERAL_RE.fullmatch(first.strip()):
            num = Numbering("cn", cn_to_int(first.strip()), first.strip(), "")  # ## 三 (、 lost)
        if num is not None and num.ocr_split:
            num = _resolve_ocr(num, stack, block, log)
        if num is None:
            stack[-1].children.append(_leaf(block))
            continue
        while len(stack) > 1 and not _opens_below(stack, num.style):
            stack.pop()
        section = _section(block, num, level=len(stack))
        stack[-1].children.append(section)
        stack.append(section)
    return root.children


_TOC_RUN = 4  # numbered lines in a row, with nothing between, before they can be a 目录


def _printed_toc(blocks: list[Block]) -> tuple[int, int] | None:
    """A plan's own 目录 printed without a 目录 heading: its headings listed in a row, with
    no text between them, and the first numbered one printed again further on.

    A conversion may have dropped some labels (总则 for 1 总则): short lines without
    punctuation carry the run on, but it needs ``_TOC_RUN`` numbered ones."""
    i = 0
    while i < len(blocks):
        j, numbered = i, []
        while j < len(blocks) and (_bare_heading(blocks[j]) or _short_line(blocks[j])):
            if _bare_heading(blocks[j]):
                numbered.append(j)
            j += 1
        if len(numbered) >= _TOC_RUN:
            first = _key(blocks[numbered[0]])
            again = next(
                (k for k in range(numbered[0] + 1, len(blocks)) if _key(blocks[k]) == first), None
            )
            if again is not None and again > numbered[_TOC_RUN - 1]:
                end = min(again, j)
                # The body may open with the same unnumbered chapter line the 目录 opened with.
                while end - 1 > i and end == again and _key(blocks[end - 1]) == _key(blocks[i]):
                    end -= 1
                return i, end
        i = j + 1
    return None


def _key(block: Block) -> str:
    return "".join(block.text.split())


def _short_line(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.rows is None
        and len(block.lines) == 1
        and 2 <= len(text) <= 20
        and not any(ch in text for ch in "。，；：,;:")
    )


def _bare_heading(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.rows is None
        and len(block.lines) == 1
        and len(text) <= _HEADING_MAX
        and not is_terminated(text)
        and match_numbering(text) is not None
    )


def _contents(blocks: list[Block]) -> Node:
    """The printed 目录 as one node of lines: it lists headings, it is not them."""
    lines = [ln for b in blocks for ln in b.lines]
    return Node("lines", text="\n".join(ln.text for ln in lines), lines=(lines[0].no, lines[-1].no))


def _opens_below(stack: list[Node], style: str) -> bool:
    """Does a label of ``style`` open a level below the top of the stack?

    A style already open closes back to its level (a sibling). A chapter, part,
    section or article also closes every minor style open below it. Any other
    new style opens a level below, whatever its conventional rank, because
    documents do invert 1. and （一）.
    """
    open_styles = [n.style for n in stack[1:]]
    if style in open_styles:
        return False
    if style in _MAJOR:
        return RANK.get(stack[-1].style or "", -1) < RANK[style]
    return True


def _resolve_ocr(num: Numbering, stack: list[Node], block: Block, log: list[Repair]) -> Numbering:
    """``2.2.`` after ``21.`` is ``22.`` with a stray point; elsewhere it is a decimal label."""
    previous = _last_value(stack, "arabic")
    if previous is not None and previous + 1 == num.value:
        line = block.lines[0]
        fixed = f"{num.value}." + num.rest
        log.append(
            Repair(
                "ocr-numbering", (line.no, line.no), removed=".", note=f"{num.label} → {num.value}."
            )
        )
        block.lines[0] = Line(line.no, fixed)
        return Numbering("arabic", num.value, f"{num.value}.", num.rest)
    tens, units = divmod(num.value or 0, 10)
    return Numbering("decimal", tens * 100 + units, num.label, num.rest)


def _last_value(stack: list[Node], style: str) -> int | None:
    for node in reversed(stack):
        for child in reversed(node.children):
            if child.style == style:
                return child.value
    return None


def _section(block: Block, num: Numbering, level: int) -> Node:
    lines = block.lines
    first = lines[0].text
    head, rest = _split_heading(block, num, first)
    node = Node(
        "section",
        text=" ".join(head.split()),
        lines=(block.first_line, block.last_line),
        num=num.label,
        style=num.style,
        value=num.value,
        level=level,
        heading=head[len(num.label) :].strip(),
    )
    more = [Line(ln.no, ln.text) for ln in lines[1:]]
    if rest.strip() or more:
        body = [Line(lines[0].no, rest.strip())] if rest.strip() else []
        node.children.append(_leaf(Block("paragraph", body + more)))
    return node


def _split_heading(block: Block, num: Numbering, first: str) -> tuple[str, str]:
    """Cut a numbered line into its heading and the paragraph text after it."""
    bold = block.bold_prefix
    if bold and first.startswith(bold) and len(bold) > len(num.label):
        return bold, first[len(bold) :]
    rest = num.rest
    single = len(block.lines) == 1
    if block.kind == "heading" or (
        single
        and len(first) <= _HEADING_MAX
        and "。" not in first.rstrip()[:-1]
        and not first.rstrip().endswith("。")
    ):
        if first.rstrip()[-1:] in _RUNIN_ENDS:  # （一）加强领导； — a run-in item, not a heading
            return first[: len(first) - len(rest)], rest
        return first, ""
    stop = _first_stop(rest)
    if stop is not None:
        cut = len(first) - len(rest) + stop + 1
        return first[:cut], first[cut:]
    return first[: len(first) - len(rest)], rest


def _first_stop(rest: str) -> int | None:
    for i, ch in enumerate(rest[: _RUNIN_MAX + 1]):
        if ch in "，,；;":
            return None
        if ch in "。：:" and i > 0:
            return i
    return None


def _leaf(block: Block) -> Node:
    span = (block.first_line, block.last_line)
    if block.rows is not None:
        return Node("table", text=block.text, lines=span, rows=block.rows)
    if block.kind == "heading":
        return Node("heading", text=" ".join(block.text.split()), lines=span)
    if len(block.lines) > 1:
        return Node("lines", text=block.text, lines=span)
    text = block.text
    label = block.bold_prefix if block.bold_prefix and text.startswith(block.bold_prefix) else None
    if label is None:
        m = _LABELS_RE.match(text)
        label = m.group(0) if m else None
    if label is not None:
        return Node("paragraph", text=text[len(label) :], lines=span, label=label)
    return Node("paragraph", text=text, lines=span)
