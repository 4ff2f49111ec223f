"""Repairs: undo what page and line breaks did to the text.

Reads: blocks (markup already stripped). Writes: blocks where
- signature and date lines printed in the same block as the text before them
  stand in their own block (``split_signatures``);
- a heading line that also carries the start of the next paragraph is two
  blocks (``split_heading_runons``);
- a signature block printed inside another document's sentence is lifted back
  to the 印发 notice it belongs to (``lift_misplaced_signatures``);
- paragraphs split at a page break are one again (``join_page_breaks``).
Each change is recorded as a ``Repair`` with its source lines.
"""

from __future__ import annotations

import re
from itertools import pairwise

from gongbao.core.dates import parse_damaged_date
from gongbao.core.model import Block, Line, Repair
from gongbao.core.numbering import match_numbering
from gongbao.core.patterns import (
    is_date_line,
    is_doc_number_line,
    is_masthead,
    is_order_number_line,
    is_organ_line,
    is_portal_field,
    is_signer_line,
    is_terminated,
    looks_like_title,
    signer,
    starts_structure,
)

_PROMULGATION_MARKS = ("印发给你们", "现印发", "印发你们", "转发给你们", "现转发", "现予印发")
_HEADING_MAX = 40
_PROSE_LINE = 60  # a line this long is prose, not a list entry
# No real paragraph runs this long; past it, unpunctuated text is not joined further
# (which also keeps joining linear on pathological input).
_PARAGRAPH_MAX = 5000
_LIFT_WINDOW = 80  # blocks searched back for the notice a stray signature belongs to


def is_signature_block(block: Block) -> bool:
    """Organ line(s) then a date line, or a date line alone: a 发文机关署名 and 成文日期."""
    if block.kind != "paragraph" or not block.lines or len(block.lines) > 4:
        return False
    *names, last = (ln.text for ln in block.lines)
    if is_date_line(last) and all(is_signer_line(n) for n in names):
        return True
    if names and all(is_organ_line(n) for n in names):
        # 国务院办公厅 / 12月11日 or / 2018525: a date damaged by the page is still one.
        return bool(_MONTH_DAY_RE.match(last.strip())) or parse_damaged_date(last) is not None
    # The Macao gazette prints the date first and the post and name under it.
    first, *signers = (ln.text for ln in block.lines)
    return bool(signers) and is_date_line(first) and all(signer(n) for n in signers)


