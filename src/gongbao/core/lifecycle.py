"""A document's life: when it takes effect, how long it lasts, what it does to others.

Reads: a parsed ``Document`` (its head's date notes, its body tree, its
attachments and the plan it promulgates) and its 成文日期. Writes a
``Lifecycle``: the 施行日期 (本办法自2019年1月1日起施行; 自发布之日起施行 →
the 成文日期), the 有效期 (有效期5年, 有效期至2023年12月31日, counted from 施行
or from the date of issue) and the relations to other documents, each found by
the 文号 and 《title》 that ``citations`` reads:

- ``repeals``: 《…》（X政发〔2015〕8号）同时废止 / 决定废止《…》; named articles
  (《…》第五条同时废止) make it partial;
- ``amends``: 决定对《…》作如下修改 / 修订 / 修正;
- ``extends``: 《…》的有效期延长至2026年12月31日;
- ``replaces``: 《…》不再执行 / 停止执行;
- ``based_on``: 根据《…》 / 依据《…》 (a short name, 以下简称《…》, is no second one).

Every finding keeps the sentence it was read from and the anchor of its node
(``head`` for a date note above the body): it is a proposal that staff confirm
or correct. A sentence is only read as a statement about another document when
it names that document; "凡与本规定不一致的同时废止" names none and gives nothing,
and a 有效期 of a licence (许可证有效期届满) is no 有效期 of the document.

``status_on`` turns a document's own dates and the confirmed relations of
later documents (``Change``) into its status on a day, with the chain (沿革)
of the documents that changed it. Pure functions, never raise on content.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from gongbao.core.citations import Citation, extract_citations, printed_text, title_key
from gongbao.core.dates import DATE_RE, find_dates, parse_date
from gongbao.core.model import Document
from gongbao.core.numerals import cn_to_int

__all__ = [
    "RELATION_KINDS",
    "STATUS_LABELS",
    "Change",
    "Effective",
    "Lifecycle",
    "Relation",
    "Status",
    "Validity",
    "add_months",
    "changes_from",
    "extract_lifecycle",
    "is_normative",
    "last_day_of_period",
    "status_on",
]

HEAD_ANCHOR = "head"

#: Relation kinds and how the site names them.
RELATION_KINDS = {
    "repeals": "废止",
    "amends": "修改",
    "extends": "延长有效期",
    "replaces": "替代",
    "based_on": "依据",
}

#: Status codes and their Chinese labels (the 时效性 of legal databases).
STATUS_LABELS = {
    "pending": "尚未施行",
    "in_force": "现行有效",
    "amended": "已修改",
    "partly_repealed": "部分失效",
    "repealed": "已废止",
    "expired": "已失效",
}

# DATE_RE without its group names, so that one pattern can hold two dates.
_DATE = DATE_RE.pattern.replace("(?P<year>", "(?:").replace("(?P<month>", "(?:")
_DATE = _DATE.replace("(?P<day>", "(?:")
_NUM = "[0-9０-９]{1,3}|[一二两三四五六七八九十]{1,3}"
_SP = "[ \t\u3000]{0,2}"
# 发布 and 公布 are also read in the traditional forms a Macao or Hong Kong text prints.
_ISSUE_EVENT = "(?:公[布佈]|[发發][布佈]|印[发發]|[颁頒][布佈]|下[发發]|公告|[发發]文|[签簽][发發])"
_TAKES_EFFECT = "(?:开始施行|正式施行|施行|[执執]行|[实實]行|生效)"

#: 自2019年1月1日起施行 / 自发布之日起施行 / 自公布翌日起生效 / 自印发之日起30日后施行.
_EFFECTIVE_RE = re.compile(
    rf"[自从]{_SP}(?:(?P<date>{_DATE})|(?P<event>{_ISSUE_EVENT})(?:之日|(?P<next>翌日|次日)))"
    rf"{_SP}起?{_SP}(?:(?P<after>{_NUM}){_SP}(?P<unit>日|天|个月)后)?{_SP}{_TAKES_EFFECT}"
)
#: A date note above the body: "2018年3月30日 施行".
_HEAD_EFFECTIVE_RE = re.compile(rf"^{_SP}(?P<date>{_DATE}){_SP}起?{_SP}{_TAKES_EFFECT}{_SP}$")
_VALIDITY_WORD = "(?:有效期限?|试行期)"
#: 有效期至2023年12月31日 / 有效期为2019年1月1日至2023年12月31日 / 有效期自…起至…止.
_VALID_UNTIL_RE = re.compile(
    rf"{_VALIDITY_WORD}{_SP}(?:为|是)?{_SP}(?:自?{_SP}(?P<start>{_DATE}){_SP}起?)?{_SP}"
    rf"(?:至|到)(?P<until>{_DATE})"
)
#: 有效期5年 / 有效期为两年 / 有效期三个月.
_VALID_FOR_RE = re.compile(
    rf"{_VALIDITY_WORD}{_SP}(?:为|是)?{_SP}(?P<count>{_NUM}){_SP}(?P<unit>年|个月)"
)
_FROM_ISSUE_RE = re.compile(rf"自{_ISSUE_EVENT}之日起{_SP}{_VALIDITY_WORD}")
_EXTENDS_RE = re.compile(
    rf"(?:延长|延续|顺延|继续有效)[^，,；;。]{{0,12}}?至{_SP}(?P<until>{_DATE})"
)
_REPEALS_RE = re.compile(r"废止")
_AMENDS_RE = re.compile(r"(?:作|做|进行|予以)(?:了)?(?:如下|以下|出如下)?(?:修改|修订|修正)")
_REPLACES_RE = re.compile(r"不再执行|停止执行|不再施行")
# 依照 introduces the rules a provision applies (依照《…》给予处罚), not the document's basis.
_BASED_ON_RE = re.compile(r"根[据據]|依[据據]")
# A short name the text gives a title it just cited: （以下简称《刑法修正案（九）》）.
_ALIAS_RE = re.compile(r"简称$")
_ARTICLE_RE = re.compile(
    r"第[0-9一二三四五六七八九十百零〇]{1,6}条(?:第[0-9一二三四五六七八九十]{1,3}款)?"
)
_SENTENCE_RE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_BREAKS = "，,；;：:"
# How far a 依据 lead-in may stand before the title it introduces (根据新修订的《…》).
_BASED_ON_REACH = 8
# Longer "sentences" are tables or run-on garbage, not statements: skipping them
# keeps the clause scans linear in the input.
_MAX_SENTENCE = 1000


@dataclass(frozen=True)
class Effective:
    """The 施行日期: ``date`` (None when it depends on an unknown date of issue).

    ``basis``: ``date`` (printed), ``issue`` (自发布之日起, = the 成文日期),
    ``issue_next_day`` (自公布翌日起) or ``issue_plus`` (自印发之日起30日后).
    """

    date: date | None
    basis: str
    text: str
    anchor: str
    sentence: str


@dataclass(frozen=True)
class Validity:
    """The 有效期: the last day in force (``until``) and how it was stated.

    ``kind`` is ``until`` (a printed end date) or ``period`` (``count`` ``unit``
    from ``start``: ``effective`` or ``issue``).
    """

    kind: str
    until: date | None
    text: str
    anchor: str
    sentence: str
    count: int | None = None
    unit: str | None = None
    start: str | None = None


@dataclass(frozen=True)
class Relation:
    """What this document does to another one, named by 文号 and/or 《title》.

    ``articles`` names the provisions a partial repeal or an amendment touches;
    ``until`` is the new end of an extended 有效期; ``date`` a date the sentence
    gives for the change itself (《…》自2023年7月1日起废止).
    """

    kind: str
    anchor: str
    sentence: str
    printed: str
    title: str | None = None
    doc_number: str | None = None
    articles: tuple[str, ...] = ()
    until: date | None = None
    date: date | None = None

    @property
    def key(self) -> str:
        """The target's identity: its 文号, else its title."""
        return self.doc_number or title_key(self.title or "")


