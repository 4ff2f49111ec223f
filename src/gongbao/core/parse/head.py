"""Parse stage: a document's head — everything between its first line and its body.

Reads: the blocks above a document's title (版头 lines, organ lines, 签发人, 文号
or a 令 header with its 第N号) and those right under it (文号 in brackets, 题注,
a 纪要's 第N期 and header line, 主送机关). Writes: the ``Document``'s number,
issuers as the masthead names them, 题注 and its date, speaker, recipients, and
each block's role. The title itself and the parts after the body are
``elements``'s.
"""

from __future__ import annotations

import re
from datetime import date

from gongbao.core.dates import ParsedDate, find_dates, parse_date, parse_month_day
from gongbao.core.docnumber import parse_damaged_doc_number, parse_doc_number
from gongbao.core.model import Block, DocNumber, Document
from gongbao.core.patterns import (
    ORDER_NUMBER_RE,
    is_masthead,
    is_order_header,
    is_order_number_line,
    is_organ_line,
    is_page_chrome,
    is_portal_field,
    signer,
    squeeze,
)
from gongbao.core.repairs.breaks import is_signature_block

_SPEAKER_RE = re.compile(r"^(.{2,5}?)(?:同志)?在.{2,60}(?:讲话|发言|致辞)")


_DATED_NOTE_RE = re.compile(
    r"^[（(]?\s*(?:[0-9０-９]{4}|[〇○零一二][〇○零OoＯ0０一二三四五六七八九]{3})\s*年"
)


_NOTE_MAX = 120


_ISSUE_NUMBER_RE = re.compile(r"^(?:[0-9]{4}年)?第[0-9一二三四五六七八九十百]{1,5}期$")


_HEADER_LINE_RE = re.compile(
    r"^[0-9]{4}[ 　]*年[ 　]*[0-9]{1,2}[ 　]*月[ 　]*[0-9]{1,2}[ 　]*日[ 　]+\S{2,12}[〔\[（(][0-9]{4}[〕\]）)][0-9]{1,4}号$"
)


_SENTENCE_OPENING_RE = re.compile(r"^(?:根据|为了|为|经|按照|依照|依据|现将|现就|关于)")


_NOTE_VERB_RE = re.compile(r"通过|公布|发布|施行|批准|会议|印发|修订|修正")


_ADOPTED_RE = re.compile(r"通过|公布|发布|批准|印发")


_REVISED_RE = re.compile(r"修订|修正|修改")


_IN_FORCE_RE = re.compile(r"施行|生效")
_PROMULGATED_RE = re.compile(r"公布|发布|印发")


# 主送 names organs, or the deputies and members a reply answers (李晓何等代表：).
_RECIPIENT_WORDS = (
    "政府", "部门", "单位", "委员会", "管委会", "办事处", "局", "各", "机关", "代表", "委员",
)  # fmt: skip


def read_marks(doc: Document, blocks: list[Block]) -> list[str]:
    """The 版头 above the title: masthead and organ lines, 签发人, 文号 or 令 number.

    Returns the organs the masthead names (a joint document names several).
    """
    organs: list[str] = []
    order: list[Block] = []
    for block in blocks:
        text = block.text.strip()
        if is_order_header(text) or is_order_number_line(text):
            order.append(block)
            add_head(doc, block, "doc_number")
        elif (number := number_under_title(block)) is not None:
            doc.doc_number = doc.doc_number or number
            add_head(doc, block, "doc_number")
        elif text.startswith("签发人"):
            add_head(doc, block, "signer")
        elif is_portal_field(text) or is_page_chrome(text):
            add_head(doc, block, "portal")  # the page's metadata; the text's own head wins
        else:
            organs.extend(_masthead_organs(block))
            add_head(doc, block, "masthead")
    if order:
        organ, doc.doc_number = _order_number(" ".join(b.text for b in order))
        organs = organs or ([organ] if organ else [])
    return organs


