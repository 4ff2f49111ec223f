"""The issue's print edition (cover, 目录 with real page numbers, running heads, folios,
bookmarks, metadata, watermark as an image) and the site's one HTML → PDF printer.

The sample issue (18 documents) is printed once for the module; its text layer is
compared with the site's text of every document, and ``gongbao import`` of the PDF
into an empty archive must give the same documents back.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html

from gongbao.core import parse_file
from gongbao.core.export.json import to_dict
from gongbao.site import printing
from gongbao.site.opendata import pdf

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "guanxian-2018-03.md"
PUBLISHER = "公报编辑部"
DIGEST = "5e" * 32
MM = 72 / 25.4
# The 版心 (GB/T 9704: 37 mm from the top, 35 mm from the bottom) with a little room:
# the running head sits above it, the folio below it, both in the page margins.
BODY_TOP, BODY_BOTTOM = 297 * MM - 34 * MM, 32 * MM

# Chromium's rendering dominates these tests and no database behaviour is in it: the suite
# runs them on SQLite only (scripts/test.sh's PostgreSQL run leaves out `render`).
pytestmark = pytest.mark.render
needs_chromium = pytest.mark.skipif(
    printing.chromium() is None and os.environ.get("CI", "").lower() != "true",
    reason="needs Chromium",
)


@pytest.fixture(scope="module")
def parsed() -> dict:
    return to_dict(parse_file(SAMPLE))


@pytest.fixture(scope="module")
def edition(parsed) -> pdf.PrintEdition:
    return pdf.print_edition(
        parsed["issue"],
        parsed["documents"],
        gazette=parsed["issue"]["gazette"],
        digest=DIGEST,
        publisher=PUBLISHER,
        published=date(2018, 9, 30),
    )


def _site_text(data: dict) -> str:
    """What the document page shows of the document: 文号, title, 题注, the rendered body."""
    from gongbao.site.render import render_document

    rendered = render_document(data)
    body = lxml_html.fromstring(f"<div>{rendered.html}</div>").text_content()
    return (data.get("doc_number") or "") + (data.get("title") or "") + rendered.date_note + body


def _masthead(data: dict) -> str:
    return "".join(h["text"] for h in data.get("head") or [] if h.get("role") == "masthead")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cer(want: str, got: str) -> float:
    import difflib

    sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
    edits = sum(max(b - a, d - c) for op, a, b, c, d in sm.get_opcodes() if op != "equal")
    return edits / max(1, len(want))


def _pages(pdf_bytes: bytes) -> list[tuple[str, str, str]]:
    """Per page: (text inside the 版心, text above it, text below it)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_bytes)
    out = []
    try:
        for page in doc:
            width, height = page.get_size()
            text = page.get_textpage()
            out.append(
                (
                    text.get_text_bounded(0, BODY_BOTTOM, width, BODY_TOP),
                    text.get_text_bounded(0, BODY_TOP, width, height),
                    text.get_text_bounded(0, 0, width, BODY_BOTTOM),
                )
            )
    finally:
        doc.close()
    return out


@needs_chromium
def test_text_layer_is_the_site_text(parsed, edition):
    """CER 0 after removing white space, for every document of the issue.

    A document's pages run from its start page to the page before the next one;
    running heads and folios are left out by page region (they print in the
    margins above and below the 版心). The 发文机关标志 (版头) is printed before the
    site's text where the document has one; the watermark is an image, no text.
    """
    pages = _pages(edition.pdf)
    datas = parsed["documents"]
    starts = [edition.pages[d["id"]] for d in datas] + [len(pages) + 1]
    for n, data in enumerate(datas):
        got = _squeeze("".join(pages[p - 1][0] for p in range(starts[n], starts[n + 1])))
        want = _squeeze(_masthead(data) + _site_text(data))
        assert got == want, f"{data['id']}: CER {_cer(want, got):.4f}"
    everything = "".join("".join(p) for p in pages)
    assert "电子水印" not in everything and DIGEST[:32] not in everything


@needs_chromium
def test_cover_toc_running_heads_folios(parsed, edition):
    pages = _pages(edition.pdf)
    assert edition.page_count == len(pages) > 100
    cover = _squeeze(pages[0][0])
    for part in ("冠县人民政府公报", "2018年第3期", "总第27期", "2018年9月30日出版"):
        assert part in cover
    assert "主办" not in cover  # the sample's data names no 主办: never invented
    assert _squeeze(pages[0][1] + pages[0][2]) == ""  # no running head or folio on the cover
    for number, (_, above, below) in enumerate(pages[1:], start=2):
        assert _squeeze(above) == "冠县人民政府公报2018年第3期", number
        assert _squeeze(below) == f"—{number}—", number
    # The 目录 prints the pages where the documents start, and they do start there.
    toc = _squeeze(
        "".join(p[0] for p in pages[1 : edition.pages[parsed["documents"][0]["id"]] - 1])
    )
    for data in parsed["documents"]:
        page = edition.pages[data["id"]]
        row = _squeeze(data.get("doc_number") or data["toc_title"] or data["title"])
        assert re.search(re.escape(row) + r"…+" + str(page) + r"(?!\d)", toc), row
        assert _squeeze(pages[page - 1][0]).startswith(
            _squeeze(_masthead(data) + (data.get("doc_number") or "") + data["title"])
        )
    assert len(set(edition.pages.values())) == len(parsed["documents"])