def split_signatures(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Cut organ and date lines out of a block that also holds other text.

    The signature usually ends the block (``执行。`` / organ / date), but a page
    break can print it between two halves of another text's sentence.
    """
    out: list[Block] = []
    for block in blocks:
        if block.kind != "paragraph" or (
            len(block.lines) < 2 and not _RUNIN_HINT.search(block.text)
        ):
            out.append(block)
            continue
        out.extend(_cut_signatures(block, log))
    return _merge_signature_parts(out, log)


_RUNIN_HINT = re.compile(r"[。！？][ \t　]+\S.{1,40}[ \t　]+\S{6,20}日$")
_RUNIN_SIGNATURE_RE = re.compile(
    r"^(?P<body>.*[。！？])[ \t　]+(?P<signer>\S.{1,40}?)[ \t　]+(?P<date>\S{6,20}日)$"
)


def _split_runin_signature(line: Line, log: list[Repair]) -> list[Line]:
    """``…自2006年8月1日起施行。 部 长 李盛霖 二○○六年七月五日``: the signature and
    date a web page ran into the last sentence stand on their own lines again."""
    m = _RUNIN_SIGNATURE_RE.match(line.text)
    if m is None or not is_date_line(m.group("date")) or not is_signer_line(m.group("signer")):
        return [line]
    log.append(Repair("split-signature", (line.no, line.no), note="正文末尾的署名与日期另起一行"))
    return [Line(line.no, m.group(k)) for k in ("body", "signer", "date")]


def _cut_signatures(block: Block, log: list[Repair]) -> list[Block]:
    block.lines = [piece for ln in block.lines for piece in _split_runin_signature(ln, log)]
    lines = block.lines
    pieces: list[Block] = []
    start = 0
    for k, line in enumerate(lines):
        above = Block("paragraph", lines[k - 1 : k]) if k > start else None
        if not (is_date_line(line.text) or (above and _signature_date(line.text, above))):
            continue
        first = k
        while first > start and is_signer_line(lines[first - 1].text):
            first -= 1
        if first == start and k + 1 == len(lines) and start == 0:
            return [block]  # the whole block is a signature
        if first > start:
            pieces.append(Block("paragraph", lines[start:first]))
        pieces.append(Block("paragraph", lines[first : k + 1]))
        log.append(Repair("split-signature", (lines[first].no, line.no), note="署名与日期另起一块"))
        start = k + 1
    if not pieces:
        return [block]
    if start < len(lines):
        pieces.append(Block("paragraph", lines[start:]))
    if pieces[0].lines[0] is lines[0]:
        pieces[0].bold_prefix = block.bold_prefix
    return pieces


def _merge_signature_parts(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """An organ line and a date line printed as two blocks are one signature."""
    out: list[Block] = []
    for block in blocks:
        note = _note_between(out, block, log)
        _merge_one(out, block, log)
        if note is not None:
            out.append(note)
    return out


def _merge_one(out: list[Block], block: Block, log: list[Repair]) -> None:
    """Append ``block``, or merge it into the signature parts before it."""
    prev = out[-1] if out else None
    if prev is not None and _date_then_signer(prev, block):
        prev.lines.extend(block.lines)
        note = "日期与署名合为一块"
        log.append(Repair("merge-signature", (prev.first_line, block.last_line), note=note))
        return
    if (
        prev is not None
        and block.kind == prev.kind == "paragraph"
        and len(block.lines) == 1
        and _signature_date(block.lines[0].text, prev)
        and len(prev.lines) <= 3
        and all(is_signer_line(ln.text) for ln in prev.lines)
    ):
        prev.lines.extend(block.lines)
        note = "署名与日期合为一块"
        log.append(Repair("merge-signature", (prev.first_line, block.last_line), note=note))
        _merge_joint_signers(out, log)
        return
    out.append(block)


# 某某县人民政府办公室        2019年5月6日: a 纪要's or bulletin's header line.
_DATED_HEADER_RE = re.compile(
    r"[ \t　]{2,}[0-9〇○零一二]{4}[ 　]*年[0-9一二三四五六七八九十 　]{1,4}月[0-9一二三四五六七八九十 　]{1,4}日$"
)
_DATED_LINE_RE = re.compile(r"^[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日[ 　]+\S")
_MONTH_DAY_RE = re.compile(
    r"^[0-9０-９一二三四五六七八九十]{1,3}月[0-9０-９一二三四五六七八九十]{1,3}日$"
)


def _signature_date(text: str, names: Block) -> bool:
    """A 成文日期 line; under organ names, also one whose year the page lost."""
    text = text.strip()
    under_organs = all(is_organ_line(ln.text) for ln in names.lines)
    return is_date_line(text) or (
        under_organs and (bool(_MONTH_DAY_RE.match(text)) or parse_damaged_date(text) is not None)
    )


def _note_between(out: list[Block], block: Block, log: list[Repair]) -> Block | None:
    """Organ / （此件公开发布） / date: a page put the 附注 above the date. The note is taken
    out (and returned, to be put back under the signature) so organ and date meet."""
    if len(out) < 2 or len(block.lines) != 1 or not _bracket_note(out[-1].text):
        return None
    organs = out[-2]
    if not (organs.lines and all(is_organ_line(ln.text) for ln in organs.lines)):
        return None
    if not _signature_date(block.lines[0].text, organs):
        return None
    note = out.pop()
    log.append(
        Repair("misplaced-note", (note.first_line, note.last_line), note="附注移至成文日期之后")
    )
    return note


def _date_then_signer(prev: Block | None, block: Block) -> bool:
    return (
        prev is not None
        and block.kind == prev.kind == "paragraph"
        and len(prev.lines) == 1
        and is_date_line(prev.lines[0].text)
        and len(block.lines) == 1
        and signer(block.lines[0].text) is not None
    )


def _merge_joint_signers(out: list[Block], log: list[Repair]) -> None:
    """A joint document's organs printed a block each above the signature are part of it."""
    while len(out) >= 2 and len(out[-1].lines) < 6:
        above = out[-2]
        if above.kind != "paragraph" or len(above.lines) > 2:
            return
        if not all(is_organ_line(ln.text) for ln in above.lines):
            return
        sig = out.pop()
        above.lines.extend(sig.lines)
        log.append(
            Repair("merge-signature", (above.first_line, sig.last_line), note="联合署名合为一块")
        )


def split_heading_runons(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Split ``## (六) 加强餐饮质量安全监管。实施“清洁`` into a heading and a paragraph.

    The paragraph part is the start of a sentence a page break may have cut,
    so it is joined to the next block when that carries the sentence on.
    """
    out: list[Block] = []
    for n, block in enumerate(blocks):
        text = block.text
        stop = text.find("。")
        if block.kind != "heading" or stop < 0 or not text[stop + 1 :].strip():
            out.append(block)
            continue
        no = block.first_line
        rest = Block("paragraph", [Line(no, text[stop + 1 :].lstrip())])
        out.append(Block("heading", [Line(no, text[: stop + 1])], md_level=block.md_level))
        log.append(Repair("heading-runon", (no, no), note=f"标题行带正文：{rest.text[:8]}…"))
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        if nxt is not None and joinable(rest, nxt, heading_guard=False):
            _merge(rest, nxt, log, "page-break-join")
            nxt.lines = []
        out.append(rest)
    return [b for b in out if b.lines]


def joinable(prev: Block, nxt: Block, *, heading_guard: bool = True) -> bool:
    """Is ``nxt`` the rest of the sentence ``prev`` breaks off in?

    ``heading_guard``: a short unpunctuated line is taken for a heading printed
    without marks (a news title), not for half a sentence.
    """
    if prev.kind != "paragraph" or nxt.kind != "paragraph" or not prev.lines or not nxt.lines:
        return False
    tail, head = prev.lines[-1].text, nxt.lines[0].text
    if is_terminated(tail) or "\t" in head or not 4 <= len(tail) <= _PARAGRAPH_MAX:
        return False
    if "\t" in tail[-200:] or _TOC_ROW_RE.search(tail[-40:]):
        return False
    if not _cjk_or_digit(tail[-1]) and tail[-1] not in "，、,“《（(—-":
        return False
    if nxt.bold_prefix is not None or starts_structure(head) or is_masthead(head):
        return False
    if is_signature_block(prev) or is_doc_number_line(tail) or is_organ_line(tail):
        return False
    if _DATED_LINE_RE.match(head):
        return False  # 2007年12月14日 …修订: each line of a 题注 is its own
    if _head_line(tail) or is_portal_field(tail) or is_portal_field(head):
        return False  # 文号, 签发人, a portal's 索引号：…: lines that end where they end
    if is_date_line(tail) or is_signer_line(head) or _DATED_HEADER_RE.search(tail):
        return False  # a 成文日期, a signature, an organ-and-date header end no sentence
    if is_masthead(tail) or tail[:1] in "○●◆◇■□☆★◎":
        return False
    if len(prev.lines) == 1 and looks_like_title(tail):
        return False
    if len(nxt.lines) == 1 and len(head) <= _HEADING_MAX and looks_like_title(head):
        return False  # the next block is a title (the enclosed plan's), not a sentence's end
    if head.startswith(("（", "(")) and head.endswith(("）", ")")):
        return False  # a note in brackets under a title, e.g. (2018年8月11日 根据录音整理)
    if heading_guard and len(prev.lines) == 1 and _unpunctuated_heading(tail):
        return False
    # A short numbered line is a heading printed without marks, not a broken sentence,
    # unless a full stop inside shows a run-in heading whose sentence goes on.
    return not (
        len(prev.lines) == 1 and match_numbering(tail) and len(tail) <= 40 and "。" not in tail
    )


def _unpunctuated_heading(text: str) -> bool:
    return len(text) <= _HEADING_MAX and not any(ch in text for ch in "，。；：、,;:！？")


def _cjk_or_digit(ch: str) -> bool:
    return ch.isdigit() or "\u3400" <= ch <= "\u9fff" or ch in "%％”’）)"


def join_page_breaks(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Rejoin paragraphs a page break split in mid-sentence."""
    out: list[Block] = []
    for block in blocks:
        if out and joinable(out[-1], block):
            _merge(out[-1], block, log, "page-break-join")
        else:
            out.append(block)
    return out


def _merge(prev: Block, nxt: Block, log: list[Repair], kind: str, note: str = "") -> None:
    tail, head = prev.lines[-1], nxt.lines[0]
    log.append(
        Repair(kind, (tail.no, head.no), note=note or f"…{tail.text[-6:]}｜{head.text[:6]}…")
    )
    if len(prev.lines) >= 3 and len(nxt.lines) >= 2:
        # A list broken by a page: its entries go on, no sentence was cut.
        prev.lines.extend(nxt.lines)
        return
    prev.lines[-1] = Line(tail.no, tail.text + head.text)
    prev.lines.extend(nxt.lines[1:])


def lift_misplaced_signatures(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Move a signature printed inside a sentence back to the notice that promulgates the text.

    The converter sometimes prints the 印发 notice's signature where the page of
    the promulgated plan broke: ``…用电量17.4亿千瓦时，比`` / signature / ``上年增长4.2%…``.
    The sentence is rejoined and the signature placed after the notice's
    promulgation sentence; without such a sentence nearby it stays where the
    sentence ends, and the move is recorded either way.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if (
            out
            and i + 1 < len(blocks)
            and is_signature_block(block)
            and joinable(out[-1], blocks[i + 1])
        ):
            prev, nxt = out[-1], blocks[i + 1]
            _merge(prev, nxt, log, "signature-sentence-join", note="署名插在句中，句子已接续")
            target = _promulgation_index(out)
            where = target + 1 if target is not None else len(out)
            out.insert(where, block)
            log.append(
                Repair(
                    "misplaced-signature",
                    (block.first_line, block.last_line),
                    note=(
                        f"署名移至第{out[where - 1].first_line}行的印发语之后"
                        if target is not None
                        else "署名位置可疑，未找到所属印发通知"
                    ),
                )
            )
            i += 2
            continue
        out.append(block)
        i += 1
    return out


def _promulgation_index(out: list[Block]) -> int | None:
    for j in range(len(out) - 1, max(-1, len(out) - _LIFT_WINDOW), -1):
        text = out[j].text
        if is_masthead(text) or is_signature_block(out[j]):
            return None
        if any(mark in text for mark in _PROMULGATION_MARKS):
            return j
    return None


_TOC_ROW_RE = re.compile(r"(?:\.{2,}|…{2,}|·{2,}|-{3,})[ \t]*\d{1,4}$")
_LABEL_RE = re.compile(r"^[^，。：:；]{1,6}[：:]")
_WRAP_RATIO = 0.8
_TITLE_LINE = 90  # a block opening with a whole title this short keeps it as its own line


def unwrap_lines(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Join lines of one block that a line break cut in mid-sentence.

    In a block of many lines (a name list, a hard-wrapped text file) only a line
    nearly as long as the block's longest is taken as wrapped; short lines are
    list entries and stay.
    """
    for block in blocks:
        if block.kind == "paragraph" and len(block.lines) >= 2:
            block.lines = _unwrap(block.lines, log)
    return blocks


def _unwrap(lines: list[Line], log: list[Repair]) -> list[Line]:
    longest = max(len(ln.text) for ln in lines)
    many = len(lines) > 2
    roster = _is_roster(lines)
    out: list[tuple[int, list[str], int]] = [(lines[0].no, [lines[0].text], len(lines[0].text))]
    for ln in lines[1:]:
        no, pieces, size = out[-1]
        last = pieces[-1]
        # Only the end of a long joined line matters to the tests below; keep them linear.
        tail = last if size > 200 else "".join(pieces)
        # A whole title, or a head line (文号, 签发人), ends its line whatever comes next.
        titled = (
            size <= _TITLE_LINE and looks_like_title(tail) and _closed(tail, ln.text)
        ) or _head_line(tail)
        if roster and (_ENTRY_RE.match(pieces[0].strip()) or _ENTRY_RE.match(ln.text.strip())):
            joins = _roster_wraps(pieces[0], ln.text)
        else:
            joins = not titled and _wraps(tail, size, ln.text, longest if many else 0)
        if joins:
            log.append(Repair("line-wrap-join", (no, ln.no)))
            pieces.append(ln.text)
            out[-1] = (no, pieces, size + len(ln.text))
        else:
            out.append((ln.no, [ln.text], len(ln.text)))
    return [Line(no, "".join(pieces)) for no, pieces, _ in out]


# One person a line: a name of two to four characters (赵 光 with a space), then the post.
_ENTRY_RE = re.compile(
    r"^(?:[^：:，。]{1,5}[：:])?[\u4e00-\u9fff](?:[ 　]?[\u4e00-\u9fff]){1,3}[ 　]+\S"
)
_ENTRY_TAIL = 8  # a wrapped post's last part (副局长, 主任) is this short


def _is_roster(lines: list[Line]) -> bool:
    """A list of members (组长：X 职务 / X 职务, a line each), as leading-group notices print them."""
    entries = sum(bool(_ENTRY_RE.match(ln.text.strip())) for ln in lines)
    return entries >= 3 and entries >= 0.6 * len(lines)


def _roster_wraps(entry: str, nxt: str) -> bool:
    """In a roster a line is a new member unless it is the short end of the post above it."""
    nxt = nxt.strip()
    return (
        bool(_ENTRY_RE.match(entry.strip()))
        and not _ENTRY_RE.match(nxt)
        and len(nxt) <= _ENTRY_TAIL
        and not starts_structure(nxt)
    )


def _wraps(tail: str, size: int, nxt: str, longest: int) -> bool:
    return (
        size >= _WRAP_RATIO * longest
        and size >= 8
        and "\t" not in tail
        and "\t" not in nxt
        and (_cjk_or_digit(tail[-1]) or tail[-1] in "，、,“《（(—-")
        and not is_terminated(tail)
        and not starts_structure(nxt)
        and not _LABEL_RE.match(nxt)
        and not is_organ_line(tail)
        and not is_date_line(tail)
        and not _DATED_HEADER_RE.search(tail)
        and not is_portal_field(tail)
        and not is_portal_field(nxt)
        and not is_signer_line(nxt)
        and not is_doc_number_line(nxt.strip().strip("()（）"))
    )


_NUMBER_THEN_SIGNER_RE = re.compile(
    r"^(?P<number>\S{4,40}?号)[ \t　]+(?P<signer>签发人[:：].{1,30})$"
)
_NUMBER_THEN_TITLE_RE = re.compile(r"^(?P<number>\S{4,40}?号)[ \t　]+(?P<title>\S.{3,100})$")


_FOLIO_RE = re.compile(r"^(?:[（(][ 　]*[0-9]{1,3}[ 　]*[)）]|[—–-][ 　]*[0-9]{1,3}[ 　]*[—–-])$")


def drop_folios(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """A page number a converter left on a line of its own (— 7 —, (3)) is no text of the
    document: removed, and recorded."""
    out: list[Block] = []
    for block in blocks:
        if block.rows is None:
            kept = [ln for ln in block.lines if not _FOLIO_RE.match(ln.text.strip())]
            for ln in block.lines:
                if _FOLIO_RE.match(ln.text.strip()):
                    log.append(Repair("page-number", (ln.no, ln.no), removed=ln.text.strip()))
            if not kept:
                continue
            block.lines = kept
        out.append(block)
    return out


_COLLAPSED_MIN = 100  # a line this long with spaces may be a page whose line breaks became spaces
_NEW_ITEM_RE = re.compile(
    r"(?<=[。；;：:！？])[ \t　]+(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|[0-9]{1,2}[.．、](?![0-9])))"
)
_OPENING_SPACE_RE = re.compile(r"[ \t　]+")
_ADDRESSEES = ("各", "部门", "政府", "单位", "委员会", "局", "代表", "机关")


def split_collapsed_lines(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """A page that turned its line breaks into spaces runs title, 主送 and body into one line:
    ``…的紧急通知 各乡(镇)人民政府,…有关企业: 近几年,… 一、提高认识`` is cut where a title
    ends, where a 主送 ends in its colon, and before each numbered item; the spaces inside
    words stay (they are whitespace, and the text is kept as it came)."""
    out: list[Block] = []
    for block in blocks:
        long = [ln for ln in block.lines if len(ln.text) >= _COLLAPSED_MIN]
        if block.rows is not None or not long:
            out.append(block)
            continue
        pieces = [p for ln in block.lines for p in _collapsed_pieces(ln.text)]
        if len(pieces) == len(block.lines):
            out.append(block)
            continue
        no = block.first_line
        log.append(Repair("split-lines", (no, no), note="空格连成一行的标题、主送和正文分段"))
        out.extend(Block("paragraph", [Line(no, piece)]) for piece in pieces)
    return out


def _collapsed_pieces(text: str) -> list[str]:
    cuts: list[int] = []
    head = _OPENING_SPACE_RE.search(text[:120])
    start = 0
    if head and looks_like_title(text[: head.start()]):
        cuts.append(head.start())
        start = head.end()
    colon = re.search(r"[:：][ \t　]+", text[start : start + 200])
    addressed = colon and text[start : start + colon.start()]
    if colon and addressed and "。" not in addressed and any(w in addressed for w in _ADDRESSEES):
        cuts.append(start + colon.start() + 1)  # the 主送 ends in its colon
    cuts += [m.start() for m in _NEW_ITEM_RE.finditer(text)]
    if not cuts:
        return [text]
    pieces, start = [], 0
    for cut in sorted(set(cuts)):
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def split_number_from_title(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """``国家税务总局公告2018年第58号 国家税务总局关于…的公告``: a page's heading line that
    prints the number before the title is two elements, the number and the title."""
    out: list[Block] = []
    for block in blocks:
        text = block.text.strip()
        m = _NUMBER_THEN_TITLE_RE.match(text) if len(block.lines) == 1 else None
        signed = _NUMBER_THEN_SIGNER_RE.match(text) if len(block.lines) == 1 else None
        if signed and is_doc_number_line(signed["number"]):
            m, rest = signed, signed["signer"]  # 某政发〔2019〕5号      签发人：张三
        elif m and looks_like_title(m["title"]) and _numbered(m["number"]):
            rest = m["title"]
        else:
            out.append(block)
            continue
        no = block.first_line
        log.append(Repair("split-lines", (no, no), note="文号与其后内容另起一行"))
        out.append(Block("paragraph", [Line(no, m["number"])]))
        out.append(Block(block.kind, [Line(no, rest)], md_level=block.md_level))
    return out


def _numbered(text: str) -> bool:
    return is_doc_number_line(text) or is_order_number_line(text)


def split_run_together(blocks: list[Block], log: list[Repair]) -> list[Block]:
    """Give each paragraph its own block where a file runs paragraphs together on single lines.

    Plain-text exports often separate paragraphs by one line break instead of a
    blank line. A block is cut into one block per line when some line other
    than the last ends a sentence, opens a numbered item, or is as long as
    prose; short unpunctuated lines (names in a list, cover lines, TOC rows,
    a signature) stay together.
    """
    out: list[Block] = []
    for block in blocks:
        if block.kind != "paragraph" or len(block.lines) < 2 or not _run_together(block):
            out.append(block)
            continue
        log.append(Repair("split-lines", (block.first_line, block.last_line), note="逐行分段"))
        first = Block("paragraph", [block.lines[0]], bold_prefix=block.bold_prefix)
        out.append(first)
        out.extend(Block("paragraph", [ln]) for ln in block.lines[1:])
    return out


def _run_together(block: Block) -> bool:
    if is_signature_block(block):
        return False
    lines = [ln.text for ln in block.lines]
    return any(
        _ends_paragraph(text)
        or len(text) > _PROSE_LINE
        or match_numbering(nxt) is not None
        or _head_element(text)
        or _head_element(nxt)
        or (len(text) <= _TITLE_LINE and looks_like_title(text))
        or _bracket_note(text)
        for text, nxt in pairwise(lines)
    )


def _closed(tail: str, nxt: str) -> bool:
    """Does a line ending in a 文种 word end there: its title marks closed, the next line not
    going on with 〉的决定》 or ）?"""
    pairs = (("《", "》"), ("〈", "〉"), ("（", "）"), ("(", ")"))
    balanced = all(tail.count(a) == tail.count(b) for a, b in pairs)
    return balanced and nxt.strip()[:1] not in "》〉）)」』”的之"


def _bracket_note(text: str) -> bool:
    """（此件公开发布）, （2019年3月1日）: a line wholly in brackets stands alone."""
    s = text.strip()
    return len(s) <= _PROSE_LINE and s[:1] in "（(" and s[-1:] in "）)"


def _head_line(text: str) -> bool:
    s = text.strip()
    return _head_element(s) or bool(_NUMBER_THEN_SIGNER_RE.match(s)) or s.startswith("签发人")


def _head_element(text: str) -> bool:
    """A 文号 or 令 number line: an element of its own, never part of a paragraph."""
    s = text.strip().strip("()（）")
    return is_doc_number_line(s) or is_order_number_line(s)


def _ends_paragraph(text: str) -> bool:
    return text.rstrip()[-1:] in "。！？；：!?;:"