@dataclass
class Lifecycle:
    """What a document says about its own life and the documents it changes."""

    issued: date | None
    effective: Effective | None = None
    validity: Validity | None = None
    relations: list[Relation] = field(default_factory=list)

    @property
    def effective_date(self) -> date | None:
        """The day it takes effect: the printed 施行日期, else the date of issue."""
        if self.effective is not None and self.effective.date is not None:
            return self.effective.date
        return self.issued

    @property
    def expires(self) -> date | None:
        """The last day in force under its own 有效期 (None: no end stated)."""
        return self.validity.until if self.validity else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "issued": _iso(self.issued),
            "effective": _dated_dict(self.effective),
            "validity": _dated_dict(self.validity),
            "relations": [_dated_dict(r) for r in self.relations],
        }


# --------------------------------------------------------------------------- extraction


def extract_lifecycle(doc: Document) -> Lifecycle:
    """The 施行日期, 有效期 and relations a document states (see the module docstring)."""
    life = Lifecycle(issued=doc.date)
    citations = _by_anchor(extract_citations(doc))
    for anchor, text in _passages(doc):
        for start, sentence in _sentences(text):
            _read_own_dates(life, sentence, anchor, citations.get(anchor, []), start)
    if life.validity is not None and life.validity.kind == "period":
        # Counted once all is read: the 施行日期 may be printed after the 有效期.
        life.validity = replace(life.validity, until=_period_end(life, life.validity))
    seen: set[tuple[str, str]] = set()
    for relation in _all_relations(doc, citations):
        if (relation.kind, relation.key) not in seen:
            seen.add((relation.kind, relation.key))
            life.relations.append(relation)
    return life


