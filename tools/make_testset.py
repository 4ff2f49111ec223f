"""Make the PDF / Word / scan test set from the real issue (冠县人民政府公报 2018年第3期).

    .venv/bin/python tools/make_testset.py                 # the small, committed set
    .venv/bin/python tools/make_testset.py --full OUT/     # + every page scanned (benchmarks)

The Markdown in ``../shared/corpus`` is what a PDF converter left of the issue.
Its repaired block stream is typeset again the way the printer did it: A4,
running header 冠县人民政府公报, page numbers — 7 —, a TOC with dotted leaders
whose page numbers are where each document really starts (each document of the
县政府文件 sections opens a page; the news items of ○其他 start mid-page),
Noto CJK fonts. We do our own line breaking and pagination (so the page of
every line is known) and let headless Chromium draw the pages into a PDF.
The DOCX carries the same blocks as Word paragraphs, with styles, automatic
numbering for the 一、二、 headings, a table, header and footer. Scans are the
PDF pages rendered with pypdfium2 at 300 and 200 dpi; the degraded set adds
1–2° skew, blur and JPEG noise with Pillow.
"""

from __future__ import annotations

import argparse
import html
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongbao.core import parse_file  # noqa: E402
from gongbao.core.model import Block  # noqa: E402
from gongbao.core.parse.frame import parse_frame  # noqa: E402
from gongbao.core.patterns import is_date_line, is_doc_number_line, is_organ_line  # noqa: E402
from gongbao.core.readers import read_path  # noqa: E402
from gongbao.core.repairs import repair  # noqa: E402

SOURCE = ROOT.parent / "shared" / "corpus" / "guanxian-2018-03.md"
OUT = ROOT / "tests" / "data" / "sources"
FONTS = Path("/usr/share/fonts/opentype/noto")
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
CHROMIUM = "/usr/bin/chromium"

PT_PER_MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * PT_PER_MM, 297 * PT_PER_MM
LEFT, RIGHT, TOP, BOTTOM = 28 * PT_PER_MM, 26 * PT_PER_MM, 37 * PT_PER_MM, 35 * PT_PER_MM
WIDTH = PAGE_W - LEFT - RIGHT
HEIGHT = PAGE_H - TOP - BOTTOM
CLOSING = "，。、；：？！）》”’〕】」』,.;:?!)%"
OPENING = "（《“‘〔【「『("


# ---------------------------------------------------------------- measuring


@cache
def _font(bold: bool, sans: bool):
    from PIL import ImageFont

    name = ("NotoSansCJK-" if sans else "NotoSerifCJK-") + ("Bold" if bold else "Regular")
    return ImageFont.truetype(str(FONTS / f"{name}.ttc"), 100, index=2)


@cache
def _advance(ch: str, bold: bool, sans: bool) -> float:
    return _font(bold, sans).getlength(ch) / 100


def width(text: str, size: float, bold: bool = False, sans: bool = False) -> float:
    return sum(_advance(ch, bold, sans) for ch in text) * size


def wrap(text: str, size: float, first: float, rest: float, **style) -> list[str]:
    """Break ``text`` into lines of at most ``first`` then ``rest`` points (with 禁则)."""
    lines: list[str] = []
    cur, used, limit = "", 0.0, first
    for ch in text:
        w = width(ch, size, **style)
        if cur and used + w > limit + 0.01:
            if (
                ch in CLOSING or cur[-1] in OPENING
            ):  # no closing mark at a line start: carry one character over
                ch, cur = cur[-1] + ch, cur[:-1]
                w = width(ch, size, **style)
            lines.append(cur)
            cur, used, limit = "", 0.0, rest
        cur += ch
        used += w
    if cur or not lines:
        lines.append(cur)
    return lines


# ---------------------------------------------------------------- layout


@dataclass
class Run:
    text: str
    bold: bool = False
    sans: bool = False
    color: str = ""


@dataclass
class PLine:
    runs: list[Run]
    size: float
    x: float
    w: float
    align: str = "left"  # left | justify | center | right
    gap_before: float = 0.0
    keep_next: bool = False
    rule: bool = False  # a table row: draw borders
    cells: list[tuple[float, float, str]] | None = None  # (x, w, text) for table rows

    @property
    def height(self) -> float:
        return self.size * 1.75


