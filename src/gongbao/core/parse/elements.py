"""Parse stage: one document's blocks → a ``Document`` with its GB/T 9704 elements.

Reads: the blocks from a document's start to the next one's. Writes: a
``Document``: 版头 (masthead, 文号), title and issuer, speaker and date note of a
speech, 主送机关, the body tree, 附件说明, signature and 成文日期, attachments,
and for a notice that promulgates (印发/转发) a plan, that plan as an embedded
document. Every block is kept in exactly one place.
"""

from __future__ import annotations

import re

from gongbao.core.dates import parse_damaged_date, parse_date
from gongbao.core.model import Attachment, Block, Document, Node, Repair
from gongbao.core.parse.body import build_tree
from gongbao.core.parse.frameless import strip_inline_number
from gongbao.core.parse.head import add_head, number_from_text, read_marks, take_preamble
from gongbao.core.parse.split import split_organs, strip_issuer, title_text
from gongbao.core.patterns import (
    COPY_TO_RE,
    PRINTED_RE,
    attachment_label,
    is_organ_line,
    is_page_chrome,
    is_signer_line,
    signer,
    squeeze,
    strip_qualifier,
)
from gongbao.core.repairs.breaks import is_signature_block

KINDS = (
    ("讲话", "speech"), ("通知", "notice"), ("决定", "decision"), ("意见", "opinion"),
    ("实施方案", "plan"), ("工作方案", "plan"), ("方案", "plan"), ("规划", "plan"),
    ("计划", "plan"), ("报告", "report"), ("通报", "circular"), ("通告", "announcement"),
    ("公告", "announcement"), ("批复", "reply"), ("函", "letter"), ("纪要", "minutes"),
    ("决议", "resolution"), ("命令", "order"), ("令", "order"), ("议案", "motion"),
    ("请示", "request"), ("办法", "measures"), ("细则", "measures"), ("规定", "regulation"),
    ("条例", "regulation"), ("规则", "regulation"), ("名单", "list"),
)  # fmt: skip
_PROMULGATED_RE = re.compile(
    r"(?:印发|转发|批转|公布|发布)\s*《(.+)》"
    r"|(?:印发|转发|批转)(?!《)(.{4,80}?)的(?:通知|通告|决定|公告)$"
)
_PROMULGATION_MARKS = (
    "印发给你们", "现印发", "转发给你们", "现转发", "印发你们", "现予公布", "现予印发", "现予发布",
)  # fmt: skip
_ENCLOSED_RE = re.compile(
    r"《([^《》]{4,80})》[^。]{0,80}?(?:印发给你们|转发给你们|现予印发|现予公布|现予发布|现印发|现转发)"
)
_NOTICE_TAIL = 8  # paragraphs a 印发/转发 notice may run on after its promulgation sentence
_NOTE_ITEM_RE = re.compile(r"^\s*[0-9０-９]{1,2}[.．、﹒·][^。]{1,60}$")
_NOTE_RE = re.compile(r"^[（(](?:此件|此页|联系人|本件)[^）)]{0,60}[）)]$")


def kind_of(title: str, formal: bool) -> str:
    """The document kind from its title's 文种 word; untitled informal items are news."""
    bare = strip_qualifier(title)  # …补充规定（六）, …办法（试行）
    for suffix, kind in KINDS:
        if bare.endswith(suffix):
            return kind
    return "other" if formal else "news"


def build_document(
    seq: int,
    blocks: list[Block],
    title_at: int,
    title_span: int,
    year: int | None,
    log: list[Repair],
) -> Document:
    """Assemble a document from its blocks; ``title_at`` is its title's index among them."""
    doc = Document(seq=seq, kind="other", title="")
    doc.lines = (blocks[0].first_line, blocks[-1].last_line)
    masthead = read_marks(doc, blocks[:title_at])
    title_blocks = blocks[title_at : title_at + title_span]
    title, inline_number = strip_inline_number(title_text(title_blocks))
    prefix, doc.title = strip_issuer(title)
    if inline_number and doc.doc_number is None:
        doc.doc_number = number_from_text(inline_number)
    for block in title_blocks:
        _squeeze_title(block, log)
        add_head(doc, block, "title")
    rest = blocks[title_at + title_span :]
    formal = doc.doc_number is not None or any(doc.roles.get(id(b)) == "masthead" for b in doc.head)
    doc.kind = kind_of(doc.title, formal)
    rest = take_preamble(doc, rest, year)
    # A header under the title may have named the organ; the signature has the last word.
    doc.issuers = doc.issuers or masthead or split_organs(prefix)
    _take_parts(doc, rest, year, log)
    doc.issuer = doc.issuers[0] if doc.issuers else None
    if not doc.title:
        doc.kind = _untitled_kind(doc, rest)
    return doc