def _all_relations(doc: Document, citations: dict[str, list[Citation]]) -> Iterator[Relation]:
    """Relations sentence by sentence, and the items of a list a sentence announces.

    "决定废止下列文件：" ends a node whose own text names no document; the
    documents follow, one item or table row each, until a node that names none.
    """
    lead: Relation | None = None
    for anchor, text in _passages(doc):
        cited = _not_aliases(text, citations.get(anchor, []))
        if lead is not None and cited:
            for c in cited:
                yield replace(lead, anchor=anchor, sentence=_line_at(text, c.start), **_keys(c))
            continue
        lead = None
        found = list(_relations(text, anchor, cited))
        yield from found
        if not found:
            lead = _list_lead(text, anchor)


def _list_lead(text: str, anchor: str) -> Relation | None:
    """The relation a text ending in "：" announces for the documents listed after it."""
    stripped = text.strip()
    if not stripped.endswith(("：", ":")) or len(stripped) > _MAX_SENTENCE:
        return None
    extends = _EXTENDS_RE.search(stripped)
    if extends:
        return Relation("extends", anchor, stripped, "", until=_date(extends["until"]))
    if _REPEALS_RE.search(stripped):
        return Relation(
            "repeals", anchor, stripped, "", date=_clause_date(stripped, len(stripped) - 1)
        )
    if _REPLACES_RE.search(stripped):
        return Relation("replaces", anchor, stripped, "")
    return None


def _keys(c: Citation) -> dict[str, Any]:
    return {"printed": c.printed, "title": c.title, "doc_number": c.doc_number}


def _line_at(text: str, pos: int) -> str:
    """The printed line around ``pos`` (a list item, a table row)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)].strip()


def _passages(doc: Document) -> Iterator[tuple[str, str]]:
    """(anchor, printed text): the date notes, then every node in document order.

    Date notes are read from the head and the tail alike: the archive's JSON keeps
    a document's element blocks in one list and gives them back as its tail.
    """
    for block in (*doc.head, *doc.tail):
        if doc.roles.get(id(block)) == "date_note":
            for line in block.lines:
                yield HEAD_ANCHOR, line.text
    for node in doc.nodes():
        yield node.anchor, printed_text(node)


def _by_anchor(citations: list[Citation]) -> dict[str, list[Citation]]:
    out: dict[str, list[Citation]] = {}
    for c in citations:
        out.setdefault(c.anchor, []).append(c)
    return out


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of a node's text short enough to be a statement."""
    for m in _SENTENCE_RE.finditer(text):
        if len(m.group(0)) <= _MAX_SENTENCE:
            yield m.start(), m.group(0)


