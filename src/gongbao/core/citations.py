"""Citations between documents: the 文号 and 《titles》 a document's text cites.

A formal document usually cites its basis as 《title》（文号）: "根据《国务院关于
开展第四次全国经济普查的通知》（国发〔2017〕53号）". Each such pair is one
``Citation`` with both keys; a bare 文号 or a bare 《title》 is one with one key.
``link_citations`` resolves them to document ids of the archive.

The agency code rule (why ``find_doc_numbers`` is not used as is): its
lookbehind makes the code start after a non-ideograph, so in running text
"依据冠政发〔2018〕64号" yields the code 依据冠政发, and "53号和国办发〔…〕" yields
nothing at all (和 follows 号). Here the number is searched without that
lookbehind and the code is then trimmed:

1. cut everything up to and including the last lead-in word inside it
   (``LEAD_INS``: 依据, 根据, 按照, 印发, 转发, 执行, 落实, 贯彻, 和, 及 …);
2. keep at most the last ``MAX_AGENCY`` (8) characters;
3. accept the candidate only if the code ends in a code suffix
   (``AGENCY_SUFFIXES``: 发 字 办 函 令 文 电 …), as GB/T 9704 codes do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

from gongbao.core.docnumber import DOC_NUMBER_RE, normalize_doc_number, parse_doc_number
from gongbao.core.model import Document, Node

#: Words that introduce a citation and end up glued to the agency code.
#: Only words that never occur inside a code: 经 (冠经信发) or 发 alone would.
LEAD_INS = (
    "依据",
    "根据",
    "按照",
    "依照",
    "参照",
    "遵照",
    "对照",
    "印发",
    "转发",
    "执行",
    "落实",
    "贯彻",
    "结合",
    "对于",
    "关于",
    "通过",
    "见",
    "和",
    "及",
    "与",
    "或",
    "暨",
)
#: The last character of an agency code (冠政发, 鲁政字, 国办函, 冠政任, 国办明电 …).
AGENCY_SUFFIXES = frozenset("发字办函令文电通报复任呈规决议纪审督便")
MAX_AGENCY = 8
SNIPPET_CONTEXT = 30

# DOC_NUMBER_RE without its leading lookbehind (see the module docstring).
_LOOKBEHIND = re.match(r"\(\?<!\[[^\]]*\]\)", DOC_NUMBER_RE.pattern)
_NUMBER_RE = re.compile(DOC_NUMBER_RE.pattern[_LOOKBEHIND.end() if _LOOKBEHIND else 0 :])
_TITLE_RE = re.compile(r"《(?P<title>[^《》\n]{1,150})》")
# A 文号 in brackets right after a title: 《…》（国发〔2017〕53号）.
_PAREN_AFTER_RE = re.compile(r"[ \t\u3000]{0,2}[(（]")
_PAREN_CLOSE_RE = re.compile(r"[ \t\u3000]{0,2}[)）]")


@dataclass(frozen=True)
class Citation:
    """One citation in a document's text.

    ``kind`` is ``doc_number`` (a 文号, possibly with the 《title》 it follows)
    or ``title`` (a 《title》 alone). ``doc_number`` is the canonical form
    冠政发〔2018〕64号; ``printed`` the cited text as printed. ``start``/``end``
    are offsets into the printed text of the node at ``anchor``. ``target`` is
    the cited document's id once ``link_citations`` found it.
    """

    kind: str
    anchor: str
    snippet: str
    printed: str
    start: int
    end: int
    doc_number: str | None = None
    agency_code: str | None = None
    year: int | None = None
    serial: int | None = None
    title: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    text: str
    canonical: str
    agency: str
    year: int
    serial: int


def trim_agency(raw: str) -> str | None:
    """The agency code inside ``raw`` (CJK run before 〔year〕), or None if implausible."""
    cut = 0
    for word in LEAD_INS:
        i = raw.rfind(word)
        if i >= 0:
            cut = max(cut, i + len(word))
    code = raw[cut:][-MAX_AGENCY:]
    if not code or code[-1] not in AGENCY_SUFFIXES:
        return None
    return code


def find_numbers(text: str) -> list[_Number]:
    """文号 in running text with the agency code trimmed (see the module docstring)."""
    found: list[_Number] = []
    for m in _NUMBER_RE.finditer(text):
        raw = m.group("agency")
        code = trim_agency(raw)
        if code is None:
            continue
        start = m.start("agency") + len(raw) - len(code)
        parsed = parse_doc_number(text[start : m.end()])
        if parsed is None:
            continue
        found.append(
            _Number(
                start,
                m.end(),
                parsed.text,
                parsed.canonical,
                parsed.agency_code,
                parsed.year,
                parsed.serial,
            )
        )
    return found


def printed_text(node: Node) -> str:
    """The text of a node as printed: a run-in label before the text, table cells by tabs."""
    if node.rows is not None:
        return "\n".join("\t".join(row) for row in node.rows)
    if node.label and not node.text.startswith(node.label):
        return node.label + node.text
    return node.text


def title_key(title: str) -> str:
    """Titles compare after NFKC (（）→()) and without white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", title))


