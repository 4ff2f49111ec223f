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
from gongbao.core.readers.layout import PageLines, PLine, assemble
from gongbao.core.readers.ocr import available, skew_angle
from gongbao.core.readers.pdf import _page_lines
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


def _ocr_line(y: float, x: float, text: str, size: float, cells=None) -> PLine:
    """A line as an engine reports it: box height for size, confidence set."""
    width = 9.6 * sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in text)
    x1 = cells[-1][1] if cells else x + width
    return PLine(text, x, x1, y, y + size, size, cells=cells or [], conf=0.99)


def test_type_size_comes_from_the_character_pitch() -> None:
    from gongbao.core.readers.ocr import type_sizes

    lines = [
        _ocr_line(100, 80, "全面调查我县第二产业和第三产业的发展规模、布局和效益", 11.0),
        _ocr_line(
            120, 80, "构、产业技术、产业形态的现状以及各生产要素的构成，摸清", 8.2
        ),  # quote-free box
        _ocr_line(
            140, 80, "（一）严格依法普查。“两员”要按照规定的程序和方法", 12.7
        ),  # brackets reach higher
        _ocr_line(160, 80, "通知", 10.9),  # too short to measure: scaled, then set in the body size
    ]
    lines.append(PLine("二、普查对象和范围", 102, 102 + 9 * 13.4, 180, 195, 13.0, conf=0.99))
    type_sizes(lines)
    assert [ln.size for ln in lines[:4]] == [9.6] * 4
    assert lines[4].size == pytest.approx(13.4, abs=0.1)  # a heading stays larger


def test_doc_number_brackets_from_ocr_are_set_right_and_recorded() -> None:
    page = PageLines(0, 595, 842, [
        _ocr_line(200, 250, "冠政发【2018】64号", 9.6),
        _ocr_line(240, 100, "根据国发[2017〕53号文件精神，做好1一6月份普查。", 9.6),
    ])  # fmt: skip
    stream = assemble([page])
    assert stream.text.splitlines()[0] == "冠政发〔2018〕64号"
    assert "国发〔2017〕53号文件精神，做好1—6月份" in stream.text
    fixes = [r for r in stream.repairs if r.kind == "ocr-correction"]
    assert fixes[0].note == "冠政发【2018】64号 → 冠政发〔2018〕64号"
    assert len(fixes) == 2


def test_text_layer_brackets_are_left_alone() -> None:
    line = PLine("冠政发【2018】64号", 250, 350, 200, 212, 12)  # no confidence: a PDF's own text
    assert assemble([PageLines(0, 595, 842, [line])]).text == "冠政发【2018】64号"


def test_toc_rows_whose_leaders_the_engine_dropped() -> None:
    """Title and page number as two cells, single-digit pages lost: still a TOC."""
    rows = [
        _ocr_line(100, 250, "目录", 20),
        _ocr_line(130, 80, "领导讲话", 15),
        _ocr_line(150, 104, "崔新乐同志在全县领导干部会议上的讲话", 9.6),  # page 1 not read
        _ocr_line(170, 80, "县政府文件", 15),
        _ocr_line(190, 104, "关于开展第四次经济普查的通知", 9.6),
        _ocr_line(210, 104, "冠政发〔2018】64号.", 9.6),  # page 7 not read, one dot left
        _ocr_line(230, 104, "关于严查深挖打击重点行业领域黑恶势力的通知", 9.6),
        _ocr_line(250, 104, "冠政发〔2018】80号. 11", 9.6,
                  cells=[(104, 200, "冠政发〔2018】80号."), (510, 521, "11")]),
        _ocr_line(270, 80, "○其他", 15),
        _ocr_line(290, 104, "县政府常务会议召开 57", 9.6,
                  cells=[(104, 200, "县政府常务会议召开"), (510, 521, "57")]),
        _ocr_line(310, 104, "崔新乐到县政务服务大厅现场办公 58", 9.6,
                  cells=[(104, 250, "崔新乐到县政务服务大厅现场办公"), (510, 521, "58")]),
    ]  # fmt: skip
    result = parse_stream(assemble([PageLines(0, 595, 842, rows)]))
    toc = [(e.section, e.title, e.doc_number, e.page) for e in result.issue.toc]
    assert toc == [
        ("领导讲话", "崔新乐同志在全县领导干部会议上的讲话", None, None),
        ("县政府文件", "关于开展第四次经济普查的通知", "冠政发〔2018〕64号", None),
        ("县政府文件", "关于严查深挖打击重点行业领域黑恶势力的通知", "冠政发〔2018〕80号", 11),
        ("其他", "县政府常务会议召开", None, 57),
        ("其他", "崔新乐到县政务服务大厅现场办公", None, 58),
    ]


@pytest.mark.parametrize(
    ("kept", "max_cer"), [("300dpi", 0.015), ("degraded", 0.04)], ids=["300dpi", "degraded"]
)
def test_whole_scanned_issue_parses_like_the_pdf(kept: str, max_cer: float) -> None:
    """The 63 pages as rapidocr read them (bench/ocr.py --issue [--degraded] --save)."""
    import gzip
    import json

    from gongbao.core.conservation import account
    from gongbao.core.readers.layout import pages_from_json
    from tests.ocr_issue import compare

    path = Path(__file__).parent / "data" / "ocr" / f"guanxian-2018-03-{kept}.rapidocr.json.gz"
    pages = pages_from_json(json.loads(gzip.decompress(path.read_bytes())))
    report = compare(pages)
    assert report.found == 18
    assert report.correct["doc_number"] == 18 and report.correct["date"] == 18, report.wrong
    assert report.cer <= max_cer
    assert account(report.stream.text, report.result).ok
    corrected = [r.note for r in report.stream.repairs if r.kind == "ocr-correction"]
    assert any(note.endswith("→ 冠政发〔2018〕64号") for note in corrected)
