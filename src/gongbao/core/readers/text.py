"""The text reader: Markdown or plain text (UTF-8, UTF-8 with BOM, GB18030/GBK).

Reads: bytes. Writes: a ``BlockStream`` of heading, paragraph and rule-free
blocks with source line numbers. Heading marks and horizontal rules are the
only markup removed here (recorded as repairs); everything else is left for the
repairs stage, so the reader stays a thin, predictable cut of the source.
"""

from __future__ import annotations

import re

from gongbao.core.model import Block, Line, Repair
from gongbao.core.readers import BlockStream, ReadError

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_BARE_HEADING_RE = re.compile(r"^(#{1,6})$")

_SIGNATURES = (
    (
        b"%PDF-",
        "这是 PDF 文件。文本读取器只读 Markdown 和纯文本；请先导出文本，或等待 PDF 导入功能。",
    ),
    (
        b"PK\x03\x04",
        "这是 Word（.docx）或其他压缩格式文件，不是纯文本；请另存为纯文本（UTF-8）后再导入。",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "这是旧版 Word（.doc）或 WPS 文件；请用 LibreOffice 转换：soffice --headless --convert-to txt 文件名。",
    ),
    (b"\x89PNG", "这是图片文件（PNG），不是文本；扫描件需要 OCR 导入。"),
    (b"\xff\xd8\xff", "这是图片文件（JPEG），不是文本；扫描件需要 OCR 导入。"),
)


def read_bytes(data: bytes, name: str = "") -> BlockStream:
    """Decode ``data`` and cut it into blocks. Raises ``ReadError`` for unreadable input."""
    text, encoding, warnings = decode(data, name)
    stream = split_blocks(text)
    stream.encoding = encoding
    stream.warnings.extend(warnings)
    return stream


def decode(data: bytes, name: str = "") -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings). Newlines become ``\\n``; a BOM is dropped."""
    label = f"{name}：" if name else ""
    for magic, message in _SIGNATURES:
        if data.startswith(magic):
            raise ReadError(label + message)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        warnings: list[str] = []
        text, encoding = _decode_utf16(data, label), "utf-16"
    else:
        if b"\x00" in data[:65536]:
            raise ReadError(label + "这是二进制文件，不是文本，无法解析。")
        text, encoding, warnings = _decode_8bit(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(label + "文件是空的，没有可解析的内容。")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\t\f")
    if controls > 0.01 * min(len(text), 65536):
        raise ReadError(label + "文件含大量控制字符，看起来是二进制文件，不是文本。")
    return text, encoding, warnings


def _decode_utf16(data: bytes, label: str) -> str:
    """UTF-16 after its BOM; a file with the mark but broken content is refused, not guessed."""
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ReadError(
            label + f"文件以 UTF-16 字节序标记开头，但第 {exc.start} 字节起不是有效的 UTF-16 文本，"
            "无法解码；请另存为 UTF-8 后再试。"
        ) from None


def _decode_8bit(data: bytes) -> tuple[str, str, list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        whole = "utf-8-sig"
    else:
        whole = "utf-8"
    try:
        return data.decode("utf-8"), whole, []
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any bytes, so a file pieced together from UTF-8 and
    # GBK sources is told apart line by line: UTF-8 where a line is valid UTF-8.
    out: list[str] = []
    utf8_lines = 0
    bad = 0
    for raw in data.split(b"\n"):
        line, enc = _decode_line(raw)
        out.append(line)
        utf8_lines += enc == "utf-8" and not raw.isascii()
        bad += enc == "replace"
    warnings = []
    encoding = "gb18030"
    if utf8_lines:
        encoding = "mixed"
        warnings.append("文件混用了多种编码（UTF-8 与 GB18030），已逐行识别。")
    if bad:
        warnings.append(f"有 {bad} 行无法识别编码，无法解码的字节已替换为 �。")
    return "\n".join(out), encoding, warnings


def _decode_line(raw: bytes) -> tuple[str, str]:
    """One line, as UTF-8 or GB18030.

    Valid UTF-8 with Chinese in it is UTF-8 (GBK bytes rarely form such
    sequences); valid UTF-8 without Chinese (``目 录`` in GBK reads as ``Ŀ ¼``)
    is GB18030 when that decodes.
    """
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    try:
        gb = raw.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if utf8 is not None and (gb is None or _cjk_count(utf8) > 0 or raw.isascii()):
        return utf8, "utf-8"
    if gb is not None:
        return gb, "gb18030"
    return raw.decode("gb18030", errors="replace"), "replace"


def _cjk_count(text: str) -> int:
    return sum("\u3000" <= ch <= "\u9fff" for ch in text)


def split_blocks(text: str) -> BlockStream:
    """Cut text into blocks: a Markdown heading line is one block, blank lines end a paragraph."""
    blocks: list[Block] = []
    repairs: list[Repair] = []
    group: list[Line] = []

    def flush() -> None:
        if group:
            blocks.append(Block("paragraph", list(group)))
            group.clear()

    for no, raw in enumerate(text.split("\n"), 1):
        s = raw.strip()
        if not s:
            flush()
            continue
        m = _HEADING_RE.match(s)
        if m and m.group(2):
            flush()
            marks = s[: len(m.group(1))]
            tail = s[m.end(2) :].strip()
            repairs.append(Repair("heading-mark", (no, no), removed=marks + tail))
            blocks.append(Block("heading", [Line(no, m.group(2).strip())], md_level=len(marks)))
        elif (_BARE_HEADING_RE.match(s) or _is_rule(s)) and not _in_pipe_table(s, group):
            flush()
            kind = "toc-dash-row" if "\t" in s else "rule"
            repairs.append(Repair(kind, (no, no), removed=s))
        else:
            group.append(Line(no, s))
    flush()
    return BlockStream(blocks=blocks, text=text, encoding="utf-8", repairs=repairs)


def _is_rule(s: str) -> bool:
    """A row of dashes (a Markdown rule, or a table separator left by a converter)."""
    return not s.strip("-=_*| \t:") and sum(ch in "-=_*" for ch in s) >= 3


def _in_pipe_table(s: str, group: list[Line]) -> bool:
    return s.startswith("|") and bool(group) and group[-1].text.startswith("|")
