"""The PDF reader on the typeset real issue (tests/data/sources, made by tools/make_testset.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongbao.core import parse_file
from gongbao.core.conservation import account
from gongbao.core.model import ParseResult
from gongbao.core.parse import parse_stream
from gongbao.core.readers import ReadError, read_path
from gongbao.core.readers.layout import page_number
from gongbao.core.readers.pdf import read_pdf
from tests.conftest import shared_path
from tests.truth import assert_matches

SOURCES = Path(__file__).parent / "data" / "sources"
PDF = SOURCES / "guanxian-2018-03.pdf"


def body_text(result: ParseResult) -> str:
    """Every character the documents keep (head, body, tail, attachments), no whitespace."""
    from gongbao.core.conservation import _document

    return "".join("".join(t.split()) for d in result.documents for t in _document(d))


def cer(got: str, want: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(got, want) / max(len(want), 1)


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(shared_path("corpus", "guanxian-2018-03.expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def markdown() -> ParseResult:
    return parse_file(shared_path("corpus", "guanxian-2018-03.md"))


@pytest.fixture(scope="module")
def stream():
    return read_path(PDF)


@pytest.fixture(scope="module")
def result(stream) -> ParseResult:
    return parse_stream(stream, source=PDF.name)


def test_same_documents_and_metadata_as_markdown(result: ParseResult, expected: dict) -> None:
    assert result.issue.gazette == "冠县人民政府公报"
    assert (result.issue.year, result.issue.number, result.issue.cumulative_number) == (2018, 3, 27)
    assert [d.title for d in result.documents] == [d["title"] for d in expected["documents"]]
    for doc, want in zip(result.documents, expected["documents"], strict=True):
        assert_matches(doc, want)


def test_body_text_within_half_a_percent(result: ParseResult, markdown: ParseResult) -> None:
    assert cer(body_text(result), body_text(markdown)) <= 0.005


def test_text_conservation_from_the_reader_on(stream, result: ParseResult) -> None:
    balance = account(stream.text, result)
    assert balance.ok, (balance.missing.most_common(5), balance.extra.most_common(5))


def test_running_heads_and_folios_removed_and_recorded(stream) -> None:
    kinds = {r.kind for r in stream.repairs}
    assert {"running-header", "page-number"} <= kinds
    heads = [r for r in stream.repairs if r.kind == "running-header"]
    assert len(heads) >= 55 and all(r.removed == "冠县人民政府公报" for r in heads)
    assert not any("— 7 —" in b.text for b in stream.blocks)
    assert sum(b.text == "冠县人民政府公报" for b in stream.blocks) == 1  # the cover only


def test_blocks_keep_printed_page_numbers(result: ParseResult) -> None:
    starts = {int(r.note): r.lines[0] for r in result.repairs if r.kind == "page-start"}
    assert sorted(starts) == list(range(1, 62))
    for doc in result.documents[:9]:  # each 文件 opens its page
        assert doc.page is not None and starts[doc.page] <= doc.lines[0] < starts[doc.page + 1]
    assert not [f for f in result.findings if f.code == "toc-page"]


def test_paragraph_rejoined_across_a_page_break() -> None:
    import pypdfium2 as pdfium

    from gongbao.core.readers.pdf import _page_lines

    stream = read_path(PDF)
    doc = pdfium.PdfDocument(str(PDF))
    joined = 0
    try:
        for index in range(3, 20):
            last = _page_lines(doc[index])[-2]  # the line above the folio
            first = _page_lines(doc[index + 1])[1]  # the line under the running head
            if last.x1 > 480 and first.x0 < 90:  # a full line, then an unindented one
                assert any(last.text + first.text in b.text for b in stream.blocks)
                joined += 1
    finally:
        doc.close()
    assert joined >= 3


def test_table_and_headings(stream) -> None:
    tables = [b for b in stream.blocks if b.kind == "table"]
    assert 1 <= len(tables) <= 2  # a table that runs over a page break is cut there
    assert tables[0].rows[0] == ["指标", "2017年", "2018年", "2020年", "2022年"]
    assert ["(二) 创新发展类", "", "", "", ""] in [r for t in tables for r in t.rows]
    titles = [b.text for b in stream.blocks if b.kind == "heading" and b.md_level <= 2]
    assert "关于开展第四次经济普查的通知" in "".join(titles)


@pytest.mark.parametrize(
    ("text", "number"),
    [("— 7 —", 7), ("·12·", 12), ("第7页", 7), ("- 3 -", 3), ("第 9 页 共 60 页", 9), ("12", 12)],
)
def test_folio_styles(text: str, number: int) -> None:
    assert page_number(text) == number


def test_folio_is_not_a_sentence() -> None:
    assert page_number("第7页的表格") is None and page_number("2018年") is None


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="chromium missing")
def test_toc_page_check_reports_a_wrong_page(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
    shared_path("corpus", "guanxian-2018-03.md")
    from make_testset import make_pdf

    target = tmp_path / "shifted.pdf"
    make_pdf(target, toc_shift={3: 2})  # the TOC says 13 where 冠政发〔2018〕80号 starts on 11
    result = parse_stream(read_path(target))
    found = [f for f in result.findings if f.code == "toc-page"]
    assert [f.document for f in found] == [3]
    assert "目录印第13页" in found[0].message and "第11页开始" in found[0].message


# ---------------------------------------------------------------- bad input


def _pdf(objects: list[str], trailer: str = "") -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer}>>\n".encode()
    return out + f"startxref\n{xref}\n%%EOF\n".encode()


CATALOG = "<< /Type /Catalog /Pages 2 0 R >>"


def test_encrypted_pdf() -> None:
    data = _pdf(
        [
            CATALOG,
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            f"<< /Filter /Standard /V 1 /R 2 /O <{'11' * 32}> /U <{'22' * 32}> /P -4 >>",
        ],
        f"/Encrypt 4 0 R /ID [<{'33' * 16}> <{'33' * 16}>] ",
    )
    with pytest.raises(ReadError, match="已加密"):
        read_pdf(data, "x.pdf")


def test_pdf_without_pages() -> None:
    data = _pdf([CATALOG, "<< /Type /Pages /Kids [] /Count 0 >>"])
    with pytest.raises(ReadError, match="没有任何页面"):
        read_pdf(data, "x.pdf")


def test_corrupt_pdf(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="已损坏"):
        read_pdf(b"%PDF-1.4\n\x00\x01garbage", "x.pdf")
    fake = tmp_path / "notes.pdf"
    fake.write_text("这不是 PDF", "utf-8")
    with pytest.raises(ReadError, match="不是 PDF"):
        read_path(fake)


def test_page_without_text_and_no_ocr_engine(monkeypatch) -> None:
    monkeypatch.setenv("GONGBAO_OCR", "none")
    with pytest.raises(ReadError, match="OCR") as info:
        read_path(SOURCES / "scans" / "p009-imageonly.pdf")
    assert "tesseract-ocr-chi-sim" in str(info.value) and "\n" not in str(info.value)


_LONG = """
import resource, sys
from gongbao.core.readers.pdf import read_pdf
stream = read_pdf(open(sys.argv[1], "rb").read(), "long.pdf")
pages = {r.note for r in stream.repairs if r.kind == "page-start"}
print(len(pages), len(stream.blocks), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium missing")
def test_five_hundred_pages_with_bounded_memory(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
    from make_testset import make_long_pdf

    target = tmp_path / "long.pdf"
    make_long_pdf(target, 500)
    out = subprocess.run(
        [sys.executable, "-c", _LONG, str(target)], capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    pages, blocks, peak_mb = map(int, out.stdout.split())
    assert pages == 10 and blocks >= 500 * 10  # folios repeat every 10 pages
    # Page by page: 500 pages stay within a fixed budget on these 2-core/24 GB machines
    # (about 1.2 GB measured; the bound leaves room for allocator differences).
    assert peak_mb < 2500