@needs_chromium
def test_bookmarks_metadata_fonts_watermark(parsed, edition):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(edition.pdf))
    assert reader.metadata.title == "冠县人民政府公报 2018年第3期（总第27期）"
    assert reader.metadata.author == PUBLISHER
    marks: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                marks.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    for data in parsed["documents"]:
        assert (data["toc_title"] or data["title"], edition.pages[data["id"]]) in marks
    assert ("目录", 2) in marks and (
        "县政府办公室文件",
        edition.pages["guanzhengbanfa-2018-41"],
    ) in marks
    # Every font travels in the file: Chromium (Skia) writes the Noto CJK fonts (CFF
    # outlines in an OpenType collection) as Type 3 fonts, whose glyph programs are in
    # the PDF; any other font must carry its font file.
    kinds = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            kinds.add(font["/Subtype"])
            if font["/Subtype"] == "/Type3":
                assert font["/CharProcs"] and font.get("/ToUnicode") is not None
                continue
            descendant = font.get("/DescendantFonts")
            desc = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            assert any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert kinds
    # the watermark: an image on every page
    for page in [*reader.pages[:3], *reader.pages[-2:]]:
        assert page.images, "no watermark image"


@needs_chromium
def test_reimport_gives_the_same_documents(parsed, edition, tmp_path):
    """``gongbao import`` of the print edition into an empty archive: the same 18 documents."""
    path = tmp_path / "guanxian-2018-03.pdf"
    path.write_bytes(edition.pdf)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["GONGBAO_HOME"] = str(tmp_path / "archive")
    run = subprocess.run(
        [sys.executable, "-m", "gongbao.cli", "import", str(path)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    db = sqlite3.connect(tmp_path / "archive" / "gongbao.sqlite3")
    try:
        rows = db.execute(
            "SELECT d.doc_number, d.title, d.issuer, d.date, i.ident, i.cumulative_number"
            " FROM archive_document d JOIN archive_issue i ON d.issue_id = i.id ORDER BY d.seq"
        ).fetchall()
    finally:
        db.close()
    want = [
        (d["doc_number"] or "", d["title"], d["issuer"] or "", d["date"], "guanxian-2018-03", 27)
        for d in parsed["documents"]
    ]
    assert rows == want


@needs_chromium
def test_document_pdf_layout(parsed):
    """One document's PDF: same running head and folios, 成文日期 in Chinese form, no watermark text."""
    data = next(d for d in parsed["documents"] if d["id"] == "guanzhengbanfa-2018-46")
    html = pdf.document_html(
        data, gazette="冠县人民政府公报", issue_label="冠县人民政府公报 2018年第3期",
        digest=DIGEST, publisher=PUBLISHER,
    )  # fmt: skip
    pages = _pages(pdf.render_pdf(html))
    for number, (_, above, below) in enumerate(pages, start=1):
        assert _squeeze(above) == "冠县人民政府公报2018年第3期"
        assert _squeeze(below) == f"—{number}—"
    body = _squeeze("".join(p[0] for p in pages))
    assert "2018年8月23日" in body and "2018-08-23" not in body
    note = _squeeze(f"{PUBLISHER}发布的电子公报，已电子签名；SHA-256 {DIGEST}")
    assert body == _squeeze(_masthead(data) + _site_text(data)) + note


def test_chinese_date():
    assert pdf.chinese_date("2018-08-01") == "2018年8月1日"
    assert pdf.chinese_date(date(2018, 12, 31)) == "2018年12月31日"
    assert pdf.chinese_date(None) == ""


def test_printer_timeout_is_a_clear_message(settings, tmp_path):
    """All three users print through one module; a Chromium that hangs is stopped and said so."""
    from gongbao.site.disclosure import report
    from gongbao.site.tracker import pdf as tracker_pdf

    slow = tmp_path / "chromium"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    settings.GONGBAO_CHROMIUM = str(slow)
    for print_ in (printing.html_to_pdf, report.html_to_pdf, tracker_pdf.html_to_pdf):
        with pytest.raises(printing.PdfUnavailable, match="生成 PDF 超时"):
            print_("<p>x</p>", timeout=1)
    assert report.PdfUnavailable is tracker_pdf.PdfUnavailable is printing.PdfUnavailable
    broken = tmp_path / "broken"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    settings.GONGBAO_CHROMIUM = str(broken)
    with pytest.raises(printing.PdfUnavailable, match="Chromium 没有生成 PDF"):
        printing.html_to_pdf("<p>x</p>")


# -- the site: the issue PDF URL, its page map and the issue page's 目录 -------------------


@needs_chromium
@pytest.mark.django_db(transaction=True)
def test_issue_pdf_is_signed_and_its_pages_show_on_the_issue_page(settings, tmp_path, sample_issue):
    from django.core.cache import cache
    from django.test import Client
    from pypdf import PdfReader

    from gongbao.site.opendata import keys
    from gongbao.site.opendata.verify import verify_bytes

    settings.GONGBAO_KEYS_DIR = tmp_path / "keys"
    settings.GONGBAO_PDF_DIR = tmp_path / "pdf"
    cache.clear()
    client = Client()
    # (the query string keeps this first view out of the page cache's entry for /2018/3/)
    before = client.get("/2018/3/?before=1").content.decode()
    assert '<span class="visually-hidden">第</span>7<span' in before  # the imported issue's page
    response = client.get("/pdf/issue/guanxian-2018-03.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    signed = response.content
    report = verify_bytes(signed, certificate=keys.certificate_pem())
    assert report.ok, report.reasons
    assert len(PdfReader(io.BytesIO(signed)).outline) > 3  # bookmarks added before signing
    edition = pdf.issue_print(sample_issue)  # the same call the production app makes: cached
    assert edition.pdf == signed
    assert pdf.cached_pages(sample_issue) == edition.pages
    page = edition.pages["guanzhengfa-2018-64"]
    after = client.get("/2018/3/").content.decode()
    assert f'<span class="visually-hidden">第</span>{page}<span' in after
    assert len(list((tmp_path / "pdf").glob("issue-*.pdf"))) == 1
