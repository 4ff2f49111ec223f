"""Parse stage: where documents begin in a text without a gazette frame (no TOC).

Reads: the body blocks of a file that has no 目录 — a single document copied
from a web page, a Word file, or several documents pasted together. Writes: a
list of ``Start``. A document opens with its head: 版头 lines (``…文件``, the
issuing organs, a 令 header with its 第N号), a 文号, and a title that may be
wrapped over several lines. A head is looked for only at the top of the text
and right after the end of the previous document (its signature, 成文日期 or
版记), so a title-shaped line quoted inside a body never cuts a document in
two; a masthead or a 文号 line over a title opens a document anywhere. A text
with no head at all is one untitled document when it reads as a 公文, or a news
item (政务信息) when a title line stands over a body of sentences.
"""

from __future__ import annotations

import re

from gongbao.core.model import Block
from gongbao.core.numbering import match_numbering
from gongbao.core.parse.split import Start
from gongbao.core.patterns import (
    attachment_label,
    is_colophon_line,
    is_damaged_doc_number_line,
    is_date_line,
    is_doc_number_line,
    is_masthead,
    is_order_header,
    is_order_number_line,
    is_organ_line,
    is_portal_field,
    looks_like_title,
    squeeze,
)
from gongbao.core.repairs.breaks import is_signature_block

_TITLE_PART_MAX = 60  # one line of a wrapped title
_TITLE_MAX = 110  # a whole title
_TITLE_PARTS = 4  # lines a title may wrap over
_NEWS_TITLE_MIN = 6  # a news item's title: a headline, not a menu entry
_NEWS_SENTENCES = 2  # and its body: whole sentences…
_NEWS_BODY_MIN = 60  # …more than a line's worth
_HEAD_SCAN = 10  # blocks searched for a title at a document's head
_LABEL_RE = re.compile(r"^[^，。,]{1,8}[：:]")
_RECIPIENTS_RE = re.compile(r"^[^。；;]{2,200}[：:]$")
_CLOSING_RE = re.compile(
    r"(?:特此|此复|此令|现予公布|现予发布|通知如下|决定如下|批复如下|公告如下|通告如下)"
)


def frameless_starts(blocks: list[Block]) -> list[Start]:
    """Document starts in block order; at least one when there is any text."""
    starts: list[Start] = []
    at_boundary = True
    head_from = 0  # where the lines before a head began (澳门特别行政区 over the organ)
    i = 0
    while i < len(blocks):
        start = _head_at(blocks, i, at_boundary)
        if start is not None:
            start.index = min(start.index, head_from)
            starts.append(start)
            i = start.title_index + max(start.title_blocks, 1)
            at_boundary, head_from = False, i
            continue
        if ends_document(blocks[i]):
            at_boundary, head_from = True, i + 1
        elif not (at_boundary and (_head_line(blocks[i]) or is_portal_field(blocks[i].text))):
            at_boundary, head_from = False, i + 1
        i += 1
    head = blocks[: starts[0].index] if starts else blocks
    if _has_content(head) and _official(head):
        starts.insert(0, Start(0, 0, 0, None))
    elif not starts and _news_item(blocks):
        starts.append(Start(0, 0, 1, None))
    return starts


def _news_item(blocks: list[Block]) -> bool:
    """A news item (政务信息) saved alone: a title line over a body of sentences.

    It has no head of a 公文 (no 文号, signature or 主送), but it is a real item,
    unlike a page of navigation: its first line is a short title and the text below
    it reads as prose (whole sentences, more than a line's worth).
    """
    if len(blocks) < 2 or blocks[0].rows is not None or len(blocks[0].lines) != 1:
        return False
    title = squeeze(blocks[0].text)
    if not (_NEWS_TITLE_MIN <= len(title) <= _TITLE_PART_MAX) or any(
        c in title for c in "。；;？！"
    ):
        return False
    if match_numbering(title) is not None or is_portal_field(title) or _LABEL_RE.match(title):
        return False
    body = "".join(squeeze(b.text) for b in blocks[1:] if b.rows is None)
    return body.count("。") >= _NEWS_SENTENCES and len(body) >= _NEWS_BODY_MIN


def ends_document(block: Block) -> bool:
    """A signature, a 成文日期 or a 版记 line: what a document closes with."""
    text = block.text.strip()
    return is_signature_block(block) or (len(block.lines) <= 3 and is_colophon_line(text))


def _official(blocks: list[Block]) -> bool:
    """Does untitled text read as an official document (not a page of navigation or noise)?

    It must show one of the parts a 公文 has: a 主送 line, a signature or
    成文日期, a 版记, numbered headings, or a closing formula.
    """
    numbered = 0
    for block in blocks:
        text = block.text.strip()
        if ends_document(block) or is_date_line(text) or _RECIPIENTS_RE.search(text[-80:]):
            return True
        if _CLOSING_RE.search(text):
            return True
        numbered += match_numbering(text) is not None
    return numbered >= 2


