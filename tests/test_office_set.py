"""The office-made test set (tools/make_office_set.py): issues typed in Word by hand.

Two gazette issues of real corpus documents, typed with direct formatting only
(no heading styles, no automatic numbering, a 目录 with tab leaders), their
LibreOffice PDFs, and their 300 dpi scans as rapidocr read them (the engine's
lines are kept in tests/data/ocr, so no OCR runs here). From each source every
document is found with its metadata as its text prints it, and its body text
matches the same document parsed from the corpus text file.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from gongbao.core import parse_file, parse_text
from gongbao.core.conservation import account
from gongbao.core.model import ParseResult
from gongbao.core.parse import parse_stream
from gongbao.core.patterns import squeeze
from gongbao.core.readers import BlockStream, read_path
from gongbao.core.readers.layout import assemble, ocr_corrections, pages_from_json
from tests.conftest import shared_path
from tests.test_readers_pdf import body_text, cer

DATA = Path(__file__).parent / "data"
OFFICE = DATA / "office"
ISSUES = ("office-jiaxing-2009-02", "office-yiyang-2014-12")
SOURCES = ("docx", "pdf", "scan", "scan200")  # scan: 300 dpi, scan200: 200 dpi
MAX_CER = {"docx": 0.005, "pdf": 0.005, "scan": 0.02, "scan200": 0.02}


def truth(issue: str) -> dict:
    return json.loads((OFFICE / f"{issue}.truth.json").read_text("utf-8"))


@cache
def read(issue: str, source: str) -> BlockStream:
    if source.startswith("scan"):
        dpi = source.removeprefix("scan") or "300"
        path = DATA / "ocr" / f"{issue}-{dpi}dpi.rapidocr.json.gz"
        return assemble(pages_from_json(json.loads(gzip.decompress(path.read_bytes()))))
    return read_path(OFFICE / f"{issue}.{source}")


@cache
def parsed(issue: str, source: str) -> ParseResult:
    return parse_stream(read(issue, source), source=f"{issue}.{source}")


def plain(text: str) -> str:
    """Without the Markdown table marks (| and ---) a corpus text carries and no print has."""
    return re.sub(r"\|+|-{3,}", "", text)


def fold(text: str) -> str:
    """Punctuation widths and 〇/○ folded: the corpus store half-widthed , : ( ) and a
    scan shows them in a CJK font, where an engine reads ，：（）; 〇 and ○ print alike."""
    return unicodedata.normalize("NFKC", text).replace("○", "〇")


def reference(issue: str) -> str:
    """The issue's documents parsed one by one from their corpus text files."""
    return "".join(
        plain(body_text(parse_file(shared_path("corpus", "real", f"{d['id']}.txt"))))
        for d in truth(issue)["documents"]
    )


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("issue", ISSUES)
def test_every_document_found_with_its_metadata(issue: str, source: str) -> None:
    want, result = truth(issue), parsed(issue, source)
    frame = result.issue
    assert (frame.gazette, frame.year, frame.number) == (
        want["gazette"],
        want["year"],
        want["number"],
    )
    assert frame.sections == want["sections"]
    assert len(result.documents) == len(want["documents"])
    for doc, w in zip(result.documents, want["documents"], strict=True):
        if source.startswith("scan"):  # a scan shows （六） and (六) alike
            assert fold(doc.title) == fold(w["title"]), w["id"]
        else:
            assert doc.title == w["title"], w["id"]
        assert (doc.doc_number.text if doc.doc_number else None) == w["doc_number"], w["id"]
        assert (doc.date.isoformat() if doc.date else None) == w["date"], w["id"]
        assert doc.issuer in w["issuers"] if w["issuers"] else doc.issuer is None, w["id"]
        assert doc.section == w["section"], w["id"]
        assert doc.page in ((w["page"], None) if source.startswith("scan") else (w["page"],)), w[
            "id"
        ]


