"""Make the office-made test set: gazette issues typed in Word the way an office types them.

    .venv/bin/python tools/make_office_set.py            # DOCX + PDF + truth (needs LibreOffice)
    .venv/bin/python tools/make_office_set.py --ocr      # + the 300 dpi scans OCRed, kept as lines
    .venv/bin/python tools/make_office_set.py --scans OUT/   # + the 300 and 200 dpi page images
    .venv/bin/python tools/make_office_set.py --ocr-only [--dpi 200]   # OCR the committed PDFs

A pipeline unlike ``tools/make_testset.py`` (which typesets the sample's block
stream itself, with Word styles and automatic numbering): python-docx writes
every paragraph with *direct* formatting only — no heading styles, no outline
levels, no automatic numbering. Titles are bold, centred, 22 pt runs; the
一、（一） numbers are typed by hand; the cover's gazette name is red; the
目录 is typed as text, a centred 目　　录 line and one paragraph per entry with
a right-aligned tab stop and a dotted tab leader before the page number;
section names (政府文件, 政府办公室文件 …) are bold lines; a table's cells wrap.
LibreOffice (``soffice --headless --convert-to pdf``) makes the PDF the way an
office exports one; pypdfium2 renders its pages at 300 and 200 dpi as the scans
(``--ocr`` keeps rapidocr's lines of the 300 dpi scans as a fixture,
``--ocr-only --dpi 200`` those of the 200 dpi scans, so the tests need neither
LibreOffice nor OCR time). Page numbers in the 目录 are where
each document really starts: the DOCX is made twice, the second time with the
pages the first PDF printed.

The documents are real, from ``../shared/corpus/real`` (their sources are in
that folder's ``SOURCES.md``), their text as stored there, one paragraph per
source line (blank lines dropped, Markdown marks and the LawRefBook markers
removed, leading spaces dropped). Two issues put them together; the gazettes
and sections are an invented frame, the documents are not:

- ``office-jiaxing-2009-02`` 《嘉兴市人民政府公报》2009年第2期:
  国务院文件 ``guohan-2004-1-longnan-wiki`` (国函〔2004〕1号, from the
  wiki copy of the 国务院公报 at zhonghuashu.com); 国务院办公厅文件
  ``guobanhan-2003-49`` (国办函〔2003〕49号, zhonghuashu.com wiki);
  政府文件 ``kaifeng-2007-26-tongbao`` (汴政〔2007〕26号, a legal-database
  page); 政府办公室文件 ``liangshan-2016-294-jiejiari`` (凉府办函〔2016〕294号,
  凉山州 government page) and ``jiaxing-2009-tongbao`` (嘉政办发〔2009〕16号,
  ask.fsou.com; its attachment lists units separated by 、, cut at 三等奖 by the
  page store).
- ``office-yiyang-2014-12`` 《益阳市人民政府公报》2014年第12期:
  政府文件 ``nanyang-2011-biaozhang-jueding`` (南阳市 决定, henan.kjzch.com);
  法规文件 ``lawref-beijing-gengdi-jueding-2019`` (北京市人大常委会 决定) and
  ``lawref-lianggao-zuiming-6-2015`` (两高 补充规定, a 刑法条文 | 罪名 table;
  both from LawRefBook/Laws at 2f4c5c23); 政府办公室文件
  ``yiyang-2014-yuan-yinfa`` (益阳市政府办公室 印发 notice enclosing its 预案
  with the plan's own 目录, truncated by the page store; last in the issue).

The truth of each issue (``<issue>.truth.json``) is the corpus truth of its
documents (title, 文号, issuers, date) with the issue's frame: gazette, year,
number, sections, each document's section and page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CORPUS = ROOT.parent / "shared" / "corpus" / "real"
OUT = ROOT / "tests" / "data" / "office"
OCR_OUT = ROOT / "tests" / "data" / "ocr"
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
RED = (0xE6, 0x00, 0x12)
BODY_PT, TITLE_PT, LINE_PT = 16, 22, 28
TEXT_MM = 210 - 28 - 26  # the type area's width (GB/T 9704: 156 mm)


@dataclass(frozen=True)
class IssueSpec:
    ident: str
    gazette: str
    year: int
    number: int
    cumulative: int
    sponsor: str
    documents: tuple[tuple[str, str], ...]  # (section, corpus id) in printed order


ISSUES = (
    IssueSpec(
        "office-jiaxing-2009-02", "嘉兴市人民政府公报", 2009, 2, 86, "嘉兴市人民政府办公室",
        (("国务院文件", "guohan-2004-1-longnan-wiki"),
         ("国务院办公厅文件", "guobanhan-2003-49"),
         ("政府文件", "kaifeng-2007-26-tongbao"),
         ("政府办公室文件", "liangshan-2016-294-jiejiari"),
         ("政府办公室文件", "jiaxing-2009-tongbao")),
    ),
    IssueSpec(
        "office-yiyang-2014-12", "益阳市人民政府公报", 2014, 12, 120, "益阳市人民政府办公室",
        (("政府文件", "nanyang-2011-biaozhang-jueding"),
         ("法规文件", "lawref-beijing-gengdi-jueding-2019"),
         ("法规文件", "lawref-lianggao-zuiming-6-2015"),
         ("政府办公室文件", "yiyang-2014-yuan-yinfa")),
    ),
)  # fmt: skip


# ---------------------------------------------------------------- the documents' lines

_MARKER_RE = re.compile(r"^<!--.*-->$")
_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+(?:\.\d+)+|\d+\.(?=\D))"
)
_DATE_RE = re.compile(
    r"^[0-9〇○零一二三四五六七八九十]{4}年[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日$"
)


@dataclass
class Para:
    """One paragraph to type and how an office would format it."""

    role: str  # title | number | note | recipients | heading | body | signature | attach | plan-title | toc | row
    text: str
    cells: list[str] | None = None


def document_paras(ident: str) -> tuple[list[Para], dict]:
    """The corpus document as paragraphs with a role each (from the truth and the line's shape)."""
    truth = json.loads((CORPUS / f"{ident}.truth.json").read_text("utf-8"))
    lines = [
        ln.strip().lstrip("#").strip()
        for ln in (CORPUS / f"{ident}.txt").read_text("utf-8").splitlines()
    ]
    lines = [
        ln
        for ln in lines
        if ln and not _MARKER_RE.match(ln) and not re.fullmatch(r"\|[-| ]+\|", ln)
    ]
    lines = [re.sub(r"<!--.*?-->$", "", ln).strip() for ln in lines]
    paras: list[Para] = []
    title = re.sub(r"\s", "", truth.get("full_title") or "")
    i = 0
    if title:  # the printed title, possibly over two source lines
        acc = ""
        while i < len(lines) and len(acc) < len(title):
            acc += lines[i]
            i += 1
        if acc != title:
            raise SystemExit(f"{ident}: title lines {acc!r} ≠ {title!r}")
        paras.append(Para("title", title))
    issuers = set(truth.get("issuers") or [])
    plan = truth.get("promulgates")
    rest = lines[i:]
    for n, ln in enumerate(rest):
        para = _classify(ln, truth, issuers, plan)
        if para.role == "heading" and ln in rest[n + 1 :]:
            para.role = "toc"  # a plan's own 目录 lists the headings that follow
        paras.append(para)
    return paras, truth


def _classify(ln: str, truth: dict, issuers: set[str], plan: str | None) -> Para:
    number = truth.get("doc_number")
    if number and number in ln and len(ln) <= len(number) + 2:
        return Para("number", ln)
    if ln.startswith("|"):
        return Para("row", ln, [c.strip() for c in ln.strip("|").split("|")])
    if re.match(r"^\d{4}年\d{1,2}月\d{1,2}日 .*(?:通过|批准)", ln):
        return Para("note", ln)
    if truth.get("recipients") and ln.rstrip(":：") == truth["recipients"]:
        return Para("recipients", ln)
    if ln in issuers or _DATE_RE.match(ln):
        return Para("signature", ln)
    if plan and re.sub(r"目录$", "", ln) == plan:
        return Para("plan-title", ln)
    if ln.startswith(("附件:", "附件：")) or ln == "附件:":
        return Para("attach", ln)
    if _HEADING_RE.match(ln) and len(ln) <= 30 and not ln.endswith("。"):
        return Para("heading", ln)
    return Para("body", ln)


# ---------------------------------------------------------------- Word, by hand


def _font(run, size: float, bold: bool = False, sans: bool = False, color=None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    name = SANS if sans else SERIF
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor(*color)


def _para(doc, text: str, size=BODY_PT, align="left", indent=0.0, bold=False, sans=False,
          color=None, before=0, page_break=False, right_indent=0.0, bold_lead=0):  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = {"left": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                    "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]  # fmt: skip
    pf.first_line_indent = Pt(indent * size) if indent else None
    pf.right_indent = Pt(right_indent * size) if right_indent else None
    pf.space_before, pf.space_after = Pt(before), Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(max(LINE_PT, size * 1.3))
    pf.page_break_before = page_break
    if bold_lead:
        _font(p.add_run(text[:bold_lead]), size, True, sans)
        text = text[bold_lead:]
    _font(p.add_run(text), size, bold, sans, color)
    return p


def _field(paragraph, instr: str, size: float) -> None:
    """A PAGE field, typed as Word types it (a footer's page number)."""
    from docx.oxml import parse_xml

    xml = (
        '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:instr="{instr}"><w:r><w:rPr><w:sz w:val="{int(size * 2)}"/></w:rPr>'
        "<w:t>1</w:t></w:r></w:fldSimple>"
    )
    paragraph._p.append(parse_xml(xml))


def _page_setup(doc, spec: IssueSpec) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
    sec.different_first_page_header_footer = True  # the cover has neither
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run(spec.gazette), 10.5)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(foot.add_run("— "), 14)
    _field(foot, "PAGE", 14)
    _font(foot.add_run(" —"), 14)


def _cover(doc, spec: IssueSpec) -> None:
    _para(doc, spec.gazette, size=42, align="center", bold=True, color=RED, before=120)
    _para(doc, f"{spec.year}年第{spec.number}期（总第{spec.cumulative}期）", size=18,
          align="center", before=24)  # fmt: skip
    _para(doc, f"{spec.sponsor}主办", size=BODY_PT, align="center", before=360)


def _toc(doc, entries: list[dict]) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Mm, Pt

    _para(doc, "目　　录", size=TITLE_PT, align="center", bold=True, page_break=True)
    _para(doc, "", size=BODY_PT)
    section = None
    for e in entries:
        if e["section"] != section:
            section = e["section"]
            _para(doc, section, size=BODY_PT, bold=True, sans=True, before=6)
        p = _para(doc, f"{e['full_title']}\t{e['page']}", size=14, indent=0)
        pf = p.paragraph_format
        pf.left_indent, pf.first_line_indent = Pt(28), Pt(0)
        pf.right_indent = Mm(6)
        pf.tab_stops.add_tab_stop(Mm(TEXT_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if e["doc_number"]:
            q = _para(doc, f"（{e['doc_number']}）", size=14)
            q.paragraph_format.left_indent = Pt(28)


def _document(doc, section: str | None, paras: list[Para]) -> None:
    first = True
    if section:  # a section's first document opens with its name, as gazettes print it
        _para(doc, section, size=18, align="center", bold=True, sans=True, page_break=True)
        first = False
    rows: list[list[str]] = []
    for para in paras:
        if para.role == "row":
            rows.append(para.cells or [])
            continue
        if rows:
            _table(doc, rows)
            rows = []
        _typed(doc, para, first)
        first = False
    if rows:
        _table(doc, rows)


def _typed(doc, para: Para, page_break: bool) -> None:
    t = para.text
    if para.role == "title":
        _para(doc, t, size=TITLE_PT, align="center", bold=True, before=12, page_break=page_break)
    elif para.role == "plan-title":
        _para(doc, t, size=TITLE_PT, align="center", bold=True, page_break=True)
    elif para.role in ("number", "note"):
        _para(doc, t, align="center", size=BODY_PT if para.role == "number" else 14)
    elif para.role == "recipients":
        _para(doc, t, before=12)
    elif para.role == "signature":
        _para(doc, t, align="right", right_indent=4)
    elif para.role == "heading":
        lead = re.match(r"[（(][一二三四五六七八九十]+[）)]", t)
        _para(doc, t, indent=2, bold=not lead, sans=not lead and not t[0].isdigit(),
              bold_lead=0)  # fmt: skip
    elif para.role == "toc":
        _para(doc, t, indent=2 + t.count(".") - (not t.split(".")[-1][:1].isdigit()))
    elif para.role == "attach":
        _para(doc, t, indent=2)
    else:
        _para(doc, t, indent=2)


def _table(doc, rows: list[list[str]]) -> None:
    """A Word table (Table Grid, as offices insert one): narrow first column, so cells wrap."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = doc.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    widths = [Mm(62), Mm(TEXT_MM - 62)]
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w
    for r, row in enumerate(rows):
        cells = table.add_row().cells
        for c, text in enumerate(row):
            cell = cells[c]
            cell.width = widths[c]
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _font(p.add_run(text), 14, bold=r == 0)
    _para(doc, "", size=BODY_PT)


def make_docx(spec: IssueSpec, pages: dict[str, int]) -> tuple[bytes, list[dict]]:
    """The issue as a .docx, and its truth rows (pages from the PDF before, else 0)."""
    import io

    from docx import Document

    doc = Document()
    _page_setup(doc, spec)
    entries: list[dict] = []
    bodies = []
    for section, ident in spec.documents:
        paras, truth = document_paras(ident)
        entries.append(
            {"id": ident, "section": section, "title": truth["title"],
             "full_title": truth["full_title"], "doc_number": truth["doc_number"],
             "issuers": truth["issuers"], "date": truth["date"], "page": pages.get(ident, 0)}
        )  # fmt: skip
        bodies.append((section, paras))
    _cover(doc, spec)
    _toc(doc, entries)
    previous = None
    for section, paras in bodies:
        _document(doc, section if section != previous else None, paras)
        previous = section
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), entries


# ---------------------------------------------------------------- LibreOffice, pages, scans


def to_pdf(docx: bytes) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice is needed: apt-get install -y libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "issue.docx"
        src.write_bytes(docx)
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "pdf", "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return (Path(tmp) / "issue.pdf").read_bytes()


def start_pages(pdf: bytes, entries: list[dict]) -> dict[str, int]:
    """The physical page (from 1) on which each document's title is printed, after the 目录."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    texts = []
    for i in range(len(doc)):
        tp = doc[i].get_textpage()
        texts.append(re.sub(r"\s", "", tp.get_text_range()))
        tp.close()
    doc.close()
    found = {}
    for e in entries:
        key = re.sub(r"\s", "", e["full_title"])[:14]
        found[e["id"]] = next(i + 1 for i in range(2, len(texts)) if key in texts[i])
    return found


def render(pdf: bytes, dpi: int) -> list:
    """The pages as a scanner at ``dpi`` gives them (greyscale, with the dpi in the image)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = []
    for i in range(len(doc)):
        page = doc[i]
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img.info["dpi"] = (dpi, dpi)
        images.append(img)
        page.close()
    doc.close()
    return images


def ocr_fixture(pdf: bytes, path: Path, dpi: int = 300) -> None:
    """rapidocr's lines of the scans at ``dpi``, kept (bench/ocr.py's format)."""
    from gongbao.core.readers.layout import pages_to_json
    from gongbao.core.readers.ocr import ocr_page

    pages = []
    for index, image in enumerate(render(pdf, dpi)):
        pages.append(ocr_page("rapidocr", image, index))
        print(f"\rOCR {path.name} {index + 1}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    data = json.dumps(pages_to_json(pages), ensure_ascii=False, separators=(",", ":"))
    path.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))


def make_issue(spec: IssueSpec, ocr: bool, scans: Path | None) -> None:
    docx, entries = make_docx(spec, {})
    pages = start_pages(to_pdf(docx), entries)
    docx, entries = make_docx(spec, pages)
    pdf = to_pdf(docx)
    if start_pages(pdf, entries) != pages:
        raise SystemExit(f"{spec.ident}: the pages moved when the 目录 got its numbers")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{spec.ident}.docx").write_bytes(docx)
    (OUT / f"{spec.ident}.pdf").write_bytes(pdf)
    truth = {
        "gazette": spec.gazette, "year": spec.year, "number": spec.number,
        "cumulative_number": spec.cumulative,
        "sections": list(dict.fromkeys(s for s, _ in spec.documents)),
        "documents": entries,
    }  # fmt: skip
    text = json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
    (OUT / f"{spec.ident}.truth.json").write_text(text, "utf-8")
    print(f"{spec.ident}: {len(entries)} documents, pages {pages}")
    if scans is not None:
        for dpi in (300, 200):
            folder = scans / f"{spec.ident}-{dpi}dpi"
            folder.mkdir(parents=True, exist_ok=True)
            for n, img in enumerate(render(pdf, dpi), 1):
                img.save(folder / f"p{n:03d}.png", dpi=(dpi, dpi))
    if ocr:
        ocr_fixture(pdf, OCR_OUT / f"{spec.ident}-300dpi.rapidocr.json.gz")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ocr", action="store_true", help="OCR the 300 dpi scans into the fixture")
    ap.add_argument("--scans", type=Path, help="also write the 300/200 dpi page images here")
    ap.add_argument("--only", help="one issue id")
    ap.add_argument("--ocr-only", action="store_true", help="OCR the committed PDFs only")
    ap.add_argument("--dpi", type=int, default=300, help="with --ocr-only: the scans' resolution")
    args = ap.parse_args()
    for spec in ISSUES:
        if args.only not in (None, spec.ident):
            continue
        if args.ocr_only:
            pdf = (OUT / f"{spec.ident}.pdf").read_bytes()
            ocr_fixture(pdf, OCR_OUT / f"{spec.ident}-{args.dpi}dpi.rapidocr.json.gz", args.dpi)
        else:
            make_issue(spec, args.ocr, args.scans)
    return 0


if __name__ == "__main__":
    sys.exit(main())
