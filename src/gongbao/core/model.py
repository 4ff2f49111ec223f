"""The gazette document model: what the parser writes and every later stage reads.

Pure data, no behaviour beyond small derived views. Text is kept as printed
(full-width and half-width forms untouched); normalised forms live in the
modules that need them (``docnumber``, ``analyzer``).

Every character of the input ends up in exactly one ``Block`` or ``Node`` of
this model, or in a ``Repair`` that removed it (see ``conservation``).
Metadata fields such as ``Document.title`` are *views* of those blocks and are
not counted again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Line:
    """One physical source line, after markup removal.

    ``page`` is the page number printed on the page the line starts on and
    ``conf`` the OCR engine's confidence (0–1); both only for PDF, Word and
    scanned sources, None for text.
    """

    no: int
    text: str
    page: int | None = None
    conf: float | None = None


@dataclass
class Block:
    """A unit of the block stream: what readers produce and repairs rewrite.

    ``kind`` is ``heading`` (the source marked it as a heading; ``md_level`` keeps
    the source's hint, which the parser does not trust), ``paragraph``, ``table``
    (``rows`` holds the cells) or ``rule``. ``lines`` keep source line numbers;
    a paragraph with several lines had hard line breaks (lists, signatures).
    """

    kind: str
    lines: list[Line]
    md_level: int = 0
    rows: list[list[str]] | None = None
    bold_prefix: str | None = None  # a run-in bold lead such as "**（三）强化保障。**"

    @property
    def text(self) -> str:
        if self.rows is not None:
            return "\n".join("\t".join(row) for row in self.rows)
        return "\n".join(line.text for line in self.lines)

    @property
    def first_line(self) -> int:
        return self.lines[0].no if self.lines else 0

    @property
    def last_line(self) -> int:
        return self.lines[-1].no if self.lines else 0


@dataclass
class Repair:
    """A change the repairs made to the source: what was removed or inserted, and where."""

    kind: str
    lines: tuple[int, int]
    removed: str = ""
    inserted: str = ""
    note: str = ""


@dataclass
class Node:
    """A node of a document's body tree.

    ``kind``: ``section`` (numbered or titled heading with ``children``),
    ``paragraph`` (``label`` holds a run-in lead such as 主要工作：),
    ``lines`` (a block printed with hard line breaks, e.g. a name list),
    ``table`` (``rows``) or ``quote``.
    For a section, ``num`` is the numbering label as printed (（一）, 1., 第一章),
    ``style`` its numbering style, ``value`` its integer value, ``level`` its
    depth in this document (1 = top), ``heading`` the heading text after the
    label (may be empty for a numbered paragraph).
    """

    kind: str
    text: str = ""
    lines: tuple[int, int] = (0, 0)
    label: str | None = None
    num: str | None = None
    style: str | None = None
    value: int | None = None
    level: int = 0
    heading: str = ""
    rows: list[list[str]] | None = None
    children: list[Node] = field(default_factory=list)
    anchor: str = ""  # stable within its document: s2.1 for sections, p17 for the rest

    @property
    def title(self) -> str:
        """The heading as printed: label and heading text (``text`` of a section)."""
        return self.text if self.kind in ("section", "heading") else ""

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class DocNumber:
    """A 发文字号 as printed, and its parts."""

    text: str
    agency_code: str
    year: int
    serial: int


@dataclass
class Attachment:
    """One 附件: its number and title from the 附件说明, and its body where printed."""

    number: int | None
    title: str
    head: list[Block] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)


@dataclass
class Document:
    """One document of an issue, with the GB/T 9704-2012 elements it prints.

    ``head`` and ``tail`` hold the element blocks (masthead, 文号, title,
    recipients; 附件说明, signature, date) tagged by ``roles``; ``body`` the tree.
    """

    seq: int
    kind: str
    title: str
    ident: str = ""
    section: str | None = None
    page: int | None = None
    toc_title: str | None = None
    doc_number: DocNumber | None = None
    issuer: str | None = None
    issuers: list[str] = field(default_factory=list)  # every issuing organ of a joint document
    recipients: str | None = None
    date: date | None = None
    date_note: str | None = None
    speaker: str | None = None
    signature: str | None = None
    head: list[Block] = field(default_factory=list)
    tail: list[Block] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)  # id(block) → role
    body: list[Node] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    promulgates: Document | None = None
    lines: tuple[int, int] = (0, 0)

    def top_headings(self) -> list[str]:
        return [n.title for n in self.body if n.kind == "section"]

    def nodes(self) -> Iterator[Node]:
        """Every node of the body, the attachments and the promulgated plan, in order."""
        for root in self.body:
            yield from root.walk()
        for att in self.attachments:
            for root in att.body:
                yield from root.walk()
        if self.promulgates is not None:
            yield from self.promulgates.nodes()


@dataclass
class TocEntry:
    section: str | None
    title: str
    doc_number: str | None
    page: int | None
    line: int


@dataclass
class Issue:
    gazette: str | None = None
    gazette_latin: str | None = None
    year: int | None = None
    number: int | None = None
    number_end: int | None = None  # a double issue 第5、6期
    cumulative_number: int | None = None
    slogan: str | None = None
    sections: list[str] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    ident: str = ""
    front: list[Block] = field(default_factory=list)


@dataclass
class Finding:
    """One line of the proofreading report."""

    code: str
    severity: str  # "error" | "warning" | "info"
    message: str
    lines: tuple[int, int] | None = None
    document: int | None = None  # seq


@dataclass
class ParseResult:
    issue: Issue
    documents: list[Document]
    repairs: list[Repair]
    findings: list[Finding]
    source: str = ""
    encoding: str = "utf-8"
    unassigned: list[Block] = field(default_factory=list)
    dividers: list[Block] = field(default_factory=list)  # section lines between documents

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.severity in ("error", "warning")]
