"""OCR of scanned pages: a page of the real issue rendered at 200/300 dpi, skewed, noisy.

OCR is slow on a small machine, so only two page reads run here; ``bench/ocr.py``
measures the engines on the whole test set.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gongbao.core.parse import parse_stream
from gongbao.core.readers import read_path
from gongbao.core.readers.ocr import available, skew_angle
from gongbao.core.readers.pdf import PageLines, PLine, _page_lines, assemble
from tests.test_readers_pdf import cer

SOURCES = Path(__file__).parent / "data" / "sources"
SCANS = SOURCES / "scans"
needs_ocr = pytest.mark.skipif(not available(), reason="no OCR engine installed")


def _truth() -> str:
    """The text layer of the page the committed scans show (physical page 9, printed 7)."""
    doc = pdfium.PdfDocument(str(SOURCES / "guanxian-2018-03.pdf"))
    try:
        lines = _page_lines(doc[8])
    finally:
        doc.close()
    return "".join("".join(ln.text for ln in lines[1:-1]).split())  # without head and folio


def _text(stream) -> str:
    return "".join("".join(b.text for b in stream.blocks).split())


@needs_ocr
def test_image_only_pdf_is_read_by_ocr() -> None:
    """A scanner's PDF (200 dpi page images, no text layer) with the default engine."""
    stream = read_path(SCANS / "p009-imageonly.pdf")
    assert stream.encoding == "pdf+ocr" and any("OCR" in w for w in stream.warnings)
    text = _text(stream)
    assert "关于开展第四次经济普查的通知" in text
    assert cer(text, _truth()) <= 0.03
    assert all(ln.conf is not None for b in stream.blocks for ln in b.lines)
    assert any(r.kind == "page-number" and r.note == "第1页" for r in stream.repairs)  # — 7 —
    result = parse_stream(stream)
    assert result.documents and "第四次经济普查" in result.documents[0].title


@pytest.mark.skipif("tesseract" not in available(), reason="tesseract chi_sim not installed")
def test_tesseract_reads_a_200_dpi_scan() -> None:
    from gongbao.core.readers.ocr import read_image

    stream = read_image((SCANS / "p009-200.png").read_bytes(), "p009-200.png", engine="tesseract")
    assert stream.encoding == "ocr:tesseract"
    assert cer(_text(stream), _truth()) <= 0.08  # tesseract is the weaker engine here


def test_deskew_finds_the_angle() -> None:
    from PIL import Image

    image = Image.open(SCANS / "p009-200.png").convert("L")
    for angle in (1.5, -1.2):
        tilted = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
        assert abs(skew_angle(tilted) + angle) <= 0.3


def test_low_confidence_lines_reach_the_report() -> None:
    def line(y: float, x: float, text: str, conf: float) -> PLine:
        return PLine(text, x, x + 12 * len(text), y, y + 12, 12, conf=conf)

    page = PageLines(0, 595, 842, [
        line(200, 200, "冠县人民政府公报", 0.99),
        line(240, 220, "2018年第3期", 0.97),
        line(300, 150, "县政府常务会议召开", 0.95),
        line(330, 104, "8月1日，县政府召开常务会议，研究部署近期重点工作和安全生产。", 0.55),
        line(350, 80, "会议要求各部门抓好落实。", 0.95),
    ])  # fmt: skip
    stream = assemble([page])
    low = [ln for b in stream.blocks for ln in b.lines if ln.conf is not None and ln.conf < 0.8]
    assert [ln.text[:2] for ln in low] == ["8月"]
    findings = [f for f in parse_stream(stream).findings if f.code == "ocr-low-confidence"]
    assert len(findings) == 1 and "0.55" in findings[0].message
    assert findings[0].lines == (low[0].no, low[0].no)


def test_no_engine_message(monkeypatch) -> None:
    from gongbao.core.readers import ReadError

    monkeypatch.setenv("GONGBAO_OCR", "none")
    with pytest.raises(ReadError, match="apt-get install tesseract-ocr"):
        read_path(SCANS / "p009-200.png")
