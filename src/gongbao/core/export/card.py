"""Share cards: a PNG with the gazette name, title, 文号, date and a QR code to the page.

The image is drawn with Pillow in a CJK font found on the machine (``fc-match``
for Noto Sans CJK SC, or a path given by the caller); the QR code is made with
segno and carries the document page's absolute URL. Both libraries are imported
when a card is drawn, so the rest of the core installs without them.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 900, 1200
MARGIN = 72
RED = (178, 34, 34)
INK = (34, 34, 34)
GREY = (102, 102, 102)
PAPER = (255, 255, 255)
#: Characters that may not begin a line (避头): pulled back onto the line before.
NO_LINE_START = set("，。、；：？！）》」』】”’…—·,.;:?!)")
FAMILY = "Noto Sans CJK SC"


class FontMissing(Exception):
    """No CJK font: the message tells the operator what to install or set (Chinese)."""


@dataclass(frozen=True)
class Font:
    path: Path
    index: int = 0


def find_font(path: str | Path | None = None, *, bold: bool = False) -> Font:
    """The CJK font to draw with: ``path`` when given, else Noto Sans CJK SC via fc-match."""
    if path:
        found = Path(path)
        if not found.is_file():
            raise FontMissing(f"找不到分享卡片字体文件：{found}（请检查 GONGBAO_CARD_FONT 设置）")
        return Font(found, 0)
    return _installed_font(bold)


@functools.cache
def _installed_font(bold: bool) -> Font:
    """fc-match's answer, asked once per process (a subprocess per card would be waste)."""
    if shutil.which("fc-match") is None:
        raise FontMissing(
            "找不到 fc-match，无法查找中文字体：请安装 fontconfig 与 fonts-noto-cjk，"
            "或用 GONGBAO_CARD_FONT 指定字体文件"
        )
    pattern = f"{FAMILY}:bold" if bold else FAMILY
    done = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}|%{family}", pattern],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    file, _, rest = done.stdout.partition("|")
    index, _, family = rest.partition("|")
    # fc-match always answers, with any font when the asked one is missing.
    if done.returncode != 0 or FAMILY not in family or not Path(file).is_file():
        raise FontMissing(
            "没有安装中文字体 Noto Sans CJK（Debian：apt install fonts-noto-cjk），"
            "或用 GONGBAO_CARD_FONT 指定字体文件"
        )
    return Font(Path(file), int(index or 0))


def qr_png(url: str, *, scale: int = 8, border: int = 4) -> bytes:
    """A QR code (error correction M) for ``url`` as PNG bytes."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def _wrap(text: str, font: Any, width: int, max_lines: int) -> list[str]:
    """Lines of at most ``width`` pixels; closing punctuation never starts a line."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and font.getlength(line + ch) > width and ch not in NO_LINE_START:
            lines.append(line)
            line = ""
        line += ch
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


def share_card(
    *,
    gazette: str,
    title: str,
    url: str,
    doc_number: str = "",
    date_text: str = "",
    font: Font | None = None,
    bold: Font | None = None,
) -> bytes:
    """The card as PNG bytes (900 × 1200): red band with the gazette, title, 文号, date, QR."""
    from PIL import Image, ImageDraw, ImageFont

    font = font or find_font()
    bold = bold or font

    def face(f: Font, size: int) -> Any:
        return ImageFont.truetype(str(f.path), size, index=f.index)

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    band = 180
    draw.rectangle((0, 0, WIDTH, band), fill=RED)
    head = face(bold, 56)
    for size in (56, 48, 40, 34):  # a long gazette name still fits on one line
        head = face(bold, size)
        if head.getlength(gazette) <= WIDTH - 2 * MARGIN:
            break
    draw.text((WIDTH / 2, band / 2), gazette, font=head, fill=PAPER, anchor="mm")

    y = band + 70
    title_face = face(bold, 50)
    for line in _wrap(title, title_face, WIDTH - 2 * MARGIN, 4):
        draw.text((MARGIN, y), line, font=title_face, fill=INK)
        y += 72
    y += 24
    small = face(font, 32)
    for text in (doc_number, date_text):
        if text:
            draw.text((MARGIN, y), text, font=small, fill=GREY)
            y += 50

    qr = Image.open(io.BytesIO(qr_png(url, scale=8))).convert("RGB")
    side = 320
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    top = HEIGHT - side - 130
    image.paste(qr, ((WIDTH - side) // 2, top))
    note = face(font, 28)
    draw.text((WIDTH / 2, top + side + 50), "扫码阅读全文", font=note, fill=GREY, anchor="mm")
    draw.line((MARGIN, top - 40, WIDTH - MARGIN, top - 40), fill=(220, 220, 220), width=2)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


__all__ = ["Font", "FontMissing", "find_font", "qr_png", "share_card"]