# What an untitled text says of itself, first match wins (特此批复, 现将…通知如下, 作出本批示).
_FORMULAS = (
    (re.compile(r"批复如下|特此批复|此复"), "reply"),
    (re.compile(r"印发给你们|转发给你们|现予印发|通知如下|特此通知"), "notice"),
    (re.compile(r"通告如下|特此通告"), "announcement"),
    (re.compile(r"公告如下|特此公告"), "announcement"),
    (re.compile(r"通报表彰|通报如下|特此通报|予以通报"), "circular"),
    (re.compile(r"本批示|本行政命令|此令"), "order"),
    (re.compile(r"答复如下|现答复|特此答复"), "letter"),
    (re.compile(r"决定如下|特作如下决定"), "decision"),
    (re.compile(r"提出如下意见|现提出以下意见"), "opinion"),
)


def _untitled_kind(doc: Document, blocks: list[Block]) -> str:
    """Without a title, the kind from a 令 number or the text's own formula; else other."""
    number = doc.doc_number
    if number is not None and number.agency_code.endswith(("令", "命令")):
        return "order"
    if number is not None and number.agency_code.endswith("公告"):
        return "announcement"
    text = "".join(b.text for b in blocks[:40])
    found = next((kind for pattern, kind in _FORMULAS if pattern.search(text)), None)
    if found is not None:
        return found
    # A signed or addressed text is an official document of unknown kind, not a news item.
    return "other" if doc.signature or doc.recipients or doc.doc_number else doc.kind


def _tail(doc: Document, block: Block, role: str) -> None:
    doc.tail.append(block)
    doc.roles[id(block)] = role


def _squeeze_title(block: Block, log: list[Repair]) -> None:
    """A title printed with spaces (通 知, a line break turned space) is read without them."""
    for n, line in enumerate(block.lines):
        tight = squeeze(line.text)
        if tight != line.text:
            log.append(Repair("title-spacing", (line.no, line.no), note=f"{line.text} → {tight}"))
            block.lines[n] = type(line)(line.no, tight)


def _take_parts(doc: Document, rest: list[Block], year: int | None, log: list[Repair]) -> None:
    """Split what follows the preamble into body, 附件说明, signature, embedded plan, attachments."""
    rest = _take_colophon(doc, rest)
    name = promulgated_name(doc.title) or enclosed_name(rest)
    sig = _signature_index(rest, name is not None)
    if name is not None:
        cut = sig if sig is not None else _promulgation_end(rest)
        if cut is not None:
            notice, after = rest[:cut], rest[cut:]
            if sig is not None:
                _take_signature(doc, after[0])
                after = after[1:]
            doc.body = build_tree(notice, log)
            doc.promulgates = _embedded(doc, name, after, year, log)
            return
    if sig is None and rest and signer(rest[-1].text.strip()) and len(rest[-1].lines) == 1:
        sig = len(rest) - 1  # 行政长官 崔世安 closing a text dated above it (命令公布。)
    if sig is None:
        doc.body, doc.attachments = _split_attachments(doc, rest, log)
        return
    body, after = rest[:sig], rest[sig + 1 :]
    notes = _attachment_notes(doc, body)
    body = body[: len(body) - notes]
    _take_signature(doc, rest[sig])
    after = _take_late_signer(doc, after)
    doc.body = build_tree(body, log)
    _attach_bodies(doc, after, log)


def _take_late_signer(doc: Document, after: list[Block]) -> list[Block]:
    """A date signed below a line of its own (二〇一五年五月八日。/ 命令公布。/ 行政长官 崔世安):
    the post and name are the signature's too."""
    if doc.issuers:
        return after
    for k, block in enumerate(after[:2]):
        if len(block.lines) == 1 and (found := signer(block.text.strip())) is not None:
            doc.issuers = [found[0] or found[1]]
            doc.signature = block.text.strip()
            _tail(doc, block, "signature")
            return after[:k] + after[k + 1 :]
    return after


def _take_colophon(doc: Document, blocks: list[Block]) -> list[Block]:
    """Move the 附注 and 版记 (抄送, 印发机关和印发日期) to the document's tail."""
    kept = []
    for block in blocks:
        role = _colophon_role(block.text.strip()) if len(block.lines) <= 3 else None
        if role is None:
            kept.append(block)
        else:
            _tail(doc, block, role)
    return kept


