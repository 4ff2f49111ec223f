"""OCR: scanned pages (images, or PDF pages without a text layer) → the same block stream.

Reads: page images (PNG, JPEG, TIFF, also multi-page TIFF) or pages of a PDF
rendered at 300 dpi. Each page is brought to 200–400 dpi (600 dpi scans are
halved), deskewed (projection profile, ±3°), and read by an offline engine:

- ``tesseract`` — Debian's tesseract-ocr with the chi_sim language data, run as
  a subprocess (TSV output: word boxes and confidences);
- ``rapidocr`` — rapidocr-onnxruntime, whose wheel carries its models.

Nothing downloads a model at run time. The engine's lines become ``PLine``s in
points, and ``readers.layout.assemble`` cuts them into blocks exactly as for a
PDF with a text layer; ruled lines found in the image (a table's borders) go
with the page, so a ruled table is read as in a PDF. Each ``Line`` keeps the
engine's confidence (``Line.conf``); lines below ``LOW_CONFIDENCE`` are recorded (a zero-width
``ocr-low-confidence`` repair) and listed in the proofreading report.

``GONGBAO_OCR`` (``tesseract`` / ``rapidocr``) overrides the default, which
``bench/ocr.py`` chose (see ``docs/readers.md``).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import statistics
import subprocess
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

from gongbao.core import config
from gongbao.core.readers import BlockStream, ReadError
from gongbao.core.readers.layout import PageLines, PLine, assemble

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PIL import Image

DEFAULT_ENGINE = "rapidocr"
ENGINES = ("rapidocr", "tesseract")
LOW_CONFIDENCE = 0.80
TARGET_DPI = 300
_INSTALL = (
    "扫描件需要 OCR，但没有可用的 OCR 引擎：请安装 tesseract（apt-get install tesseract-ocr "
    "tesseract-ocr-chi-sim）或 rapidocr（pip install 'gongbao[ocr]'）。"
)


def available() -> list[str]:
    """The OCR engines installed here, best first."""
    found = []
    for engine in ENGINES:
        if (engine == "tesseract" and _tesseract_ok()) or (engine == "rapidocr" and _rapidocr_ok()):
            found.append(engine)
    return found


@cache
def _tesseract_ok() -> bool:
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "chi_sim" in out.stdout.split()


@cache
def _rapidocr_ok() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:
        return False
    return True


def get_engine(name: str | None = None, filename: str = "") -> str:
    """The engine to use: ``name``, else $GONGBAO_OCR, else the default; ReadError if none."""
    label = f"{filename}：" if filename else ""
    wanted = name or config.ocr_engine()
    if wanted == "none":
        raise ReadError(label + _INSTALL)
    have = available()
    if wanted:
        if wanted not in ENGINES:
            raise ReadError(label + f"未知的 OCR 引擎：{wanted}（可选：{'、'.join(ENGINES)}）")
        if wanted not in have:
            raise ReadError(label + f"OCR 引擎 {wanted} 未安装。" + _INSTALL)
        return wanted
    if not have:
        raise ReadError(label + _INSTALL)
    return DEFAULT_ENGINE if DEFAULT_ENGINE in have else have[0]


# ---------------------------------------------------------------- images


def render_for_ocr(pdf: Any, index: int, dpi: int = TARGET_DPI) -> Image.Image:
    page = pdf[index]
    try:
        image: Image.Image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    image.info["dpi"] = (dpi, dpi)
    return image


def image_dpi(image: Image.Image) -> float:
    """The scan's resolution: from the file, else guessed from an A4 page's width."""
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and 50 <= float(dpi[0]) <= 1200 and float(dpi[0]) != 72:
        return float(dpi[0])
    return max(image.size[0] / 8.27, 100.0)  # A4 portrait is 8.27 in wide


def normalise(image: Image.Image) -> tuple[Image.Image, float, float]:
    """Greyscale, 200–400 dpi, deskewed; returns (image, dpi, angle)."""
    from PIL import Image

    img = image.convert("L")
    dpi = image_dpi(image)
    if dpi > 400 or dpi < 150:
        scale = TARGET_DPI / dpi
        img = img.resize(
            (round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS
        )
        dpi = TARGET_DPI
    angle = skew_angle(img)
    if abs(angle) >= 0.15:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return img, dpi, angle


def skew_angle(img: Image.Image, limit: float = 3.0, step: float = 0.1) -> float:
    """The rotation that makes text lines horizontal (maximises the row-profile variance)."""
    import numpy as np
    from PIL import Image

    small = img.copy()
    small.thumbnail((900, 900))
    ink = np.asarray(small.point(lambda v: 255 if v < 160 else 0), dtype=np.uint8)
    if ink.mean() < 0.5:
        return 0.0
    base = Image.fromarray(ink)
    best, best_score = 0.0, -1.0
    coarse = [a / 2 for a in range(int(-limit * 2), int(limit * 2) + 1)]

    def score(a: float) -> float:
        rows = np.asarray(base.rotate(a, resample=Image.Resampling.BILINEAR), dtype=np.float32).sum(
            axis=1
        )
        return float(np.var(np.diff(rows)))

    for a in coarse:
        s = score(a)
        if s > best_score:
            best, best_score = a, s
    fine = best
    for k in range(-5, 6):
        a = fine + k * step
        s = score(a)
        if s > best_score:
            best, best_score = a, s
    return round(best, 2)


def ocr_page(engine: str, image: Image.Image, index: int) -> PageLines:
    """OCR one page image into printed lines (in points, like a PDF page)."""
    img, dpi, _ = normalise(image)
    k = 72.0 / dpi
    down = vertical_rules(img)
    lines = _tesseract(img) if engine == "tesseract" else _rapidocr(img, down)
    pts = [
        PLine(
            ln.text,
            ln.x0 * k,
            ln.x1 * k,
            ln.top * k,
            ln.bottom * k,
            ln.size * k,
            cells=[(a * k, b * k, t) for a, b, t in ln.cells],
            conf=ln.conf,
        )
        for ln in lines
        if ln.text.strip()
    ]
    type_sizes(pts)
    rules = [(y * k, x0 * k, x1 * k) for y, x0, x1 in horizontal_rules(img)]
    return PageLines(index, img.width * k, img.height * k, pts, rules=rules)


def vertical_rules(img: Image.Image, share: float = 0.07) -> list[tuple[float, float, float]]:
    """Ruled lines down the page (a table's column borders), as (x, y0, y1) in pixels."""
    from PIL import Image

    turned = horizontal_rules(img.transpose(Image.Transpose.TRANSPOSE), share)
    return [(y, x0, x1) for y, x0, x1 in turned]


def horizontal_rules(img: Image.Image, share: float = 0.25) -> list[tuple[float, float, float]]:
    """Ruled lines across the page (a table's borders), as (y, x0, x1) in pixels.

    A rule is one unbroken run of ink over ``share`` of the page width, a pixel
    row or a few thick; a line of text, however dense, breaks between characters.
    """
    import numpy as np

    ink = np.asarray(img, dtype=np.uint8) < 128
    longest = max(1, int(share * ink.shape[1]))
    found: list[tuple[float, float, float]] = []
    for y in np.flatnonzero(ink.sum(axis=1) >= longest):
        row = np.concatenate(([0], ink[y].view(np.int8), [0]))
        edges = np.flatnonzero(np.diff(row))
        starts, ends = edges[::2], edges[1::2]
        k = int(np.argmax(ends - starts))
        if ends[k] - starts[k] < longest:
            continue
        if found and y - found[-1][0] <= 3:  # the same rule, a pixel row further down
            continue
        found.append((float(y), float(starts[k]), float(ends[k])))
    return found


# A TOC row whose dotted leader the engine dropped: its width says nothing of the type size.
_TOC_ROW_RE = re.compile(r"(?:[.…·．。]+|\s{2,})\s*\d{1,3}$")
# Lines within this share of the page's body size are set in it: long lines are
# measured to a few per cent, short ones (a wrapped 通知, 同志们：) far less well.
SAME_SIZE, SAME_SIZE_SHORT, SHORT_UNITS = 0.06, 0.15, 8


JUSTIFIED = 1.2  # a line of body type spread to the measure, at most this much


def _narrow(text: str) -> bool:
    """Digits and Latin are a third of the line: its width says little of its size
    (their widths vary from font to font: 2016年12月6日)."""
    chars = [ch for ch in text if ch != " "]
    narrow = sum(unicodedata.east_asian_width(ch) not in "WF" for ch in chars)
    return 3 * narrow >= len(chars)


def _units(text: str) -> float:
    """A line's width in ems: CJK characters and full-width forms 1, the rest half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text if ch != " ")


def type_sizes(lines: list[PLine]) -> None:
    """Replace the engines' box heights by type sizes measured from the character pitch.

    Box heights swing by 20 % from line to line (brackets and quotes reach
    higher than plain characters), which the layout rules would read as
    headings. Chinese type is set on a square em, so a line's width divided by
    its characters gives the size to a few per cent. Lines too short to measure,
    and TOC rows, keep their height scaled by this page's pitch/height ratio;
    then every line close to the page's body size is set exactly to it.
    """
    ratios: list[float] = []
    pitch: list[float | None] = []
    units = [_units(ln.text) for ln in lines]
    for ln, n in zip(lines, units, strict=True):
        if (
            n >= 4
            and not _TOC_ROW_RE.search(ln.text)
            and len(ln.cells) <= 1
            and not _narrow(ln.text)
        ):
            pitch.append((ln.x1 - ln.x0) / n)
            last = pitch[-1]
            assert last is not None  # appended just above
            ratios.append(last / ln.size)
        else:
            pitch.append(None)
    if not ratios:
        return
    scale = statistics.median(ratios)
    for ln, size in zip(lines, pitch, strict=True):
        ln.size = round(size if size is not None else ln.size * scale, 2)
    weighted = sorted((ln.size, len(ln.text)) for ln in lines)
    half, seen = sum(n for _, n in weighted) / 2, 0
    body = weighted[-1][0]
    for size, n in weighted:
        seen += n
        if seen >= half:
            body = size
            break
    right = max(ln.x1 for ln in lines)
    for ln, n in zip(lines, units, strict=True):
        near = SAME_SIZE if n >= SHORT_UNITS else SAME_SIZE_SHORT
        # a justified line is spread to the measure: its pitch is only ever too large
        full = ln.x1 >= right - 0.5 * body and body <= ln.size <= JUSTIFIED * body
        if abs(ln.size - body) <= near * body or full:
            ln.size = body


def _join(
    words: list[tuple[float, float, str]], em: float, cuts: Sequence[float] = ()
) -> tuple[str, list[tuple[float, float, str]]]:
    """Words of one line → text (spaces only between Latin words) and cells, cut at
    wide gaps and at ``cuts`` (a table's column rules: two full cells run close)."""
    words.sort()
    text = ""
    cells: list[list[Any]] = []
    prev = None
    for x0, x1, t in words:
        ruled = prev is not None and any(prev - 2 <= x <= x0 + 2 for x in cuts)
        if prev is not None and (x0 - prev > 1.6 * em or ruled):
            cells.append([x0, x1, t])
            text += " " + t
        elif prev is not None:
            space = (
                text[-1:].isascii() and text[-1:].isalnum() and t[:1].isascii() and t[:1].isalnum()
            )
            text += (" " if space else "") + t
            cells[-1][1] = x1
            cells[-1][2] += (" " if space else "") + t
        else:
            text = t
            cells.append([x0, x1, t])
        prev = x1
    return text, [tuple(c) for c in cells]


def _tesseract(img: Image.Image) -> list[PLine]:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    try:
        out = subprocess.run(
            [
                "tesseract",
                "stdin",
                "stdout",
                "-l",
                "chi_sim",
                "--psm",
                "4",
                "-c",
                "preserve_interword_spaces=1",
                "tsv",
            ],
            input=buf.getvalue(),
            capture_output=True,
            timeout=600,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReadError(f"tesseract 运行失败：{exc}") from None
    rows: dict[tuple[int, int, int], list[tuple[int, int, int, int, float, str]]] = {}
    reader = csv.reader(io.StringIO(out.stdout.decode("utf-8", "replace")), delimiter="\t",
                        quoting=csv.QUOTE_NONE)  # fmt: skip
    next(reader, None)
    for r in reader:
        if len(r) < 12 or r[0] != "5" or not r[11].strip():
            continue
        key = (int(r[2]), int(r[3]), int(r[4]))
        left, top, w, h, conf = int(r[6]), int(r[7]), int(r[8]), int(r[9]), float(r[10])
        rows.setdefault(key, []).append((left, top, w, h, conf, r[11].strip()))
    lines = []
    for words in rows.values():
        heights = [w[3] for w in words if len(w[5]) == 1 and not w[5].isascii()] or [
            w[3] for w in words
        ]
        em = statistics.median(heights)
        text, cells = _join([(w[0], w[0] + w[2], w[5]) for w in words], em)
        conf = statistics.mean(max(w[4], 0) for w in words) / 100
        lines.append(
            PLine(
                text,
                min(w[0] for w in words),
                max(w[0] + w[2] for w in words),
                min(w[1] for w in words),
                max(w[1] + w[3] for w in words),
                em,
                cells=cells,
                conf=round(conf, 3),
            )
        )
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


@cache
def _rapid() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    # No text-direction classifier: it takes ordinary lines of a gazette page for
    # upside-down ones often enough to drop whole lines (page CER 7-11 % with it,
    # 0.3-0.6 % without, bench/ocr.py). Pages are deskewed before they get here.
    return RapidOCR(use_cls=False)


def _rapidocr(img: Image.Image, down: Sequence[tuple[float, float, float]] = ()) -> list[PLine]:
    import numpy as np

    result, _ = _rapid()(np.asarray(img.convert("RGB")))
    boxes: list[tuple[float, float, float, float, str, float]] = []
    for box, text, score in result or []:
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        boxes.append((min(xs), max(xs), min(ys), max(ys), text.strip(), float(score)))
    boxes.sort(key=lambda b: (b[2] + b[3]) / 2)
    rows: list[list[tuple[float, float, float, float, str, float]]] = []
    for b in boxes:
        mid = (b[2] + b[3]) / 2
        if rows:
            last = rows[-1]
            lmid = statistics.median((x[2] + x[3]) / 2 for x in last)
            lh = statistics.median(x[3] - x[2] for x in last)
            if abs(mid - lmid) < 0.5 * min(lh, b[3] - b[2]):
                last.append(b)
                continue
        rows.append([b])
    lines = []
    for row in rows:
        em = statistics.median(b[3] - b[2] for b in row) * 0.8
        mid = statistics.median((b[2] + b[3]) / 2 for b in row)
        cuts = [x for x, y0, y1 in down if y0 <= mid <= y1]
        text, cells = _join([(b[0], b[1], b[4]) for b in row if b[4]], em, cuts)
        if not text:
            continue
        lines.append(
            PLine(
                text,
                min(b[0] for b in row),
                max(b[1] for b in row),
                min(b[2] for b in row),
                max(b[3] for b in row),
                em,
                cells=cells,
                conf=round(min(b[5] for b in row), 3),
            )
        )
    return lines


def read_image(data: bytes, name: str = "", engine: str | None = None) -> BlockStream:
    """OCR an image file (PNG/JPEG/TIFF; every frame of a multi-page TIFF)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    label = f"{name}：" if name else ""
    try:
        image = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ReadError(label + "图片文件已损坏或格式无法识别。") from None
    for f in frames:
        f.info.setdefault("dpi", image.info.get("dpi"))
    used = get_engine(engine, name)
    pages = [ocr_page(used, frame, n) for n, frame in enumerate(frames)]
    stream = assemble(pages)
    stream.encoding = f"ocr:{used}"
    stream.warnings.append("扫描件经 OCR 识别，请对照原件校对。")
    if not stream.blocks:
        raise ReadError(label + "图片中没有识别出文字。")
    return stream