@dataclass
class Page:
    lines: list[tuple[float, PLine]] = field(default_factory=list)  # (top, line)
    printed: int | None = None
    header: bool = True
    cover: bool = False


def _paragraph(text: str, size: float, bold_prefix: str | None = None) -> list[PLine]:
    indent = 2 * size
    if is_date_line(text) or (is_organ_line(text) and len(text) <= 20):
        w = width(text, size)
        return [PLine([Run(text)], size, LEFT + WIDTH - w - 4 * size, w + 1)]
    if is_doc_number_line(text):
        return [PLine([Run(text)], size, LEFT, WIDTH, "center")]
    if text.endswith(("：", ":")) and len(text) < 80 and "，" in text and not bold_prefix:
        indent = 0.0  # 主送机关 顶格
    parts = wrap(text, size, WIDTH - indent, WIDTH)
    out = []
    done = 0
    for n, part in enumerate(parts):
        runs = [Run(part)]
        if bold_prefix and done < len(bold_prefix):
            k = min(len(part), len(bold_prefix) - done)
            runs = [Run(part[:k], bold=True, sans=True), Run(part[k:])]
        done += len(part)
        x = LEFT + (indent if n == 0 else 0)
        last = n == len(parts) - 1
        out.append(PLine(runs, size, x, LEFT + WIDTH - x, "left" if last else "justify"))
    return out


def _heading(text: str, level: int, size: float, title: bool) -> list[PLine]:
    sizes = {1: 1.6, 2: 1.3, 3: 1.12}
    hs = round(size * sizes.get(level, 1.0), 2)
    sans = level >= 2 and not title
    if title:
        parts = wrap(text, hs, WIDTH - 4 * hs, WIDTH - 4 * hs, bold=True)
        out = [PLine([Run(p, bold=True)], hs, LEFT, WIDTH, "center") for p in parts]
        out[0].gap_before = size * 1.2
    else:
        indent = 2 * size
        parts = wrap(text, hs, WIDTH - indent, WIDTH, bold=True, sans=sans)
        out = [
            PLine(
                [Run(p, bold=True, sans=sans)],
                hs,
                LEFT + (indent if n == 0 else 0),
                WIDTH - (indent if n == 0 else 0),
                "left" if n == len(parts) - 1 else "justify",
            )
            for n, p in enumerate(parts)
        ]
    for line in out:
        line.keep_next = True
    return out


def _table(rows: list[list[str]], size: float) -> list[PLine]:
    ncol = max(len(r) for r in rows)
    rows = [r + [""] * (ncol - len(r)) for r in rows]
    ts = size
    while ts > 6:
        need = [max(width(r[c], ts) for r in rows) + ts for c in range(ncol)]
        if sum(need) <= WIDTH:
            break
        ts -= 0.25
    spare = (WIDTH - sum(need)) / ncol
    xs, x = [], LEFT
    for c in range(ncol):
        xs.append((x, need[c] + spare))
        x += need[c] + spare
    out = []
    for row in rows:
        cells = [(xs[c][0], xs[c][1], row[c]) for c in range(ncol)]
        out.append(PLine([Run(" ".join(row))], ts, LEFT, WIDTH, rule=True, cells=cells))
    out[0].gap_before = size * 0.5
    return out


def block_lines(block: Block, size: float, title: bool) -> list[PLine]:
    if block.kind == "table" and block.rows:
        return _table(block.rows, size)
    if block.kind == "heading":
        return _heading(" ".join(ln.text for ln in block.lines), block.md_level, size, title)
    out: list[PLine] = []
    for n, ln in enumerate(block.lines):
        out += _paragraph(ln.text, size, block.bold_prefix if n == 0 else None)
    return out


def paginate(items: list[tuple[int | None, list[PLine]]], pages: list[Page], first_printed: int):
    """Place items (document start page or None, lines) after ``pages``; return where each starts."""
    starts: list[int] = []
    page: Page | None = None
    y = 0.0

    def new_page() -> Page:
        nonlocal y
        p = Page(printed=first_printed + sum(1 for q in pages if q.printed is not None))
        pages.append(p)
        y = 0.0
        return p

    for start_page, lines in items:
        if start_page is not None and (page is None or pages[-1].printed < start_page):
            page = new_page()
            while page.printed < start_page:
                page = new_page()
        if page is None:
            page = new_page()
        starts.append(page.printed)
        for k, line in enumerate(lines):
            need = line.height + (line.gap_before if y else 0)
            if line.keep_next and k + 1 < len(lines):
                need += lines[k + 1].height
            if y + need > HEIGHT:
                page = new_page()
                if k == 0:
                    starts[-1] = page.printed
            y += line.gap_before if y else 0
            page.lines.append((y, line))
            y += line.height
    return starts


