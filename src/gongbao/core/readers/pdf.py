"""The PDF reader: characters with positions → printed lines → blocks in reading order.

Reads: PDF bytes (pypdfium2, Apache-2.0/BSD). Writes: the same ``BlockStream``
as the text reader. Each page's characters are grouped into printed lines
(bold where the PDF names its fonts so; cells where wide gaps or vertical rules
part them); thin paths are the ruled lines of tables. ``readers.layout`` cuts
the lines into blocks (running heads and folios removed, paragraphs, headings,
tables). Pages without a text layer are handed to OCR (``readers.ocr``), which
writes the same ``PageLines`` for the same layout rules.

The stream's ``text`` is what was extracted, one logical line per paragraph,
so text conservation is measured from here on. Each ``Line`` keeps the printed
page number it starts on (``Line.page``) for the TOC page check.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from typing import TYPE_CHECKING, Any

from gongbao.core.readers import BlockStream, ReadError
from gongbao.core.readers.layout import PageLines, PLine, assemble

if TYPE_CHECKING:
    from collections.abc import Sequence

_TEXT_MIN = 8  # fewer real characters than this on a page with images: a scanned page


def open_pdf(data: bytes, name: str = "") -> Any:
    """Open a PDF or raise ``ReadError`` saying what is wrong with it."""
    import pypdfium2 as pdfium

    label = f"{name}：" if name else ""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        # pdfium's last error can be stale: look at the file as well
        if b"/Encrypt" not in data and re.search(rb"/Count\s+0\b", data):
            raise ReadError(label + "PDF 没有任何页面，没有可解析的内容。") from None
        if "password" in text and b"/Encrypt" in data:
            raise ReadError(
                label + "PDF 已加密（需要密码），无法读取；请先用原密码解除加密后再导入。"
            ) from None
        raise ReadError(
            label + "PDF 文件已损坏或不完整，无法打开；请重新导出或重新下载。"
        ) from None
    if len(doc) == 0:
        doc.close()
        raise ReadError(label + "PDF 没有任何页面，没有可解析的内容。")
    return doc


def read_pdf(data: bytes, name: str = "", ocr: str | None = None) -> BlockStream:
    """Read a PDF; pages without a text layer are OCRed with ``ocr`` (engine name or default)."""
    doc = open_pdf(data, name)
    pages: list[PageLines] = []
    scanned: list[int] = []
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                across, down = ruled_lines(page)
                lines = _page_lines(page, down)
                if sum(len(ln.text) for ln in lines) < _TEXT_MIN and _has_image(page):
                    scanned.append(index)
                w, h = page.get_size()
                pages.append(PageLines(index, w, h, lines, rules=across))
            finally:
                page.close()
        if scanned:
            from gongbao.core.readers import ocr as ocr_mod

            engine = ocr_mod.get_engine(ocr, name)
            for index in scanned:
                image = ocr_mod.render_for_ocr(doc, index)
                pages[index] = ocr_mod.ocr_page(engine, image, index)
    finally:
        doc.close()
    stream = assemble(pages)
    if scanned:
        stream.encoding = "pdf+ocr"
        stream.warnings.append(f"{len(scanned)} 页没有文字层，已用 OCR 识别，请对照原件校对。")
    else:
        stream.encoding = "pdf"
    if not any(b.lines for b in stream.blocks):
        raise ReadError((f"{name}：" if name else "") + "PDF 中没有可提取的文字。")
    return stream


def _has_image(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


# one character: (ch, x0, x1, top, bottom, size, bold, space) — space 1 typed, 2 generated
_Char = tuple[str, float, float, float, float, float, bool, int]

_RULE_THIN = 2.0  # points: a path this thin and long is a ruled line (a table's border)
_RULE_LONG = 20.0


def ruled_lines(
    page: Any,
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Thin straight paths: horizontal (y, x0, x1) and vertical (x, y0, y1) rules, y down.

    A table's borders say where its rows and columns are: a cell whose text
    wraps over several printed lines stays between the same two rules.
    """
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    across, down = [], []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if top - bottom <= _RULE_THIN and right - left >= _RULE_LONG:
            across.append((height - (top + bottom) / 2, left, right))
        elif right - left <= _RULE_THIN and top - bottom >= _RULE_LONG / 2:
            down.append(((left + right) / 2, height - top, height - bottom))
    return sorted(across), sorted(down)