def _colophon_role(text: str) -> str | None:
    if is_page_chrome(text):
        return "portal"  # 打印本页 关闭窗口 under the text
    if _NOTE_RE.match(text):
        return "note"
    if COPY_TO_RE.match(text):
        return "copy_to"
    if PRINTED_RE.search(text) and len(text) <= 60:
        return "printed_by"
    return None


def promulgated_name(title: str) -> str | None:
    """What a 印发/转发 notice's title says it encloses: 《X》, or X in 关于印发X的通知."""
    m = _PROMULGATED_RE.search(title)
    return squeeze(m.group(1) or m.group(2)) if m else None


def enclosed_name(blocks: list[Block]) -> str | None:
    """Without a title, the promulgation sentence names the text: 《X》…现予印发."""
    for block in blocks[:6]:
        if m := _ENCLOSED_RE.search(block.text):
            return squeeze(m.group(1))
    return None


def _signature_index(blocks: list[Block], promulgating: bool) -> int | None:
    """The notice's own signature: the first one after a promulgation sentence, else the last."""
    found = [i for i, b in enumerate(blocks) if is_signature_block(b)]
    if not found:
        return None
    if promulgating:
        # The notice may go on a few paragraphs after its 转发 sentence before it signs;
        # without such a sentence (经研究，同意…), its first signature near the top is its own.
        end = _promulgation_end(blocks)
        start = end if end is not None else 0
        return next((i for i in found if start <= i <= start + _NOTICE_TAIL), None)
    for i in found:
        after = blocks[i + 1 : i + 2]
        if not after or attachment_label(after[0].text):
            return i
    return found[-1]


def _promulgation_end(blocks: list[Block]) -> int | None:
    """Index after the notice's promulgation sentence (and a short 请…执行 line after it)."""
    for i, block in enumerate(blocks[:12]):
        if any(mark in block.text for mark in _PROMULGATION_MARKS):
            end = i + 1
            if end < len(blocks) and len(blocks[end].text) <= 20 and "执行" in blocks[end].text:
                end += 1
            return end
    return None


def _take_signature(doc: Document, block: Block) -> None:
    """Signature and 成文日期; the organs signed are the issuers (a post alone, as a
    令 is signed 部长 X, except on a 令, whose header names its organ)."""
    lines = [ln.text.strip() for ln in block.lines]
    names = [t for t in lines if is_signer_line(t)]
    doc.signature = " ".join(names) or None
    dated = [p for t in (lines[-1], lines[0]) if (p := parse_date(t.rstrip("。").strip("()（）")))]
    if dated:
        doc.date = dated[0].value
    elif len(lines) > 1:
        doc.date = parse_damaged_date(lines[-1])  # 2018525 under the organ: read, and reported
    organs = [part for t in names if is_organ_line(t) for part in t.split()]
    signers = [s for t in names if (s := signer(t)) is not None and not is_organ_line(t)]
    organs += [organ for organ, _ in signers if organ]
    posts = [post for organ, post in signers if not organ]
    if organs:
        doc.issuers = organs
    elif posts and not _is_order(doc):
        doc.issuers = posts  # 行政长官 signs his 批示; a 令 is its header organ's
    _tail(doc, block, "signature")


def _is_order(doc: Document) -> bool:
    number = doc.doc_number
    return number is not None and number.agency_code.endswith(("令", "公告"))


def _embedded(
    parent: Document, name: str, blocks: list[Block], year: int | None, log: list[Repair]
) -> Document:
    """The plan a notice promulgates, printed after the notice."""
    plan = Document(seq=parent.seq, kind=kind_of(name, True), title=name)
    if blocks:
        plan.lines = (blocks[0].first_line, blocks[-1].last_line)
    if blocks and names_match(title_text(blocks[:1]), name):
        _squeeze_title(blocks[0], log)
        add_head(plan, blocks[0], "title")
        printed = title_text(blocks[:1]).strip("《》")
        if _unmarked(printed) == _unmarked(name):
            plan.title = printed  # as printed, with its own title marks
        blocks = blocks[1:]
    plan.body, plan.attachments = _split_attachments(plan, blocks, log)
    return plan


_INNER_MARKS = str.maketrans({"<": "《", ">": "》", "〈": "《", "〉": "》"})
_NO_MARKS = str.maketrans("", "", "《》〈〉<>")


