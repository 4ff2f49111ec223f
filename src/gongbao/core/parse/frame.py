"""Parse stage: the gazette frame — cover data and table of contents.

Reads: the repaired block stream. Writes: an ``Issue`` (gazette name, latin
name, year, number, cumulative number, slogan, sections, TOC entries) and the
index of the first block after the frame. The frame's blocks stay in
``Issue.front``; dotted leaders are removed and recorded.
"""

from __future__ import annotations

import re

from gongbao.core.docnumber import ParsedDocNumber, parse_doc_number
from gongbao.core.model import Block, Issue, Line, Repair, TocEntry
from gongbao.core.numerals import cn_to_int
from gongbao.core.patterns import is_masthead, squeeze

_TOC_HEAD_RE = re.compile(r"^目\s*录$|^目\s*次$")
_ISSUE_RE = re.compile(
    r"(\d{4})\s*年?\s*第\s*([0-9一二三四五六七八九十]{1,4})(?:\s*[、,，—-]\s*([0-9]{1,3}))?\s*期"
)
_CUMULATIVE_RE = re.compile(r"总第\s*([0-9]{1,5})\s*期")
_LATIN_RE = re.compile(r"^[A-Z][A-Z .·'-]*$")
# Dotted leaders, also what OCR leaves of them: one dot after the 文号 or title
# (a Chinese title never ends in an ASCII full stop).
_LEADER_RE = re.compile(
    r"[ \t]*(?:[.…·][.…· \t]*[.…·]|…|-{3,}|_{3,}|(?<![\d.])\.(?=[ \t]))[ \t]*(?=\d{1,4}$)"
    r"|[ \t]*(?:\.{2,}|…+|(?<=[号\u4e00-\u9fff）)])\.)[ \t]*$"
)
_INLINE_NUMBER_RE = re.compile(r"[（(]([^（()）]{4,30}号)[)）]$")
_PAGE_RE = re.compile(r"^(.*?)[ \t]+(\d{1,4})$")
_SECTION_MARKS = "○●◆◇■□☆★〇◎·•"
_MAX_SECTION = 16
_COVER_MAX = 20
_MASTHEAD_INFO_RE = re.compile(
    r"^(?:主管|主办|编辑|出版|发行|地址|电话|邮编|印刷|刊号|准印证|内部资料|（[^）]{1,6}刊）)"
)
# Section names a TOC prints without a mark (configuration varies locally; see cn-rules §5).
_SECTION_NAME_RE = re.compile(
    r"^[^，。、《》“”]{0,10}(?:文件|讲话|动态|信息|任免|其他|规章|解读|要闻|纪要|大事记|公告|通告)$"
)
_TOC_SCAN = 400  # blocks; a TOC longer than this is not one


def parse_frame(blocks: list[Block], log: list[Repair]) -> tuple[Issue, int]:
    """Read the cover and TOC from the head of the stream; return the issue and where the body starts."""
    issue = Issue()
    toc_at = next(
        (i for i, b in enumerate(blocks[:200]) if _TOC_HEAD_RE.match(squeeze(b.text))), None
    )
    # A 目录 after a document's text is that document's (a plan's), not the issue's.
    if toc_at is not None and any(_prose(b) for b in blocks[:toc_at]):
        toc_at = None
    cover_end = toc_at if toc_at is not None else _cover_end(blocks)
    for block in blocks[:cover_end]:
        _read_cover(block, issue)
    end = cover_end
    if toc_at is not None:
        end = _read_toc(blocks, toc_at + 1, issue, log)
    issue.front = blocks[:end]
    return issue, end


def _prose(block: Block) -> bool:
    """Running text: a sentence, or a line too long for a cover."""
    text = block.text.strip()
    return text.endswith(("。", "：", ":")) or any(len(ln.text) > 90 for ln in block.lines)


def _cover_end(blocks: list[Block]) -> int:
    """Without a TOC, the cover is the run of cover elements at the head of the stream."""
    for i, block in enumerate(blocks[:_COVER_MAX]):
        if not _is_cover_element(block):
            return i
    return min(len(blocks), _COVER_MAX)


def _is_cover_element(block: Block) -> bool:
    text = squeeze(block.text)
    lines = [ln.text.strip() for ln in block.lines]
    return (
        (text.endswith("公报") and len(text) <= 30)
        or all(_LATIN_RE.match(ln) for ln in lines)
        or bool(_ISSUE_RE.search(text) and len(text) <= 40)
        or bool(_CUMULATIVE_RE.search(text) and len(text) <= 40)
        or _is_slogan(text)
        or bool(_MASTHEAD_INFO_RE.match(text))
    )


def _read_cover(block: Block, issue: Issue) -> None:
    text = squeeze(block.text)
    lines = [ln.text.strip() for ln in block.lines]
    if issue.gazette is None and text.endswith("公报") and len(text) <= 30:
        issue.gazette = text
    elif lines and all(_LATIN_RE.match(ln) for ln in lines):
        issue.gazette_latin = " ".join(" ".join(ln.split()) for ln in lines)
    m = _ISSUE_RE.search(text)
    if m and issue.year is None:
        issue.year = int(m.group(1))
        issue.number = cn_to_int(m.group(2))
        issue.number_end = int(m.group(3)) if m.group(3) else None
    m = _CUMULATIVE_RE.search(text)
    if m and issue.cumulative_number is None:
        issue.cumulative_number = int(m.group(1))
    if _is_slogan(text):
        issue.slogan = text


def _is_slogan(text: str) -> bool:
    parts = text.split("·")
    return len(parts) >= 3 and all(2 <= len(p) <= 8 for p in parts)