def _masthead_organs(block: Block) -> list[str]:
    """中共X委员会 / X人民政府文件 → the organs; lines that are not organ names give none."""
    names: list[str] = []
    for line in block.lines:
        text = squeeze(line.text)
        if is_masthead(text):
            text = text[: -len("文件")]
        names.extend(part for part in text.split() if is_organ_line(part))
    return names


def _order_number(text: str) -> tuple[str | None, DocNumber | None]:
    """中华人民共和国交通部令 2006年第8号 → the organ and the 令 number as printed."""
    m = ORDER_NUMBER_RE.search(squeeze(text).replace(" ", ""))
    if m is None:
        return None, None
    if m.group("mserial"):
        year, serial, agency = m.group("myear"), m.group("mserial"), m.group("mkind")
        organ = None
    else:
        year, serial, agency = m.group("year"), m.group("serial"), m.group("organ")
        organ = agency.removesuffix("令").removesuffix("公告") or None
    printed = " ".join(text.split())
    return organ, DocNumber(printed, agency, int(_ascii(year)) if year else 0, int(_ascii(serial)))


def _ascii(digits: str) -> str:
    return digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def add_head(doc: Document, block: Block, role: str) -> None:
    doc.head.append(block)
    doc.roles[id(block)] = role


def take_preamble(doc: Document, rest: list[Block], year: int | None) -> list[Block]:
    """文号 under the title, date note, 主送机关: the elements between the title and the body."""
    if rest and doc.doc_number is None and (number := number_under_title(rest[0])):
        doc.doc_number = number
        add_head(doc, rest[0], "doc_number")
        rest = rest[1:]
    if doc.kind == "speech" and rest and _speaker_line(doc, rest[0]):
        add_head(doc, rest[0], "date_note")  # 县长 张三 / （2019年3月1日） under the title
        rest = rest[1:]
    if rest and _ISSUE_NUMBER_RE.match(squeeze(rest[0].text)):
        add_head(doc, rest[0], "doc_number")  # 第3期: the number of a 纪要 or a 简报
        rest = rest[1:]
    if rest and (dated := _organ_and_date(rest[0])) is not None:
        organ, doc.date = dated  # 某某县人民政府办公室  2019年5月6日 under a 纪要's title
        doc.issuers = doc.issuers or [organ]
        add_head(doc, rest[0], "masthead")
        rest = rest[1:]
    if rest and _HEADER_LINE_RE.match(rest[0].text.strip()):
        # 2004年1月11日 国函[2004]1号: a gazette's header line repeating the number; its
        # date is where the gazette put it, not the 成文日期.
        add_head(doc, rest[0], "doc_number")
        rest = rest[1:]
    notes = _date_notes(rest)
    if notes:
        text = "".join(squeeze(b.text) for b in notes).strip("（()）")
        # A 规章's 成文日期 is the day its 令 promulgated it, not the day a meeting adopted it.
        adopted = _adoption_dates(notes, promulgated_only=doc.kind in ("measures", "regulation"))
        # Two adoptions (a joint 批复 passed by two bodies) leave no single 成文日期, and
        # a text revised since (…修订) is not the one the first date and 令 number made.
        revised = bool(_REVISED_RE.search(text))
        doc.date = adopted[0].value if len(adopted) == 1 and not revised else None
        rest_of_note = text.replace(adopted[0].text, "", 1) if adopted else text
        doc.date_note = rest_of_note.strip(" ，,") or None
        order = ORDER_NUMBER_RE.search(rest_of_note)
        if doc.doc_number is None and order and not revised:
            doc.doc_number = _order_number(order.group(0))[1]
        for block in notes:
            add_head(doc, block, "date_note")
        rest = rest[len(notes) :]
    if doc.kind == "speech" and (m := _SPEAKER_RE.match(doc.title)):
        doc.speaker = m.group(1)
    if rest and _is_recipients(rest[0]):
        doc.recipients = squeeze("".join(ln.text for ln in rest[0].lines)).rstrip("：:")
        add_head(doc, rest[0], "recipients")
        rest = rest[1:]
    if doc.kind == "news" and rest and year is not None:
        doc.date = parse_month_day(rest[0].text, year)
    return rest