def extract_citations(doc: Document) -> list[Citation]:
    """Citations in document order; the document's own 文号 and its own plan's title are skipped."""
    own_number = normalize_doc_number(doc.doc_number.text) if doc.doc_number else None
    own_titles = {title_key(doc.title)}
    if doc.promulgates is not None:
        own_titles.add(title_key(doc.promulgates.title))
    out: list[Citation] = []
    for node in doc.nodes():
        text = printed_text(node)
        for c in _node_citations(text, node.anchor):
            if c.doc_number is not None and c.doc_number == own_number:
                continue
            if c.kind == "title" and title_key(c.title or "") in own_titles:
                continue
            out.append(c)
    return out


def _node_citations(text: str, anchor: str) -> list[Citation]:
    numbers = find_numbers(text)
    # By position, so that pairing stays linear on a line of thousands of citations.
    by_start = {n.start: n for n in numbers}
    paired: set[int] = set()
    out: list[Citation] = []
    for m in _TITLE_RE.finditer(text):
        number = _number_after(text, m.end(), by_start)
        if number is None:
            out.append(_citation(text, anchor, "title", m.start(), m.end(), title=m["title"]))
            continue
        paired.add(number.start)
        out.append(
            _citation(
                text, anchor, "doc_number", m.start(), number.end, title=m["title"], number=number
            )
        )
    for n in numbers:
        if n.start not in paired:
            out.append(_citation(text, anchor, "doc_number", n.start, n.end, number=n))
    return sorted(out, key=lambda c: c.start)


def _number_after(text: str, pos: int, by_start: dict[int, _Number]) -> _Number | None:
    """The 文号 printed in brackets right after ``pos`` (the end of a 《title》)."""
    opened = _PAREN_AFTER_RE.match(text, pos)
    if opened is None:
        return None
    n = by_start.get(opened.end())
    if n is not None and _PAREN_CLOSE_RE.match(text, n.end):
        return n
    return None


def _citation(
    text: str,
    anchor: str,
    kind: str,
    start: int,
    end: int,
    *,
    title: str | None = None,
    number: _Number | None = None,
) -> Citation:
    snippet = text[max(0, start - SNIPPET_CONTEXT) : end + SNIPPET_CONTEXT]
    if number is not None:
        end = max(end, _close_end(text, number.end))
    return Citation(
        kind=kind,
        anchor=anchor,
        snippet=snippet,
        printed=text[start:end],
        start=start,
        end=end,
        title=title,
        doc_number=number.canonical if number else None,
        agency_code=number.agency if number else None,
        year=number.year if number else None,
        serial=number.serial if number else None,
    )


def _close_end(text: str, pos: int) -> int:
    m = _PAREN_CLOSE_RE.match(text, pos)
    return m.end() if m else pos


def known_keys(documents: list[tuple[str, Document]]) -> dict[str, str]:
    """A ``known`` mapping for ``link_citations`` from (id, document) pairs.

    Keys: the canonical 文号, the title, and issuer + title (citations print the
    full title, 国务院关于…, where the model keeps the title without the issuer).
    """
    known: dict[str, str] = {}
    for ident, doc in documents:
        if doc.doc_number is not None:
            canonical = normalize_doc_number(doc.doc_number.text)
            if canonical:
                known.setdefault(canonical, ident)
        if doc.title:
            known.setdefault(doc.title, ident)
            if doc.issuer:
                known.setdefault(doc.issuer + doc.title, ident)
    return known


def link_citations(citations: list[Citation], known: Mapping[str, str]) -> list[Citation]:
    """The citations with ``target`` set where the 文号 (first) or the title is known.

    ``known`` maps a 文号 (any printed form) or a title to a document id.
    """
    numbers: dict[str, str] = {}
    titles: dict[str, str] = {}
    for key, ident in known.items():
        canonical = normalize_doc_number(key)
        if canonical is not None:
            numbers.setdefault(canonical, ident)
        else:
            titles.setdefault(title_key(key), ident)
    out = []
    for c in citations:
        target = numbers.get(c.doc_number) if c.doc_number else None
        if target is None and c.title:
            target = titles.get(title_key(c.title))
        out.append(replace(c, target=target))
    return out


__all__ = [
    "AGENCY_SUFFIXES",
    "LEAD_INS",
    "Citation",
    "extract_citations",
    "find_numbers",
    "known_keys",
    "link_citations",
    "printed_text",
    "title_key",
    "trim_agency",
]