def _lost_pages(source: str) -> int:
    """rapidocr leaves out a lone page number after a long dotted leader (bench/RESULTS.md)."""
    return 3 if source.startswith("scan") else 0


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("issue", ISSUES)
def test_body_text_against_the_corpus_text(issue: str, source: str) -> None:
    got = plain(body_text(parsed(issue, source)))
    assert cer(fold(got), fold(reference(issue))) <= MAX_CER[source]
    if not source.startswith("scan"):  # from Word and PDF the characters themselves, unfolded
        assert cer(got, reference(issue)) <= MAX_CER[source]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("issue", ISSUES)
def test_typed_toc_is_the_issues_toc(issue: str, source: str) -> None:
    """A 目录 typed as text (tab leaders, 文号 in brackets on the row under the title)."""
    want = [
        (d["section"], fold(d["full_title"]), d["doc_number"], d["page"])
        for d in truth(issue)["documents"]
    ]
    toc = parsed(issue, source).issue.toc
    got = [(e.section, fold(e.title), e.doc_number, e.page) for e in toc]
    assert [g[:3] for g in got] == [w[:3] for w in want]
    pages = [g[3] == w[3] for g, w in zip(got, want, strict=True)]
    assert pages.count(False) <= _lost_pages(source)
    assert all(g[3] in (w[3], None) for g, w in zip(got, want, strict=True))


@pytest.mark.parametrize("source", SOURCES)
def test_conservation(source: str) -> None:
    for issue in ISSUES:
        assert account(read(issue, source).text, parsed(issue, source)).ok


def test_enclosed_plan_stays_in_its_notice() -> None:
    """The 预案 an 印发 notice encloses, with its own 目录, is not a document of the issue."""
    for source in SOURCES:
        doc = parsed("office-yiyang-2014-12", source).documents[-1]
        assert doc.promulgates is not None and doc.promulgates.title == "益阳市重污染天气应急预案"


@pytest.mark.parametrize("source", SOURCES)
def test_section_names_are_dividers_not_mastheads(source: str) -> None:
    """国务院文件, 政府办公室文件 … printed over a section's first document end in 文件 like a
    masthead; they are the issue's section dividers, and no document's 版头."""
    for issue in ISSUES:
        result = parsed(issue, source)
        names = {squeeze(b.text) for b in result.dividers}
        assert names == set(truth(issue)["sections"])
        for doc in result.documents:
            assert not any(squeeze(b.text) in names for b in doc.head)


# ---------------------------------------------------------------- the readers' fixes


def test_docx_direct_formatting_makes_headings() -> None:
    """Bold or larger type, not a style, makes a heading; levels as the PDF reader gives them."""
    blocks = {b.text: b for b in read("office-jiaxing-2009-02", "docx").blocks}
    assert blocks["目　　录"].kind == "heading" and blocks["目　　录"].md_level == 2  # 22 pt
    assert blocks["嘉兴市人民政府公报"].md_level == 1  # 42 pt, red
    assert blocks["政府办公室文件"].kind == "heading"  # a section name, bold
    assert blocks["一、元旦"].kind == "heading" and blocks["一、元旦"].md_level == 4
    body = "你省《关于撤销陇南地区设立地级陇南市的请示》(甘政发〔2003〕91号)收悉。现批复如下:"
    assert blocks[body].kind == "paragraph"


def test_pdf_autospace_is_no_space_in_the_text() -> None:
    """LibreOffice sets a gap between 1 and 号; pdfium calls it a space, the text has none."""
    texts = [b.text for b in read("office-jiaxing-2009-02", "pdf").blocks]
    assert "国函〔2004〕1号" in texts and "国函〔2004〕1 号" not in texts


def test_pdf_wrapped_table_cells_stay_one_cell() -> None:
    """A ruled table whose cells wrap: one row per ruled row, not per printed line."""
    tables = [b for b in read("office-yiyang-2014-12", "pdf").blocks if b.kind == "table"]
    rows = [r for t in tables for r in t.rows]
    assert rows[0] == ["刑法条文", "罪名"]  # the centred header is in the columns below it
    assert ["第二百五十三条之一（《刑法修正案（九）》第十七条）",
            "侵犯公民个人信息罪 （取消出售、非法提供公民个人信息罪和非法获取公民个人信息罪罪名）"] in rows  # fmt: skip
    assert 32 <= len(rows) <= 36  # 32 rows and the header; a page break may cut one row