def _speaker_line(doc: Document, block: Block) -> bool:
    """A speech prints who spoke (post and name) and when under its title."""
    if not is_signature_block(block):
        return False
    first = block.lines[0].text.strip()
    doc.speaker = first.split()[-1] if signer(first) else squeeze(first)
    when = parse_date(block.lines[-1].text.strip().strip("（()）"))
    doc.date = when.value if when is not None else doc.date
    return True


def _organ_and_date(block: Block) -> tuple[str, date] | None:
    """An organ and a date on one line, far apart: (organ, date) or None."""
    parts = block.text.split()
    if len(block.lines) != 1 or len(parts) < 2:
        return None
    organ, when = " ".join(parts[:-1]), parse_date(parts[-1])
    if when is None or when.value is None or not is_organ_line(organ):
        return None
    return organ, when.value


def _date_notes(rest: list[Block]) -> list[Block]:
    """The 题注 under a title: （2019年7月26日…通过）, also unbracketed or over two lines.

    Laws and rules print when and by whom they were adopted and promulgated
    (2021年7月30日 国家市场监督管理总局令第45号公布 / 2021年9月1日 施行).
    """
    notes: list[Block] = []
    texts = [squeeze(b.text) for b in rest[:4]]
    for k, text in enumerate(texts[:3]):
        if len(text) > _NOTE_MAX or text.endswith(("。", "：", ":")):
            break  # a sentence, or one that opens what follows (…研究了以下事项：)
        opens = bool(_DATED_NOTE_RE.match(text)) and bool(find_dates(text))
        # The note's bracket or verb may only come on its second line (…委员会 / 第1815次会议通过…）).
        said = text.startswith(("（", "(")) or bool(_NOTE_VERB_RE.search(text))
        goes_on = k + 1 < len(texts) and _closes_note(texts[k + 1])
        closing = bool(notes) and text.endswith(("）", ")"))
        if not ((opens and (said or goes_on)) or closing):
            break
        notes.append(rest[k])
    return notes


def _closes_note(text: str) -> bool:
    return (
        len(text) <= _NOTE_MAX and text.endswith(("）", ")")) and bool(_NOTE_VERB_RE.search(text))
    )


def _adoption_dates(notes: list[Block], promulgated_only: bool = False) -> list[ParsedDate]:
    """The dates a 题注 says the text was adopted or promulgated on (not when it takes effect)."""
    found: list[ParsedDate] = []
    for block in notes:
        for clause in re.split(r"[，,；;]", squeeze(block.text)):
            if _IN_FORCE_RE.search(clause) and not _ADOPTED_RE.search(clause):
                continue  # 自2021年1月1日起施行
            if promulgated_only and not _PROMULGATED_RE.search(clause):
                continue  # …部务会议通过: adopted, not yet promulgated
            found.extend(d for d in find_dates(clause) if d.value is not None)
    return found[:1] if len({d.value for d in found}) == 1 else found


def number_under_title(block: Block) -> DocNumber | None:
    """Some gazettes print the 文号 under the title, often in brackets: （冠政发〔2018〕64号）."""
    if len(block.lines) != 1:
        return None
    return number_from_text(block.text)


def number_from_text(text: str) -> DocNumber | None:
    """A 文号 given alone (in brackets or not), whole or damaged by conversion."""
    text = text.strip()
    if len(text) > 40:
        return None
    parsed = parse_doc_number(text.strip("（）()")) or parse_damaged_doc_number(
        text.strip("（）()")
    )
    if parsed is None:
        return None
    return DocNumber(parsed.text, parsed.agency_code, parsed.year, parsed.serial)


def _is_recipients(block: Block) -> bool:
    text = squeeze(block.text)
    return (
        block.kind == "paragraph"
        and text.endswith(("：", ":"))
        and len(text) <= 200
        and "。" not in text
        and "《" not in text
        and "如下" not in text
        and not find_dates(text)
        and not _SENTENCE_OPENING_RE.match(text)
        and (
            any(w in text for w in _RECIPIENT_WORDS)
            or any(is_organ_line(part) for part in re.split(r"[、，,]", text.rstrip("：:")))
        )
    )