def _unmarked(text: str) -> str:
    return squeeze(text).translate(_NO_MARKS)


def names_match(text: str, name: str) -> bool:
    """Is a title line the text a notice names (title marks, inner 〈〉 and <> aside)?"""
    a = squeeze(text).strip("《》").translate(_INNER_MARKS)
    b = squeeze(name).translate(_INNER_MARKS)
    return a == b or (len(a) <= len(b) + 4 and (a in b or b in a))


def _split_attachments(
    doc: Document, blocks: list[Block], log: list[Repair]
) -> tuple[list[Node], list[Attachment]]:
    """Body and trailing attachments of a text with no signature of its own."""
    for i, block in enumerate(blocks):
        if _is_attachment_start(block) and i > 0:
            body = build_tree(blocks[:i], log)
            _attach_bodies(doc, blocks[i:], log)
            return body, doc.attachments
    return build_tree(blocks, log), []


def _attachment_notes(doc: Document, body: list[Block]) -> int:
    """Read the 附件说明 at the end of the body; return how many blocks it used.

    It is a block opening with 附件：, optionally followed by blocks of further
    numbered attachment names (2.…, 3.…).
    """
    for k in range(len(body) - 1, max(-1, len(body) - 8), -1):
        if attachment_label(body[k].text):
            break
    else:
        return 0
    notes = body[k:]
    if not all(_NOTE_ITEM_RE.match(b.text) for b in notes[1:]):
        return 0
    for block in notes:
        _tail(doc, block, "attachment_note")
        for line in block.lines:
            _note_line(doc, line.text)
    return len(notes)


def _note_line(doc: Document, text: str) -> None:
    m = attachment_label(text)
    rest = text[m.end() :].strip() if m else text.strip()
    if not rest:
        return
    numbered = re.match(r"^([0-9０-９]{1,2})[.．、﹒·]\s*(.+)$", rest)
    if numbered:
        doc.attachments.append(Attachment(int(numbered.group(1)), squeeze(numbered.group(2))))
    else:
        doc.attachments.append(Attachment(None, squeeze(rest)))


def _is_attachment_start(block: Block) -> bool:
    m = attachment_label(block.text)
    return m is not None and len(block.text.strip()) <= 8


def _attach_bodies(doc: Document, blocks: list[Block], log: list[Repair]) -> None:
    """Attachments printed after the signature: ``附件`` / ``附件2``, a title, then content.

    Content before the first label is an attachment whose label the converter
    dropped when the 附件说明 lists one still unprinted; otherwise it is more body.
    """
    groups: list[list[Block]] = []
    for block in blocks:
        if _is_attachment_start(block) or not groups:
            groups.append([block])
        else:
            groups[-1].append(block)
    taken: set[int] = set()
    for group in groups:
        label = group[0] if _is_attachment_start(group[0]) else None
        content = group[1:] if label else group
        title_block = content[0] if content and _attachment_title(content[0]) else None
        number = _label_number(label.text) if label else None
        att = _match_attachment(doc, number, title_block, taken, labelled=label is not None)
        if att is None:
            doc.body.extend(build_tree(group, log))
            continue
        if title_block is not None:
            _squeeze_title(title_block, log)
            content = content[1:]
        att.head = [b for b in (label, title_block) if b is not None]
        att.body = build_tree(content, log)


def _attachment_title(block: Block) -> bool:
    text = block.text.strip()
    return block.kind == "heading" or (
        len(block.lines) <= 2 and len(text) <= 60 and not text.endswith(("。", "；", "：", ":"))
    )


def _label_number(text: str) -> int | None:
    m = re.search(r"([0-9０-９]{1,2})", text)
    return int(m.group(1)) if m else None


def _match_attachment(
    doc: Document,
    number: int | None,
    title_block: Block | None,
    taken: set[int],
    *,
    labelled: bool,
) -> Attachment | None:
    """The attachment a printed one is: by number, by title, else the next unprinted one.

    None when unlabelled content matches no listed attachment: it is not one.
    """
    title = squeeze(title_block.text) if title_block else ""
    free = [a for a in doc.attachments if id(a) not in taken]
    match = next(
        (
            a
            for a in free
            if (number is not None and a.number == number) or (title and a.title == title)
        ),
        None,
    )
    if match is None and free and (number is None or free[0].number is None):
        match = free[0]
    if match is None and labelled:
        match = Attachment(number, title)
        doc.attachments.append(match)
    if match is not None:
        taken.add(id(match))
    return match