@dataclass
class Layout:
    pages: list[Page]
    toc: list  # TocEntry
    body_sizes: dict[int, float]


def load_issue():
    stream = read_path(SOURCE)
    log: list = []
    blocks = repair(stream.blocks, log)
    issue, body_at = parse_frame(blocks, log)
    parsed = parse_file(SOURCE)
    return issue, blocks[body_at:], parsed


def layout(toc_shift: dict[int, int] | None = None) -> Layout:
    """Typeset the issue. ``toc_shift`` {seq: n} prints a wrong TOC page (for tests)."""
    issue, body, parsed = load_issue()
    starts = {}
    for doc in parsed.documents:
        first = doc.lines[0]
        idx = next(i for i, b in enumerate(body) if b.last_line >= first)
        starts[idx] = doc
    docs = parsed.documents
    # groups: each 文件 its own; the news items (○其他) flow together.
    groups: list[list[int]] = []
    for n, doc in enumerate(docs):
        if groups and doc.section == "其他" and docs[groups[-1][0]].section == "其他":
            groups[-1].append(n)
        else:
            groups.append([n])
    order = sorted(starts)
    spans = []  # (doc index, first block, end block)
    for k, idx in enumerate(order):
        end = order[k + 1] if k + 1 < len(order) else len(body)
        spans.append((k, idx, end))

    pages: list[Page] = [Page(header=False, cover=True), Page(header=False)]
    sizes: dict[int, float] = {}
    for gi, group in enumerate(groups):
        limit = docs[groups[gi + 1][0]].page if gi + 1 < len(groups) else docs[group[0]].page + 8
        for size in [x / 4 for x in range(48, 31, -1)]:  # 12pt down to 8pt
            trial: list[Page] = []
            items = []
            for n in group:
                _, a, b = spans[n]
                lines: list[PLine] = []
                for j in range(a, b):
                    lines += block_lines(body[j], size, title=j < a + _title_blocks(body, a))
                items.append((docs[n].page, lines))
            got = paginate(items, trial, docs[group[0]].page)
            if got == [docs[n].page for n in group] and trial[-1].printed < limit:
                break
        for p in trial:
            pages.append(p)
        for n in group:
            sizes[n + 1] = size
    _front(pages, issue, toc_shift or {})
    return Layout(pages, issue.toc, sizes)


def _title_blocks(body: list[Block], a: int) -> int:
    n = 0
    while a + n < len(body) and body[a + n].kind == "heading" and body[a + n].md_level <= 2:
        n += 1
        if body[a + n - 1].md_level == 2:
            break
    return max(n, 1) if body[a].kind == "heading" else 0


def _front(pages: list[Page], issue, shift: dict[int, int]) -> None:
    cover, toc = pages[0], pages[1]
    red = "#c8161d"
    name = PLine([Run(issue.gazette, bold=True, color=red)], 40, LEFT, WIDTH, "center")
    latin = PLine([Run(issue.gazette_latin, color=red)], 11, LEFT, WIDTH, "center")
    no = f"{issue.year}年 第{issue.number}期（总第{issue.cumulative_number}期）"
    cover.lines = [
        (120, name),
        (200, latin),
        (260, PLine([Run(no)], 15, LEFT, WIDTH, "center")),
    ]
    size = 12.0
    y = 0.0
    toc.lines.append((y, PLine([Run("目 录", bold=True, sans=True)], 20, LEFT, WIDTH, "center")))
    y += 50
    section = None
    for n, entry in enumerate(issue.toc, 1):
        if entry.section != section:
            section = entry.section
            toc.lines.append(
                (y, PLine([Run("○" + section, bold=True, sans=True)], 12.5, LEFT, WIDTH))
            )
            y += 12.5 * 1.6
        page = str(entry.page + shift.get(n, 0))
        last = entry.doc_number or entry.title
        heads = wrap(entry.title, size, WIDTH - 2 * size - 3 * size, WIDTH - 3 * size)
        if entry.doc_number is None:
            heads, last = heads[:-1], heads[-1]
        for h in heads:
            toc.lines.append((y, PLine([Run(h)], size, LEFT + 2 * size, WIDTH - 2 * size)))
            y += size * 1.5
        pw = width(page, size)
        room = WIDTH - 2 * size - width(last, size) - pw - 0.5 * size
        dots = "." * max(4, int(room / width(".", size)))
        toc.lines.append((y, PLine([Run(last + dots)], size, LEFT + 2 * size, WIDTH)))
        toc.lines.append((y, PLine([Run(page)], size, LEFT + WIDTH - pw - 1, pw + 1)))
        y += size * 1.5
    y += 20
    toc.lines.append((y, PLine([Run(issue.slogan, bold=True)], 13, LEFT, WIDTH, "center")))