def _page_lines(page: Any, down: Sequence[tuple[float, float, float]] | None = None) -> list[PLine]:
    """The page's characters, grouped into printed lines, top to bottom.

    ``down``: vertical rules; a rule between two characters starts a new cell
    (two columns' text can run close together where a cell is full).
    """
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        height = page.get_height()
        n = pdfium_c.FPDFText_CountChars(raw)
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        loose = pdfium_c.FS_RECTF()
        chars = []
        fonts: dict[int, bool] = {}
        space = 0
        for i in range(n):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code in (10, 13):
                space = 0
                continue
            if code in (32, 0x3000, 0xA0):
                # pdfium writes a space where the gap is a word space, not justification;
                # one it generated may be a CJK/Latin autospace gap (see _make_line)
                space = 2 if pdfium_c.FPDFText_IsGenerated(raw, i) == 1 else 1
                continue
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1 or code in (0, 0xFFFE, 0xFFFF):
                continue
            ch = chr(code)
            pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            # the loose box (the font's ascent/descent) puts “ and 。 on their line
            x0, x1 = left.value, right.value
            if pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(loose)):
                y0, y1 = height - loose.top, height - loose.bottom
            else:
                y0, y1 = height - top.value, height - bottom.value
            chars.append(
                (
                    ch,
                    x0,
                    x1,
                    y0,
                    y1,
                    size,
                    _is_bold(raw, i, fonts),
                    space,
                )
            )
            space = 0
    finally:
        textpage.close()
    return _group_lines(chars, down or [])


def _is_bold(raw: Any, i: int, fonts: dict[int, bool]) -> bool:
    """Bold where the PDF says so: a font weight, or Bold/Heavy/黑体 in the font's name."""
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFText_GetFontWeight(raw, i) >= 600:
        return True
    obj = pdfium_c.FPDFText_GetTextObject(raw, i)
    if not obj:
        return False
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    key = ctypes.cast(font, ctypes.c_void_p).value or 0
    if key not in fonts:
        size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        name = ""
        if size > 1:
            buf = ctypes.create_string_buffer(size)
            pdfium_c.FPDFFont_GetBaseFontName(font, buf, size)
            name = buf.value.decode("latin-1", "replace").lower()
        weight = pdfium_c.FPDFFont_GetWeight(font)
        fonts[key] = weight >= 600 or any(
            k in name for k in ("bold", "heavy", "black", "hei", "xbs", "fzdbs", "semibold")
        )
    return fonts[key]


def _group_lines(
    chars: Sequence[_Char], down: Sequence[tuple[float, float, float]] = ()
) -> list[PLine]:
    visible = [c for c in chars if not c[0].isspace() and c[4] > c[3]]
    if not visible:
        return []
    visible.sort(key=lambda c: ((c[3] + c[4]) / 2, c[1]))
    rows: list[list[_Char]] = []
    for c in visible:
        mid = (c[3] + c[4]) / 2
        if rows:
            row = rows[-1]
            rmid = statistics.median((r[3] + r[4]) / 2 for r in row[-8:])
            rh = max(r[4] - r[3] for r in row[-8:])
            if abs(mid - rmid) < 0.45 * max(rh, c[4] - c[3]):
                row.append(c)
                continue
        rows.append([c])
    return [_make_line(sorted(row, key=lambda c: c[1]), down) for row in rows]


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def _autospace(prev: str, ch: str) -> bool:
    """A gap between CJK and Latin/digits that the typesetter made (Word's and
    LibreOffice's 中西文间距), not a space typed in the text: 1 号, 2009 年."""
    return (_cjk(prev) and ch.isascii() and ch.isalnum()) or (
        _cjk(ch) and prev.isascii() and prev.isalnum()
    )


def _ruled(prev: _Char, c: _Char, down: Sequence[tuple[float, float, float]]) -> bool:
    """A vertical rule between two characters of a line."""
    mid = (c[3] + c[4]) / 2
    return any(prev[2] - 0.5 <= x <= c[1] + 0.5 and y0 <= mid <= y1 for x, y0, y1 in down)


def _make_line(row: list[_Char], down: Sequence[tuple[float, float, float]] = ()) -> PLine:
    size = statistics.median(c[5] for c in row) or statistics.median(c[4] - c[3] for c in row)
    em = max(statistics.median(c[2] - c[1] for c in row), size * 0.5, 1.0)
    top = min(c[3] for c in row)
    bottom = max(c[4] for c in row)
    text = []
    cells: list[list[Any]] = [[row[0][1], row[0][2], row[0][0]]]
    prev = None
    bold = 0
    counting = True
    for c in row:
        if prev is not None:
            gap = c[1] - prev[2]
            if gap > 1.6 * em or (down and _ruled(prev, c, down)):
                cells.append([c[1], c[2], c[0]])
                text.append(" ")
            else:
                typed = c[7] == 1 or (c[7] == 2 and not _autospace(prev[0], c[0]))
                if typed and gap > 0.1 * em:
                    text.append(" ")
                    cells[-1][2] += " "
                cells[-1][1] = c[2]
                cells[-1][2] += c[0]
        text.append(c[0])
        if counting:
            if c[6]:
                bold += 1
            else:
                counting = False
        prev = c
    return PLine(
        "".join(text),
        row[0][1],
        max(c[2] for c in row),
        top,
        bottom,
        size,
        bold=bold,
        cells=[(a, b, t) for a, b, t in cells],
    )