def _read_own_dates(
    life: Lifecycle, sentence: str, anchor: str, citations: list[Citation], offset: int
) -> None:
    """Set the 施行日期 and 有效期 from the first sentence that states each about this document."""
    if life.effective is None:
        life.effective = _effective(sentence, anchor, life.issued, citations, offset)
    if life.validity is None:
        life.validity = _validity(sentence, anchor, life, citations, offset)


def _effective(
    sentence: str, anchor: str, issued: date | None, citations: list[Citation], offset: int
) -> Effective | None:
    if anchor == HEAD_ANCHOR:
        m = _HEAD_EFFECTIVE_RE.match(sentence)
        if m is not None:
            return Effective(_date(m["date"]), "date", m.group(0).strip(), anchor, sentence)
    for m in _EFFECTIVE_RE.finditer(sentence):
        # "新修订的《预算法》自2015年1月1日起施行" is about another document.
        if _cited_in_clause_before(sentence, m.start(), citations, offset):
            continue
        return Effective(*_effective_value(m, issued), m.group(0), anchor, sentence)
    return None


def _effective_value(m: re.Match[str], issued: date | None) -> tuple[date | None, str]:
    if m["date"]:
        return _date(m["date"]), "date"
    if m["next"]:
        return _shift(issued, days=1), "issue_next_day"
    if m["after"]:
        count = cn_to_int(m["after"]) or 0
        if m["unit"] == "个月":
            return (add_months(issued, count) if issued else None), "issue_plus"
        return _shift(issued, days=count), "issue_plus"
    return issued, "issue"


def _validity(
    sentence: str, anchor: str, life: Lifecycle, citations: list[Citation], offset: int
) -> Validity | None:
    m = _VALID_UNTIL_RE.search(sentence)
    if m is not None and not _is_other(sentence, m.start(), citations, offset):
        return Validity("until", _date(m["until"]), m.group(0), anchor, sentence)
    m = _VALID_FOR_RE.search(sentence)
    if m is None or _is_other(sentence, m.start(), citations, offset):
        return None
    return Validity(
        "period",
        None,
        m.group(0),
        anchor,
        sentence,
        count=cn_to_int(m["count"]) or 0,
        unit="year" if m["unit"] == "年" else "month",
        start="issue" if _FROM_ISSUE_RE.search(sentence) else "effective",
    )


def _period_end(life: Lifecycle, validity: Validity) -> date | None:
    """The last day of 有效期N年 (or N个月): from 施行 (else issue), or from issue when so stated."""
    start = life.issued if validity.start == "issue" else life.effective_date
    if start is None or validity.count is None:
        return None
    months = validity.count * 12 if validity.unit == "year" else validity.count
    return last_day_of_period(start, months)


def last_day_of_period(start: date, months: int) -> date:
    """The last day of a period of whole months from ``start`` (the first day).

    The day before the same day ``months`` later; where that month has no such
    day, its last day (民法典 第二百零三条): 2019-01-01 + 60 → 2023-12-31,
    2019-03-31 + 3 → 2019-06-30.
    """
    same_day = add_months(start, months)
    if same_day.day < start.day:
        return same_day
    return same_day - timedelta(days=1)


def _is_other(sentence: str, pos: int, citations: list[Citation], offset: int) -> bool:
    """A 有效期 that belongs to someone else: a cited document's, an extension, a licence's."""
    clause = _clause_at(sentence, pos)
    if _EXTENDS_RE.search(sentence[clause[0] : clause[1]]):
        return True
    before = sentence[clause[0] : pos]
    if re.search(r"[证照书]$|资格$|许可$", before.rstrip("的")):
        return True
    return _cited_in_clause_before(sentence, pos, citations, offset)


def _cited_in_clause_before(
    sentence: str, pos: int, citations: list[Citation], offset: int
) -> bool:
    start, _ = _clause_at(sentence, pos)
    return any(start <= c.start - offset < pos for c in citations)


# --------------------------------------------------------------------------- relations