def _head_line(block: Block) -> bool:
    """A short unpunctuated line that may stand above a document's head (a region's name)."""
    text = squeeze(block.text)
    return (
        len(block.lines) == 1
        and len(text) <= 20
        and text[:1] not in "（("
        and attachment_label(text) is None  # 附件1 over a title opens an attachment
        and not any(ch in text for ch in "。，；：,;:")
        and match_numbering(text) is None
    )


def _has_content(blocks: list[Block]) -> bool:
    """Is there more before the first head than a line or two of page chrome?"""
    return len(blocks) > 2 or any(len(squeeze(b.text)) > 30 for b in blocks)


def _head_at(blocks: list[Block], i: int, at_boundary: bool) -> Start | None:
    """The document whose head begins at block ``i``, if one does."""
    j = i
    marked = False  # a masthead, organ line, 令 header or 文号 seen
    while j < len(blocks) and j < i + _HEAD_SCAN and _is_head_mark(blocks[j]):
        marked = True
        j += 1
    if not (marked or at_boundary):
        return None
    span = title_span(blocks, j)
    if span:
        return Start(i, j, span, None)
    # Without a title, a head opens a document only where one may begin, or with a
    # 版头 or 令 header: a 文号 under the previous document's title is that title's.
    if marked and _marks_a_document(blocks[i:j], at_boundary):
        return Start(i, j, 0, None)
    return None


def _is_head_mark(block: Block) -> bool:
    text = block.text.strip()
    if block.rows is not None or not text or len(text) > 80:
        return False
    return (
        is_masthead(text)
        or is_doc_number_line(text)
        or is_damaged_doc_number_line(text)
        or is_order_header(text)
        or is_order_number_line(text)
        or text.startswith("签发人")
        or (len(block.lines) <= 4 and all(is_organ_line(ln.text) for ln in block.lines))
    )


def _marks_a_document(marks: list[Block], at_boundary: bool) -> bool:
    """Organ names alone may be a list; a 版头 or 令 header opens a document, a 文号 at a boundary."""
    return any(
        is_masthead(b.text)
        or is_order_header(b.text.strip())
        or (at_boundary and (is_doc_number_line(b.text.strip()) or is_order_number_line(b.text)))
        for b in marks
    )


def title_span(blocks: list[Block], j: int) -> int:
    """How many blocks from ``j`` form a document title (0: none).

    A title is one to four short unpunctuated lines that together end in a
    文种 word (通知, 意见, 办法…); a wrapped title's first part often opens with
    关于 or an organ's name and its last part with 的通知.
    """
    parts: list[str] = []
    for k in range(j, min(len(blocks), j + _TITLE_PARTS)):
        if not _title_part(blocks[k], first=k == j):
            break
        parts.append(squeeze(blocks[k].text))
        joined = "".join(parts)
        if len(joined) > _TITLE_MAX:
            break
        if looks_like_title(strip_inline_number(joined)[0]) and not _continues(blocks, k + 1):
            return k - j + 1
    return 0


def _continues(blocks: list[Block], k: int) -> bool:
    """Does the title go on in block ``k`` (关于印发…的通知 / 的实施意见)?"""
    if k >= len(blocks) or not _title_part(blocks[k]):
        return False
    nxt = squeeze(blocks[k].text)
    return nxt.startswith(("的", "之", "和", "及", "与")) and looks_like_title(nxt)


def _title_part(block: Block, first: bool = True) -> bool:
    """A block that can be (part of) a title: short, unpunctuated, not another head element.

    A wrap may leave a title's last character alone on its line (…的决 / 定)."""
    if block.rows is not None or not block.lines or len(block.lines) > 3:
        return False
    text = squeeze(block.text)
    if not (2 if first else 1) <= len(text) <= _TITLE_PART_MAX * len(block.lines):
        return False
    if text[-1] in "。；;，,：:、" or "。" in text or _LABEL_RE.match(text):
        return False
    if text[0] in "（(" and text[-1] in "）)":
        return False  # a note such as （此件公开发布）
    return not (
        is_masthead(text)
        or is_doc_number_line(text)
        or is_damaged_doc_number_line(text)
        or is_date_line(text)
        or is_organ_line(text)
        or is_colophon_line(text)
        or is_order_header(text)
        or attachment_label(text) is not None
        or match_numbering(text) is not None
    )


_INLINE_NUMBER_RE = re.compile(r"[（(]([^（()）]{4,40}号)[)）]$")


def strip_inline_number(title: str) -> tuple[str, str | None]:
    """``关于…的通知（岳办发〔2017〕2号）`` → the title and the 文号 printed on its line."""
    m = _INLINE_NUMBER_RE.search(title)
    if m and is_doc_number_line(m.group(1)):
        return title[: m.start()].rstrip(), m.group(1)
    return title, None
