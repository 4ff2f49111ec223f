"""发文字号 (document numbers) such as 冠政发〔2018〕64号: find, parse, normalise, check.

Documents cite each other by number, and PDF-to-text conversion and careless
typing print the same number many ways (〔〕, [], (), （）, full-width digits,
第, leading zeros). Linking, search and the GB/T 9704-2012 checks all need the
parts and one canonical form, so they are derived here once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "DOC_NUMBER_RE",
    "ParsedDocNumber",
    "convention_problems",
    "find_doc_numbers",
    "normalize_doc_number",
    "parse_damaged_doc_number",
    "parse_doc_number",
    "standard_brackets",
]

# CJK Unified Ideographs and Extension A; punctuation such as 《》（ is outside.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_DIGIT = "[0-9０-９]"
_SP = "[ \t\u3000]"
_OPEN = "〔[(（【［"
_CLOSE = "〕])）】］"

#: Finds document numbers in running text. Every quantifier is bounded and no
#: two adjacent ones can trade characters beyond a small constant, so a scan
#: stays linear on megabyte-long lines. The lookbehind makes the agency code
#: start right after a non-ideograph, so "通知》(国发〔2017〕53号)" yields 国发.
#: Without brackets the year must be followed by white space (冠政发2018 64号),
#: otherwise 201864 could not be split.
DOC_NUMBER_RE = re.compile(
    rf"(?<![{_CJK}])"
    rf"(?P<agency>[{_CJK}]{{1,12}})"
    rf"{_SP}{{0,2}}"
    rf"(?:(?P<open>[{re.escape(_OPEN)}]){_SP}{{0,2}}(?P<year>{_DIGIT}{{4}})"
    rf"{_SP}{{0,2}}(?P<close>[{re.escape(_CLOSE)}])"
    rf"|(?P<bare_year>{_DIGIT}{{4}}){_SP}{{1,3}})"
    rf"{_SP}{{0,2}}(?P<di>第)?{_SP}{{0,2}}"
    rf"(?P<serial>{_DIGIT}{{1,6}}){_SP}{{0,2}}号"
)

# The loose form people type into a search box: 冠政发2018 64, 冠政发 2018-64.
_LOOSE_RE = re.compile(
    rf"(?P<agency>[{_CJK}]{{1,12}})\s*(?P<year>{_DIGIT}{{4}})"
    rf"\s*[-－—–_/／\s]\s*(?P<di>第)?\s*(?P<serial>{_DIGIT}{{1,6}})\s*号?"
)


@dataclass(frozen=True)
class ParsedDocNumber:
    """One document number as printed, with its parts read out."""

    text: str
    agency_code: str
    year: int
    serial: int
    brackets: (
        str  # the bracket pair as printed, e.g. "〔〕", "[]", "()", "（）", "【】", "" when none
    )
    padded: bool  # serial printed with leading zeros
    has_di: bool  # serial printed with 第

    @property
    def canonical(self) -> str:
        """The GB/T 9704-2012 form: 冠政发〔2018〕64号."""
        return f"{self.agency_code}〔{self.year}〕{self.serial}号"


def _digits(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _from_match(m: re.Match[str]) -> ParsedDocNumber:
    year = m.group("year") or m.group("bare_year")
    brackets = (m.group("open") + m.group("close")) if m.group("open") else ""
    serial = _digits(m.group("serial"))
    return ParsedDocNumber(
        text=m.group(0),
        agency_code=m.group("agency"),
        year=int(_digits(year)),
        serial=int(serial),
        brackets=brackets,
        padded=len(serial) > 1 and serial.startswith("0"),
        has_di=m.group("di") is not None,
    )


def parse_doc_number(text: str) -> ParsedDocNumber | None:
    """Parse a string that is exactly one document number (surrounding space ignored)."""
    m = DOC_NUMBER_RE.fullmatch(text.strip())
    return _from_match(m) if m else None


# What PDF conversion leaves of a 文号 line: the closing bracket and 号 lost, year and
# serial run together (丹合管办发〔20178 for 丹合管办发〔2017〕8号).
_DAMAGED_RE = re.compile(
    rf"(?P<agency>[{_CJK}]{{1,12}}){_SP}{{0,2}}(?P<open>[{re.escape(_OPEN)}„]){_SP}{{0,2}}"
    rf"(?P<year>(?:19|20)[0-9]{{2}}){_SP}{{0,2}}[{re.escape(_CLOSE)}‟]?{_SP}{{0,2}}"
    rf"(?P<serial>[0-9]{{1,4}}){_SP}{{0,2}}号?"
)


def parse_damaged_doc_number(text: str) -> ParsedDocNumber | None:
    """A 文号 line damaged by conversion (丹合管办发〔20178, 鲁财建„2009‟57号), read as far as
    it goes. Only for a line standing alone where a 文号 is printed: in running text the
    digits could be anything."""
    text = text.strip()
    if parse_doc_number(text) is not None or len(text) > 30:
        return None
    m = _DAMAGED_RE.fullmatch(text)
    if m is None:
        return None
    return ParsedDocNumber(
        text=m.group(0),
        agency_code=m.group("agency"),
        year=int(m.group("year")),
        serial=int(m.group("serial")),
        brackets="damaged",
        padded=False,
        has_di=False,
    )


def find_doc_numbers(text: str) -> list[ParsedDocNumber]:
    """Every document number inside running text, in order of appearance."""
    return [_from_match(m) for m in DOC_NUMBER_RE.finditer(text)]


def normalize_doc_number(text: str) -> str | None:
    """The canonical form 冠政发〔2018〕64号 of any printed or typed variant; None if none.

    Besides every printed variant this accepts the loose search form
    (冠政发2018 64, 冠政发 2018 64, 冠政发2018-64), so a query and a document
    compare equal.
    """
    parsed = parse_doc_number(text)
    if parsed is not None:
        return parsed.canonical
    m = _LOOSE_RE.fullmatch(text.strip())
    if m is None:
        return None
    year = int(_digits(m.group("year")))
    serial = int(_digits(m.group("serial")))
    return f"{m.group('agency')}〔{year}〕{serial}号"


def standard_brackets(text: str) -> str:
    """The text with every bracketed 文号's year put in 〔〕, nothing else changed.

    For OCR output only: engines read 〔 as 【, [ or （ (and mix them within one
    number), while print that follows GB/T 9704 uses 〔〕. Text from a file's own
    text layer is never rewritten, so real departures are still reported.
    """

    def fix(m: re.Match[str]) -> str:
        if not m.group("open"):
            return m.group(0)
        start = m.start()
        chars = list(m.group(0))
        chars[m.start("open") - start] = "〔"
        chars[m.start("close") - start] = "〕"
        return "".join(chars)

    return DOC_NUMBER_RE.sub(fix, text)


def convention_problems(d: ParsedDocNumber) -> list[str]:
    """How the number departs from GB/T 9704-2012 7.2.4, one Chinese message each.

    The standard wants the year in 六角括号〔〕 with all four digits, and the
    serial without 虚位 (leading zeros) and without 第.
    """
    problems: list[str] = []
    if d.brackets == "damaged":
        return ["文号残缺（缺少〕或“号”，疑为转换损坏），请核对原件"]
    if d.brackets != "〔〕":
        shown = d.brackets or "无括号"
        problems.append(f"文号年份应使用六角括号〔〕，此处为{shown}")
    if not 1000 <= d.year <= 9999:
        problems.append(f"文号年份应为四位数字，此处为{d.year}")
    if d.padded:
        problems.append("序号不应编虚位（前导零）")
    if d.has_di:
        problems.append("序号前不应加“第”")
    return problems