# ---------------------------------------------------------------- drawing


def _style(line: PLine, top: float) -> str:
    return (
        f"left:{line.x:.2f}pt;top:{TOP + top:.2f}pt;width:{line.w:.2f}pt;"
        f"font-size:{line.size}pt;line-height:{line.height:.2f}pt;text-align:{line.align};"
        + ("text-align-last:justify;" if line.align == "justify" else "")
    )


def _run(run: Run) -> str:
    style = []
    if run.bold:
        style.append("font-weight:bold")
    if run.sans:
        style.append(f"font-family:'{SANS}'")
    if run.color:
        style.append(f"color:{run.color}")
    text = html.escape(run.text)
    return f'<span style="{";".join(style)}">{text}</span>' if style else text


def to_html(pages: list[Page], page_style: str = "— {n} —") -> str:
    out = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>",
        "@page{size:A4;margin:0}body{margin:0}",
        f".p{{position:relative;width:210mm;height:297mm;overflow:hidden;break-after:page;"
        f"font-family:'{SERIF}';color:#111}}",
        ".l{position:absolute;white-space:nowrap}",
        f".h{{position:absolute;left:{LEFT}pt;width:{WIDTH}pt;top:{TOP - 30}pt;font-size:10.5pt;"
        f"text-align:center;border-bottom:1.2pt solid #c8161d;padding-bottom:3pt;color:#c8161d}}",
        f".f{{position:absolute;left:{LEFT}pt;width:{WIDTH}pt;top:{PAGE_H - BOTTOM + 18}pt;"
        "font-size:11pt;text-align:center}",
        ".c{position:absolute;border:0.6pt solid #333;box-sizing:border-box;padding:0 2pt;"
        "white-space:nowrap;overflow:hidden}",
        "</style></head><body>",
    ]
    for page in pages:
        out.append("<div class='p'>")
        if page.header and page.printed is not None:
            out.append("<div class='h'>冠县人民政府公报</div>")
            out.append(f"<div class='f'>{html.escape(page_style.format(n=page.printed))}</div>")
        for top, line in page.lines:
            if line.cells is not None:
                for x, w, text in line.cells:
                    out.append(
                        f"<div class='c' style='left:{x:.2f}pt;top:{TOP + top:.2f}pt;"
                        f"width:{w:.2f}pt;height:{line.height:.2f}pt;font-size:{line.size}pt;"
                        f"line-height:{line.height:.2f}pt'>{html.escape(text)}</div>"
                    )
                continue
            runs = "".join(_run(r) for r in line.runs)
            out.append(f"<div class='l' style='{_style(line, top)}'>{runs}</div>")
        out.append("</div>")
    out.append("</body></html>")
    return "".join(out)


def print_pdf(markup: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "issue.html"
        src.write_text(markup, "utf-8")
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={target}",
                src.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )


def make_pdf(target: Path, toc_shift: dict[int, int] | None = None) -> Layout:
    lay = layout(toc_shift)
    target.parent.mkdir(parents=True, exist_ok=True)
    print_pdf(to_html(lay.pages), target)
    return lay