def _relations(text: str, anchor: str, citations: list[Citation]) -> Iterator[Relation]:
    if not citations:
        return
    pending = sorted(citations, key=lambda c: c.start)
    i = 0
    for offset, sentence in _sentences(text):
        while i < len(pending) and pending[i].start < offset:
            i += 1
        local = []
        while i < len(pending) and pending[i].end <= offset + len(sentence):
            local.append(pending[i])
            i += 1
        if local:
            yield from _sentence_relations(sentence, offset, anchor, local)


def _not_aliases(text: str, citations: list[Citation]) -> list[Citation]:
    """The citations that are not a short name given to the one before (以下简称《…》)."""
    return [c for c in citations if not _ALIAS_RE.search(text[max(0, c.start - 4) : c.start])]


def _sentence_relations(
    sentence: str, offset: int, anchor: str, citations: list[Citation]
) -> Iterator[Relation]:
    for m in _EXTENDS_RE.finditer(sentence):
        for c in _targets_before(sentence, m.start(), offset, citations):
            yield _relation("extends", c, anchor, sentence, until=_date(m["until"]))
    for m in _REPEALS_RE.finditer(sentence):
        targets = _targets_before(sentence, m.start(), offset, citations)
        if not targets:
            targets = _targets_after(sentence, m.end(), offset, citations)
        for c in targets:
            yield _relation(
                "repeals",
                c,
                anchor,
                sentence,
                articles=_articles(sentence, c, m.start(), offset),
                when=_clause_date(sentence, m.start()),
            )
    for m in _AMENDS_RE.finditer(sentence):
        for c in _targets_before(sentence, m.start(), offset, citations):
            yield _relation("amends", c, anchor, sentence)
    for m in _REPLACES_RE.finditer(sentence):
        for c in _targets_before(sentence, m.start(), offset, citations):
            yield _relation("replaces", c, anchor, sentence)
    for m in _BASED_ON_RE.finditer(sentence):
        for c in _targets_after(sentence, m.end(), offset, citations, reach=_BASED_ON_REACH):
            yield _relation("based_on", c, anchor, sentence)


def _clause_at(sentence: str, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: between the nearest clause breaks outside 《》 and brackets."""
    depth = 0
    start = 0
    for i, ch in enumerate(sentence):
        if ch in "《（(〈<":
            depth += 1
        elif ch in "》）)〉>":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _CLAUSE_BREAKS:
            if i < pos:
                start = i + 1
            else:
                return start, i
    return start, len(sentence)


def _targets_before(
    sentence: str, pos: int, offset: int, citations: list[Citation]
) -> list[Citation]:
    start, _ = _clause_at(sentence, pos)
    return [c for c in citations if start <= c.start - offset and c.end - offset <= pos]


def _targets_after(
    sentence: str, pos: int, offset: int, citations: list[Citation], reach: int | None = None
) -> list[Citation]:
    """Citations from ``pos`` to the clause end; with ``reach``, the first must start near."""
    _, end = _clause_at(sentence, pos)
    found = [c for c in citations if pos <= c.start - offset and c.end - offset <= end]
    if found and reach is not None and found[0].start - offset - pos > reach:
        return []
    return found


def _articles(sentence: str, c: Citation, trigger: int, offset: int) -> tuple[str, ...]:
    """第X条 printed between a cited title and the word 废止 (a partial repeal)."""
    between = sentence[c.end - offset : trigger] if c.end - offset <= trigger else ""
    between = between.split("》")[0] if "《" in between else between
    return tuple(_ARTICLE_RE.findall(between))


def _clause_date(sentence: str, pos: int) -> date | None:
    """A date the clause of ``pos`` gives the change: 《…》自2023年7月1日起废止."""
    start, end = _clause_at(sentence, pos)
    m = re.search(rf"自{_SP}({_DATE}){_SP}起", sentence[start:end])
    return _date(m.group(1)) if m else None


def _relation(
    kind: str,
    c: Citation,
    anchor: str,
    sentence: str,
    *,
    articles: tuple[str, ...] = (),
    until: date | None = None,
    when: date | None = None,
) -> Relation:
    return Relation(
        kind=kind,
        anchor=anchor,
        sentence=sentence.strip(),
        printed=c.printed,
        title=c.title,
        doc_number=c.doc_number,
        articles=articles,
        until=until,
        date=when,
    )


# --------------------------------------------------------------------------- 规范性文件

# 冠政规〔2019〕1号, 京政办规: codes of 行政规范性文件 carry 规.
_NORMATIVE_CODE_RE = re.compile(r"规")
# "（此件为行政规范性文件）", "行政规范性文件登记号：…", "规范性文件统一编号".
_NORMATIVE_NOTE_RE = re.compile(r"此件为?行政规范性文件|规范性文件(?:登记|统一|备案)(?:编?号)")


def is_normative(doc: Document) -> bool:
    """Whether the document marks itself a 行政规范性文件 (by its 文号 code or a printed note).

    Staff can mark the others; this only reads what the text says.
    """
    if doc.doc_number is not None and _NORMATIVE_CODE_RE.search(doc.doc_number.agency_code):
        return True
    notes = (line.text for block in (*doc.head, *doc.tail) for line in block.lines)
    texts = (printed_text(node) for node in doc.nodes())
    return any(_NORMATIVE_NOTE_RE.search(t[:2000]) for t in (*notes, *texts))


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class Change:
    """A confirmed relation of a later document, seen from the document it changes.

    ``on`` is the day the change takes effect; ``by`` names the changing document
    (its id once imported, else its 文号 or title).
    """

    kind: str
    on: date
    by: str
    articles: tuple[str, ...] = ()
    until: date | None = None


@dataclass(frozen=True)
class Status:
    """A document's status on ``on``: ``code`` (see ``STATUS_LABELS``), who caused it, the chain."""

    code: str
    on: date
    by: tuple[str, ...] = ()
    chain: tuple[Change, ...] = ()
    expires: date | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]

    @property
    def in_force(self) -> bool:
        return self.code in ("in_force", "amended", "partly_repealed")


