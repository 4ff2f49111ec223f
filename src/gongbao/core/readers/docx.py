"""The Word reader: .docx paragraphs, numbering, tables and notes → a block stream.

Reads: the bytes of a .docx (a zip of WordprocessingML; read with lxml, no
Word needed). Writes: the same ``BlockStream`` as the text reader:

- a paragraph styled Title / Heading N (or with an outline level) is a
  ``heading`` block with ``md_level`` N; other paragraphs are ``paragraph``
  blocks, a manual line break (``w:br``) starting a new ``Line``;
- offices format by hand: a short paragraph set larger than the body text, or
  bold all through, is a heading too (``md_level`` from its size, as the PDF
  reader does), whatever its style says;
- automatic numbering is resolved to the label Word prints (一、 (一) 1.
  第一章 …: ``numFmt`` + ``lvlText``, counters per list and level, restarts);
- bold runs at the start of a paragraph are kept as ``bold_prefix``;
- tables become ``table`` blocks with their cells;
- footnotes and endnotes follow the paragraph that cites them, as paragraphs;
- page headers and footers (冠县人民政府公报, — 7 —) are dropped, each recorded
  as a repair, so text conservation still closes.

Legacy .doc and .wps are binary formats: ``convert_legacy`` converts them with
LibreOffice when ``soffice`` is installed, or says how to.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from gongbao.core.model import Block, Line, Repair
from gongbao.core.numerals import int_to_cn
from gongbao.core.readers import BlockStream, ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def read_docx(data: bytes, name: str = "") -> BlockStream:
    from lxml import etree

    label = f"{name}：" if name else ""
    try:
        z = zipfile.ZipFile(BytesIO(data))
        names = set(z.namelist())
    except zipfile.BadZipFile:
        raise ReadError(label + "Word（.docx）文件已损坏，无法打开；请重新保存后再导入。") from None
    if "word/document.xml" not in names:
        raise ReadError(
            label + "这是一个 ZIP 压缩包，但不是 Word（.docx）文件（缺少 word/document.xml）。"
        )

    def xml(part: str) -> Any:
        if part not in names:
            return None
        try:
            return etree.fromstring(z.read(part), etree.XMLParser(resolve_entities=False))
        except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, OSError):
            raise ReadError(label + f"Word 文件的 {part} 已损坏，无法解析。") from None

    reader = _Reader(xml("word/styles.xml"), xml("word/numbering.xml"))
    for part in ("word/footnotes.xml", "word/endnotes.xml"):
        root = xml(part)
        if root is not None:
            for note in root:
                nid = note.get(W + "id")
                text = "".join(
                    "".join(_run_text(r) for r in p.iter(W + "r")) for p in note.iter(W + "p")
                ).strip()
                if nid is not None and text:
                    reader.notes[nid] = text
    for part in sorted(n for n in names if re.match(r"word/(header|footer)\d*\.xml$", n)):
        root = xml(part)
        kind = "docx-header" if "header" in part else "docx-footer"
        for p in root.iter(W + "p"):
            text = "".join(_run_text(r) for r in p.iter(W + "r")).strip()
            if text:
                reader.furniture(kind, text)
    body = xml("word/document.xml").find(W + "body")
    if body is None:
        raise ReadError(label + "Word 文件没有正文。")
    for child in body:
        if child.tag == W + "p":
            reader.paragraph(child)
        elif child.tag == W + "tbl":
            reader.table(child)
        elif child.tag == W + "sdt":  # content controls (a Word TOC) hold paragraphs
            for p in child.iter(W + "p"):
                reader.paragraph(p)
    if not reader.blocks:
        raise ReadError(label + "Word 文件是空的，没有可解析的内容。")
    reader.direct_headings()
    return BlockStream(
        blocks=reader.blocks,
        text="\n".join(reader.lines),
        encoding="docx",
        repairs=reader.repairs,
    )


def _run_text(run: Any) -> str:
    out = []
    for el in run:
        if el.tag == W + "t":
            out.append(el.text or "")
        elif el.tag == W + "tab":
            out.append("\t")
        elif el.tag in (W + "br", W + "cr"):
            if el.get(W + "type") != "page":
                out.append("\n")
        elif el.tag == W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _size(run: Any, style_size: float | None) -> float | None:
    """The run's type size in points (w:sz is in half-points)."""
    rpr = run.find(W + "rPr")
    sz = rpr.find(W + "sz") if rpr is not None else None
    if sz is not None and (sz.get(W + "val") or "").isdigit():
        return int(sz.get(W + "val")) / 2
    return style_size


def _is_bold(run: Any, style_bold: bool) -> bool:
    rpr = run.find(W + "rPr")
    if rpr is not None:
        b = rpr.find(W + "b")
        if b is not None:
            return b.get(W + "val") not in ("0", "false")
    return style_bold