def make_long_pdf(target: Path, pages: int) -> None:
    """A long issue (bad-input test): ten distinct pages, repeated to ``pages`` pages."""
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "ten.pdf"
        sheet = []
        for n in range(10):
            p = Page(printed=n + 1)
            y = 0.0
            for k in range(10):
                text = (
                    f"第{n + 1}页第{k + 1}段：为了测试长篇公报的读取，这一段文字会被重复排印许多次，"
                    "每一段都占两行以上，段首缩进两个字。"
                )
                for line in _paragraph(text, 12):
                    p.lines.append((y, line))
                    y += line.height
            sheet.append(p)
        print_pdf(to_html(sheet), base)
        src = pdfium.PdfDocument(str(base))
        out = pdfium.PdfDocument.new()
        while len(out) < pages:
            out.import_pages(src, list(range(min(10, pages - len(out)))))
        out.save(str(target))
        out.close()
        src.close()


# ---------------------------------------------------------------- Word


def make_docx(target: Path) -> None:
    """The same blocks as a Word file: styles, automatic 一、 numbering, table, header, footer."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_LEADER
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    issue, body, parsed = load_issue()
    d = Docx()
    normal = d.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), SERIF)
    section = d.sections[0]
    section.header.paragraphs[0].text = "冠县人民政府公报"
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _page_field(footer, OxmlElement, qn)
    footer.add_run(" —")

    d.add_paragraph(issue.gazette, style="Title")
    d.add_paragraph(issue.gazette_latin)
    d.add_paragraph(f"{issue.year}年 第{issue.number}期（总第{issue.cumulative_number}期）")
    d.add_paragraph("目 录", style="Heading 2")
    section_name = None
    for entry in issue.toc:
        if entry.section != section_name:
            section_name = entry.section
            d.add_paragraph("○" + section_name, style="Heading 3")
        rows = [entry.title, entry.doc_number] if entry.doc_number else [entry.title]
        for k, text in enumerate(rows):
            p = d.add_paragraph()
            if k == len(rows) - 1:
                p.paragraph_format.tab_stops.add_tab_stop(Pt(440), leader=WD_TAB_LEADER.DOTS)
                text = f"{text}\t{entry.page}"
            p.add_run(text)
    d.add_paragraph(issue.slogan)

    numbering = _Numbering(d, OxmlElement, qn)
    starts = {}
    for doc in parsed.documents:
        idx = next(i for i, b in enumerate(body) if b.last_line >= doc.lines[0])
        starts[idx] = doc
    num_id = None
    expect = 1
    for i, block in enumerate(body):
        if i in starts:
            if starts[i].section != "其他" or i == min(
                k for k, v in starts.items() if v.section == "其他"
            ):
                d.add_page_break()
            num_id, expect = numbering.restart(), 1
        if block.kind == "table" and block.rows:
            ncol = max(len(r) for r in block.rows)
            t = d.add_table(rows=len(block.rows), cols=ncol)
            t.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
            continue
        if block.kind == "heading":
            text = " ".join(ln.text for ln in block.lines)
            level = min(block.md_level, 4)
            m = re.match(r"^([一二三四五六七八九十]+)、", text)
            from gongbao.core.numerals import cn_to_int

            if level == 2 and m and cn_to_int(m.group(1)) == expect and num_id is not None:
                p = d.add_paragraph(text[m.end() :], style="Heading 2")
                numbering.apply(p, num_id)
                expect += 1
            else:
                p = d.add_paragraph(text, style=f"Heading {level}" if level > 1 else "Title")
            continue
        for n, ln in enumerate(block.lines):
            p = d.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(24)
            prefix = block.bold_prefix if n == 0 else None
            if prefix and ln.text.startswith(prefix):
                p.add_run(prefix).bold = True
                p.add_run(ln.text[len(prefix) :])
            else:
                p.add_run(ln.text)
            if is_date_line(ln.text) or is_organ_line(ln.text):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    target.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(target))


def _page_field(paragraph, OxmlElement, qn) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)


class _Numbering:
    """One abstract list (一、二、…, Word's chineseCounting), restarted for each document."""

    def __init__(self, d, OxmlElement, qn) -> None:
        self.E, self.qn = OxmlElement, qn
        self.part = d.part.numbering_part.element
        self.abstract = 90
        a = self._el("w:abstractNum", {"w:abstractNumId": str(self.abstract)})
        lvl = self._el("w:lvl", {"w:ilvl": "0"})
        for tag, val in (
            ("w:start", "1"),
            ("w:numFmt", "chineseCounting"),
            ("w:lvlText", "%1、"),
            ("w:lvlJc", "left"),
        ):
            lvl.append(self._el(tag, {"w:val": val}))
        a.append(lvl)
        self.part.insert(0, a)
        self.next_id = 90

    def _el(self, tag: str, attrs: dict[str, str]):
        el = self.E(tag)
        for k, v in attrs.items():
            el.set(self.qn(k), v)
        return el

    def restart(self) -> int:
        self.next_id += 1
        num = self._el("w:num", {"w:numId": str(self.next_id)})
        num.append(self._el("w:abstractNumId", {"w:val": str(self.abstract)}))
        over = self._el("w:lvlOverride", {"w:ilvl": "0"})
        over.append(self._el("w:startOverride", {"w:val": "1"}))
        num.append(over)
        self.part.append(num)
        return self.next_id

    def apply(self, paragraph, num_id: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        num = self.E("w:numPr")
        num.append(self._el("w:ilvl", {"w:val": "0"}))
        num.append(self._el("w:numId", {"w:val": str(num_id)}))
        ppr.append(num)


# ---------------------------------------------------------------- scans


def render_page(pdf: Path, index: int, dpi: int):
    """One page as a greyscale Pillow image, as a scanner would give it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[index]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        page.close()
    finally:
        doc.close()
    image.info["dpi"] = (dpi, dpi)
    return image


def degrade(image, seed: int = 0):
    """1–2° skew, blur, paper noise and a low-quality JPEG round trip."""
    from PIL import Image, ImageChops, ImageFilter

    rnd = random.Random(seed)
    angle = rnd.choice((-1, 1)) * rnd.uniform(1.0, 2.0)
    img = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.9))
    img = ImageChops.add(img, Image.effect_noise(img.size, 12), 1.0, -128)
    pixels = img.load()
    w, h = img.size
    for _ in range(w * h // 400):  # specks
        x, y = rnd.randrange(w), rnd.randrange(h)
        pixels[x, y] = rnd.choice((0, 90, 200))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=35, dpi=image.info.get("dpi", (300, 300)))
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    out.info["dpi"] = image.info.get("dpi", (300, 300))
    out.info["skew"] = angle
    return out


def image_pdf(images, target: Path, dpi: int) -> None:
    """A PDF of page images only (no text layer), as a scanner writes it."""
    first, *rest = [im.convert("L") for im in images]
    first.save(str(target), "PDF", save_all=True, append_images=rest, resolution=dpi)


def scan_set(pdf: Path, out: Path, pages: list[int], dpis=(300, 200), degraded=True) -> list[Path]:
    made = []
    out.mkdir(parents=True, exist_ok=True)
    for index in pages:
        for dpi in dpis:
            img = render_page(pdf, index, dpi)
            path = out / f"p{index + 1:03d}-{dpi}.png"
            img.save(path, dpi=(dpi, dpi), optimize=True)
            made.append(path)
            if degraded and dpi == 300:
                bad = degrade(img, seed=index)
                path = out / f"p{index + 1:03d}-degraded.jpg"
                bad.save(path, "JPEG", quality=35, dpi=(dpi, dpi))
                made.append(path)
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", type=Path, help="also scan every page into this folder")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not SOURCE.is_file():
        print(f"missing {SOURCE}", file=sys.stderr)
        return 1
    out: Path = args.out
    pdf = out / "guanxian-2018-03.pdf"
    lay = make_pdf(pdf)
    print(f"{pdf}: {len(lay.pages)} pages; body sizes {sorted(set(lay.body_sizes.values()))}")
    make_docx(out / "guanxian-2018-03.docx")
    # committed scans: the first page of 冠政发〔2018〕64号 (cover + TOC are pages 1–2)
    index = next(i for i, p in enumerate(lay.pages) if p.printed == 7)
    scans = scan_set(pdf, out / "scans", [index])
    image_pdf([render_page(pdf, index, 200)], out / "scans" / "p009-imageonly.pdf", 200)
    print("\n".join(str(p) for p in scans))
    if args.full:
        full = args.full
        shutil.rmtree(full, ignore_errors=True)
        scan_set(pdf, full, list(range(len(lay.pages))))
        print(f"{full}: all {len(lay.pages)} pages at 300/200 dpi + degraded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