def changes_from(life: Lifecycle, by: str) -> list[Change]:
    """The changes a later document's confirmed relations make, each taking effect when it does.

    A relation without a date of its own takes effect with the changing document
    (its 施行日期, else its date of issue); one with neither is left out.
    """
    out: list[Change] = []
    for r in life.relations:
        if r.kind == "based_on":
            continue
        on = r.date or life.effective_date
        if on is not None:
            out.append(Change(r.kind, on, by, r.articles, r.until))
    return out


def status_on(
    day: date,
    *,
    effective: date | None,
    expires: date | None = None,
    changes: Iterable[Change] = (),
) -> Status:
    """The status on ``day`` of a document in force from ``effective`` to ``expires``.

    Only changes in effect on ``day`` count; the latest extension sets the end.
    Repeal and replacement end it whatever the 有效期; then the 有效期; then a
    partial repeal; then an amendment.
    """
    chain = tuple(sorted((c for c in changes if c.on <= day), key=lambda c: (c.on, c.by)))
    end = expires
    for c in chain:
        if c.kind == "extends" and c.until is not None:
            end = c.until
    ending = [c for c in chain if c.kind in ("repeals", "replaces") and not c.articles]
    if ending:
        return Status("repealed", day, _by(ending[:1]), chain, end)
    if effective is not None and day < effective:
        return Status("pending", day, (), chain, end)
    if end is not None and day > end:
        return Status("expired", day, (), chain, end)
    partial = [c for c in chain if c.kind == "repeals" and c.articles]
    if partial:
        return Status("partly_repealed", day, _by(partial), chain, end)
    amended = [c for c in chain if c.kind == "amends"]
    if amended:
        return Status("amended", day, _by(amended), chain, end)
    return Status("in_force", day, (), chain, end)


def _by(changes: list[Change]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.by for c in changes))


# --------------------------------------------------------------------------- dates


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end (2016-02-29 + 12 → 2017-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _shift(day: date | None, *, days: int) -> date | None:
    return day + timedelta(days=days) if day else None


def _date(text: str) -> date | None:
    parsed = parse_date(text) or next(iter(find_dates(text)), None)
    return parsed.value if parsed else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _dated_dict(item: Effective | Validity | Relation | None) -> dict[str, Any] | None:
    if item is None:
        return None
    out = asdict(item)
    for key, value in out.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, tuple):
            out[key] = list(value)
    return out