def _toc_end(blocks: list[Block], start: int) -> int:
    """The TOC runs to its last row with a page number (and a slogan printed under it).

    Titles without a page number wait for the 文号 row that carries it, so a
    trailing row without one belongs to the first document, not the TOC.
    """
    end = start
    seen: set[str] = set()
    pending = False  # title rows wait for their page, leader or 文号 row
    for i in range(start, min(len(blocks), start + _TOC_SCAN)):
        block = blocks[i]
        if _is_section_row(block):
            name = _section_name(block)
            if name in seen:  # the body's section divider repeats a TOC section: the TOC is over
                return max(end, i)
            seen.add(name)
            pending = False  # no 文号 row follows a section name (a masthead reads as one)
            continue
        if _ends_toc(block):
            break
        if any(
            _split_page(_LEADER_RE.sub(" ", ln.text))[1] is not None or _LEADER_RE.search(ln.text)
            for ln in block.lines
        ):
            end, pending = i + 1, False  # a page number, or a leader whose number a scan lost
        elif _toc_number(block.text) is not None:
            if end == i or pending:
                end = i + 1  # the 文号 printed under its title, without a page of its own
            pending = False
        else:
            # a title row; a document's title in the body is larger
            pending = block.kind == "paragraph" and not _is_slogan(squeeze(block.text))
    while end < len(blocks) and _is_slogan(squeeze(blocks[end].text)):
        end += 1
    return end


def _read_toc(blocks: list[Block], start: int, issue: Issue, log: list[Repair]) -> int:
    """Read the TOC rows; return the index of the first block after the TOC."""
    section: str | None = None
    pending: list[str] = []
    pending_line = 0
    stop = _toc_end(blocks, start)
    i = start
    while i < stop:
        block = blocks[i]
        text = squeeze(block.text)
        if _is_slogan(text):
            issue.slogan = text
            i += 1
            continue
        if _is_section_row(block):
            if pending:  # a title whose page number the scan lost ends at the next section
                _add(issue, section, pending, pending_line, None, None)
                pending = []
            section = _section_name(block)
            if section and section not in issue.sections:
                issue.sections.append(section)
            i += 1
            continue
        for n, line in enumerate(block.lines):
            clean = _strip_leader(line, log)
            block.lines[n] = clean
            title, page = _split_page(clean.text)
            led = clean.text != line.text  # a leader was printed: the title ends here
            number = _toc_number(title)
            if number is not None:
                if pending:
                    _add(issue, section, pending, pending_line, number.text, page)
                    pending = []
                elif issue.toc and issue.toc[-1].doc_number is None:
                    issue.toc[-1].doc_number = number.text
                    issue.toc[-1].page = issue.toc[-1].page or page
                continue
            if not pending:
                pending_line = line.no
            pending.append(title)
            if page is not None or led:
                _add(issue, section, pending, pending_line, None, page)
                pending = []
        i += 1
    if pending:
        _add(issue, section, pending, pending_line, None, None)
    return i


def _toc_number(text: str) -> ParsedDocNumber | None:
    """A TOC row that is a 文号, also in the brackets offices type around it: （国函〔2004〕1号）."""
    text = text.strip()
    if text[:1] in "（(" and text[-1:] in "）)":
        text = text[1:-1]
    return parse_doc_number(text)


def _ends_toc(block: Block) -> bool:
    text = block.text
    if is_masthead(text) or (block.kind == "heading" and block.md_level == 1):
        return True
    if block.rows is not None:
        return True
    return any(len(ln.text) > 90 or ln.text.rstrip().endswith("。") for ln in block.lines)


def _is_section_row(block: Block) -> bool:
    """A section heading of the TOC: ○领导讲话, or a short heading without a page number."""
    text = block.text.strip()
    if len(block.lines) != 1 or len(text) > _MAX_SECTION or _split_page(text)[1] is not None:
        return False
    if _toc_number(_LEADER_RE.sub("", text)) is not None:
        return False  # a 文号 row whose page number the scan lost, set large by OCR
    return (
        text[:1] in _SECTION_MARKS + "【[〖"
        or (block.kind == "heading" and block.md_level >= 2)
        or bool(_SECTION_NAME_RE.search(squeeze(text)))
    )


def _section_name(block: Block) -> str:
    return squeeze(block.text).strip(_SECTION_MARKS + " 【】[]〖〗")


def _strip_leader(line: Line, log: list[Repair]) -> Line:
    m = _LEADER_RE.search(line.text)
    if not m or not m.group(0).strip():
        return line
    log.append(Repair("toc-leader", (line.no, line.no), removed=m.group(0).strip()))
    return Line(line.no, line.text[: m.start()] + " " + line.text[m.end() :])


def _split_page(text: str) -> tuple[str, int | None]:
    m = _PAGE_RE.match(text.strip())
    if m and parse_doc_number(text.strip()) is None:
        return m.group(1).strip(), int(m.group(2))
    return text.strip(), None


def _add(
    issue: Issue,
    section: str | None,
    parts: list[str],
    line: int,
    number: str | None,
    page: int | None,
) -> None:
    title = squeeze("".join(parts))
    m = _INLINE_NUMBER_RE.search(title)
    if m and number is None and (parsed := parse_doc_number(m.group(1))):
        # 关于…的通知（冠政发〔2018〕64号）: the 文号 printed on the title row.
        title, number = title[: m.start()].rstrip(), parsed.text
    if title:
        issue.toc.append(TocEntry(section, title, number, page, line))