def test_pdf_centred_line_that_wrapped_is_one_line() -> None:
    """The 题注 of a 决定, centred over two printed lines, keeps its date."""
    doc = parsed("office-yiyang-2014-12", "pdf").documents[1]
    assert doc.date is not None and doc.date.isoformat() == "2019-07-26"


def test_scan_table_rows_from_the_rules_in_the_image() -> None:
    tables = [b for b in read("office-yiyang-2014-12", "scan").blocks if b.kind == "table"]
    rows = [r for t in tables for r in t.rows]
    assert 32 <= len(rows) <= 36


def test_horizontal_rules_of_an_image() -> None:
    from PIL import Image, ImageDraw

    from gongbao.core.readers.ocr import horizontal_rules

    img = Image.new("L", (1000, 400), 255)
    draw = ImageDraw.Draw(img)
    draw.line((100, 100, 900, 100), fill=0, width=2)  # a rule
    for x in range(100, 900, 40):  # a row of characters' horizontal strokes: broken
        draw.line((x, 200, x + 30, 200), fill=0, width=2)
    rules = horizontal_rules(img)
    assert [(round(y), x0, x1) for y, x0, x1 in rules] == [(100, 100.0, 901.0)]


@pytest.mark.parametrize(
    ("read_as", "fixed"),
    [("一等奖:平湖市政府办公室丶嘉善县政府办公室", "一等奖:平湖市政府办公室、嘉善县政府办公室"),
     ("市监察局丶市公安局、市经贸委", "市监察局、市公安局、市经贸委"),
     ("丶", "丶")],
)  # fmt: skip
def test_ocr_dunhao_in_a_list_of_units(read_as: str, fixed: str) -> None:
    assert ocr_corrections(read_as) == fixed


def test_toc_number_row_in_brackets() -> None:
    """The 文号 typed in brackets under its title belongs to that TOC entry, the last one too."""
    text = "\n".join([
        "某县人民政府公报", "2009年第2期", "目　　录", "政府文件",
        "某县人民政府关于表彰先进单位的通报\t3", "（某政发〔2009〕1号）",
        "某县人民政府关于做好防汛工作的通知\t5", "（某政发〔2009〕2号）",
        "某县人民政府关于表彰先进单位的通报", "各乡镇人民政府：", "现将有关事项通报如下。",
    ])  # fmt: skip
    result = parse_text(text)
    assert [(e.title, e.doc_number, e.page) for e in result.issue.toc] == [
        ("某县人民政府关于表彰先进单位的通报", "某政发〔2009〕1号", 3),
        ("某县人民政府关于做好防汛工作的通知", "某政发〔2009〕2号", 5),
    ]


def test_ocr_sizes_of_digit_lines_and_justified_lines() -> None:
    """A date line's digits and a justified line's spread give no type size by their pitch."""
    from gongbao.core.readers.layout import PLine
    from gongbao.core.readers.ocr import type_sizes

    def line(y: float, text: str, x0: float, x1: float, height: float = 16.0) -> PLine:
        return PLine(text, x0, x1, y, y + height, height, conf=0.99)

    body = "卫等工作遇有重大突发事件要按规定及时报告并妥善处置确保人"  # 28 characters
    lines = [line(100 + 28 * k, body, 80, 80 + 16 * 28) for k in range(6)]
    lines.append(line(300, "11月20日至26日放假调休,共7天。11月18日(星期", 80, 80 + 16 * 28))
    lines.append(line(330, "2016年12月6日", 335, 456))  # 121 pt: 18.6 pt by its pitch
    lines.append(line(360, "北京市人民代表大会常务委员会关于北京市耕", 82, 520, 22))  # a title
    type_sizes(lines)
    assert [ln.size for ln in lines[6:8]] == [16.0, 16.0]
    assert lines[8].size > 20