class _Reader:
    def __init__(self, styles: Any, numbering: Any) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.repairs: list[Repair] = []
        self.notes: dict[str, str] = {}
        self.styles: dict[str, dict[str, Any]] = {}
        self.counters: dict[str, list[int]] = {}
        self.nums: dict[str, tuple[str | None, dict[int, int]]] = {}
        self.abstract: dict[str, dict[int, dict[str, Any]]] = {}
        # paragraph blocks with their direct formatting: (block, size, all bold, centred)
        self.formatted: list[tuple[Block, float | None, bool, bool]] = []
        if styles is not None:
            for st in styles.iter(W + "style"):
                sid = st.get(W + "styleId")
                name_el = st.find(W + "name")
                ppr = st.find(W + "pPr")
                rpr = st.find(W + "rPr")
                num = ppr.find(W + "numPr") if ppr is not None else None
                outline = ppr.find(W + "outlineLvl") if ppr is not None else None
                based = st.find(W + "basedOn")
                self.styles[sid] = {
                    "name": name_el.get(W + "val") if name_el is not None else sid,
                    "num": _num_pr(num),
                    "outline": int(outline.get(W + "val")) if outline is not None else None,
                    "bold": rpr is not None
                    and rpr.find(W + "b") is not None
                    and rpr.find(W + "b").get(W + "val") not in ("0", "false"),
                    "based": based.get(W + "val") if based is not None else None,
                    "size": _size(st, None),
                }
        if numbering is not None:
            for a in numbering.iter(W + "abstractNum"):
                levels = {}
                for lvl in a.iter(W + "lvl"):
                    levels[int(lvl.get(W + "ilvl"))] = {
                        "start": int(_val(lvl, "start") or 1),
                        "fmt": _val(lvl, "numFmt") or "decimal",
                        "text": _val(lvl, "lvlText") or "",
                    }
                self.abstract[a.get(W + "abstractNumId")] = levels
            for n in numbering.iter(W + "num"):
                starts = {}
                for over in n.iter(W + "lvlOverride"):
                    so = over.find(W + "startOverride")
                    if so is not None:
                        starts[int(over.get(W + "ilvl"))] = int(so.get(W + "val"))
                self.nums[n.get(W + "numId")] = (_val(n, "abstractNumId"), starts)

    # -- output
    def _emit(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def _gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def furniture(self, kind: str, text: str) -> None:
        self._gap()
        no = self._emit(text)
        self.repairs.append(Repair(kind, (no, no), removed=text, note="页眉页脚"))

    # -- paragraphs
    def _style(self, sid: str | None) -> dict[str, Any]:
        seen = 0
        st = self.styles.get(sid or "", {})
        merged = dict(st)
        while st.get("based") and seen < 10:
            st = self.styles.get(st["based"], {})
            for k, v in st.items():
                if merged.get(k) in (None, False) and v not in (None, False):
                    merged[k] = v
            seen += 1
        return merged

    def paragraph(self, p: Any) -> None:
        ppr = p.find(W + "pPr")
        sid = None
        if ppr is not None and ppr.find(W + "pStyle") is not None:
            sid = ppr.find(W + "pStyle").get(W + "val")
        style = self._style(sid)
        level = _level(style, ppr)
        runs = [r for r in p.iter(W + "r")]
        text_parts, bold_chars, counting, notes = [], 0, True, []
        sizes: dict[float | None, int] = {}
        all_bold = True
        for r in runs:
            piece = _run_text(r)
            if piece.strip():
                size = _size(r, style.get("size"))
                sizes[size] = sizes.get(size, 0) + len(piece.strip())
                all_bold = all_bold and _is_bold(r, style.get("bold", False))
            for ref in r.iter(W + "footnoteReference", W + "endnoteReference"):
                notes.append(ref.get(W + "id"))
            if not piece:
                continue
            if counting and piece.strip():
                if _is_bold(r, style.get("bold", False)):
                    bold_chars += len(piece)
                else:
                    counting = False
            elif counting:
                bold_chars += len(piece)
            text_parts.append(piece)
        text = "".join(text_parts)
        label = self._label(ppr, style)
        if label:
            text = label + text
            bold_chars = bold_chars + len(label) if bold_chars else 0
        pieces = [t.strip() for t in text.split("\n")]
        pieces = [t for t in pieces if t]
        if pieces:
            self._gap()
            lines = [Line(self._emit(t), t) for t in pieces]
            if level:
                joined = " ".join(t for t in pieces)
                lines = [Line(lines[0].no, joined)]
                self.lines[lines[0].no - 1] = joined
                del self.lines[lines[0].no :]
                self.blocks.append(Block("heading", lines, md_level=level))
            else:
                block = Block("paragraph", lines)
                flat = text.strip()
                if 0 < bold_chars < len(flat) and "\n" not in flat[:bold_chars]:
                    block.bold_prefix = flat[:bold_chars]
                self.blocks.append(block)
                jc = ppr.find(W + "jc") if ppr is not None else None
                centred = jc is not None and jc.get(W + "val") == "center"
                size = max(sizes, key=lambda k: sizes[k]) if sizes else None
                self.formatted.append((block, size, all_bold and bool(sizes), centred))
        for nid in notes:
            note = self.notes.get(nid or "")
            if note:
                self._gap()
                self.blocks.append(Block("paragraph", [Line(self._emit(note), note)]))

    def direct_headings(self) -> None:
        """Headings made by direct formatting: larger type than the body, or bold all through.

        The levels follow the PDF reader's (size over the body size), so a Word
        file and its PDF give the same blocks.
        """
        chars: dict[float, int] = {}
        for block, size, _, _ in self.formatted:
            if size is not None:
                chars[size] = chars.get(size, 0) + len(block.text)
        if not chars:
            return
        body = max(chars, key=lambda k: chars[k])
        for block, size, bold, centred in self.formatted:
            text = block.text.strip()
            if len(block.lines) != 1 or len(text) > 60 or text.endswith(("。", "；")):
                continue
            ratio = (size or body) / body
            level = 1 if ratio >= 1.45 else 2 if ratio >= 1.18 else 3 if ratio >= 1.07 else 0
            if not level and bold and (centred or len(text) <= 40):
                level = 4
            if level:
                block.kind, block.md_level, block.bold_prefix = "heading", level, None

    def _label(self, ppr: Any, style: dict[str, Any]) -> str:
        num = _num_pr(ppr.find(W + "numPr")) if ppr is not None else None
        num = num or style.get("num")
        if not num:
            return ""
        num_id, ilvl = num
        if num_id not in self.nums or num_id == "0":
            return ""
        abstract, starts = self.nums[num_id]
        levels = self.abstract.get(abstract or "", {})
        if ilvl not in levels:
            return ""
        key = f"{abstract}"  # Word counts per abstract list unless a num restarts it
        counts = self.counters.setdefault(key + "#" + num_id, [])
        if not counts:
            counts.extend(starts.get(i, levels.get(i, {}).get("start", 1)) - 1 for i in range(9))
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = starts.get(deeper, levels.get(deeper, {}).get("start", 1)) - 1
        spec = levels[ilvl]
        if spec["fmt"] == "bullet" or spec["fmt"] == "none":
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            fmt = levels.get(k, spec)["fmt"]
            return format_number(counts[k], fmt)

        return re.sub(r"%(\d)", sub, spec["text"])

    def table(self, tbl: Any) -> None:
        rows = []
        for tr in tbl.iter(W + "tr"):
            cells = []
            for tc in tr.iter(W + "tc"):
                cells.append(
                    " ".join(
                        "".join(_run_text(r) for r in p.iter(W + "r")).strip()
                        for p in tc.iter(W + "p")
                    ).strip()
                )
            rows.append(cells)
        if not any(any(c for c in r) for r in rows):
            return
        self._gap()
        lines = [Line(self._emit("\t".join(r)), "\t".join(r)) for r in rows]
        self.blocks.append(Block("table", lines, rows=rows))


def _val(el: Any, tag: str) -> str | None:
    found = el.find(W + tag)
    return found.get(W + "val") if found is not None else None


def _num_pr(num: Any) -> tuple[str, int] | None:
    if num is None:
        return None
    nid = _val(num, "numId")
    return (nid, int(_val(num, "ilvl") or 0)) if nid else None


def _level(style: dict[str, Any], ppr: Any) -> int:
    name = (style.get("name") or "").strip()
    if name.lower() == "title" or name == "标题":
        return 1
    m = _HEADING_RE.match(name)
    if m:
        return int(m.group(1))
    outline = None
    if ppr is not None and ppr.find(W + "outlineLvl") is not None:
        outline = int(ppr.find(W + "outlineLvl").get(W + "val"))
    outline = outline if outline is not None else style.get("outline")
    return outline + 1 if outline is not None and outline < 9 else 0


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TRAD = "〇壹贰叁肆伍陆柒捌玖"


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word prints it for ``w:numFmt``."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):  # fmt: skip
        text = int_to_cn(n)
        if fmt == "chineseLegalSimplified":
            text = "".join(
                _TRAD["〇一二三四五六七八九".index(c)] if c in "〇一二三四五六七八九" else c
                for c in text
            )
        return text
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


LEGACY_HELP = (
    "这是旧版 Word（.doc）或 WPS（.wps）文件，请先转换为 .docx："
    "soffice --headless --convert-to docx --outdir 输出文件夹 文件名"
    "（装有 LibreOffice 时导入会自动转换）。"
)


def convert_legacy(data: bytes, name: str = "") -> bytes:
    """Convert .doc/.wps bytes to .docx with LibreOffice, or raise ``ReadError`` saying how."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    label = f"{name}：" if name else ""
    if soffice is None:
        raise ReadError(label + LEGACY_HELP)
    suffix = Path(name).suffix or ".doc"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"source{suffix}"
        src.write_bytes(data)
        try:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (subprocess.SubprocessError, OSError):
            raise ReadError(label + "LibreOffice 转换失败。" + LEGACY_HELP) from None
        out = Path(tmp) / "source.docx"
        if not out.is_file():
            raise ReadError(label + "LibreOffice 没有生成 .docx。" + LEGACY_HELP)
        return out.read_bytes()
