"""The Word reader on the real issue as a .docx (tests/data/sources, made by tools/make_testset.py)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from gongbao.core import parse_file
from gongbao.core.conservation import account
from gongbao.core.model import ParseResult
from gongbao.core.parse import parse_stream
from gongbao.core.readers import ReadError, read_path
from gongbao.core.readers.docx import format_number, read_docx
from tests.conftest import shared_path
from tests.test_readers_pdf import body_text, cer
from tests.truth import assert_matches

DOCX = Path(__file__).parent / "data" / "sources" / "guanxian-2018-03.docx"


@pytest.fixture(scope="module")
def stream():
    return read_path(DOCX)


@pytest.fixture(scope="module")
def result(stream) -> ParseResult:
    return parse_stream(stream, source=DOCX.name)


def test_same_documents_and_metadata_as_markdown(result: ParseResult) -> None:
    expected = json.loads(
        shared_path("corpus", "guanxian-2018-03.expected.json").read_text("utf-8")
    )
    assert result.issue.year == 2018 and result.issue.number == 3
    for doc, want in zip(result.documents, expected["documents"], strict=True):
        assert_matches(doc, want)


def test_body_text_within_half_a_percent(result: ParseResult) -> None:
    markdown = parse_file(shared_path("corpus", "guanxian-2018-03.md"))
    assert cer(body_text(result), body_text(markdown)) <= 0.005


def test_conservation_and_furniture(stream, result: ParseResult) -> None:
    assert account(stream.text, result).ok
    removed = {(r.kind, r.removed) for r in stream.repairs}
    assert ("docx-header", "冠县人民政府公报") in removed
    assert any(k == "docx-footer" for k, _ in removed)


def test_automatic_numbering_printed(stream) -> None:
    """The 一、二、三、 of the speech are Word list numbers, not text, in the .docx."""
    xml = zipfile.ZipFile(DOCX).read("word/document.xml").decode()
    assert "扎实做好“双招双引”工作" in xml and "一、扎实做好" not in xml
    headings = [b.text for b in stream.blocks if b.kind == "heading"]
    assert "一、扎实做好“双招双引”工作" in headings
    assert "三、关于当前需要抓好的重点工作" in headings
    assert "一、普查目的" in headings  # numbering restarts in the next document


def test_bold_lead_and_table() -> None:
    stream = read_path(DOCX)
    assert any(b.bold_prefix == "（三）强化保障、狠抓落实。" for b in stream.blocks)
    table = next(b for b in stream.blocks if b.kind == "table")
    assert table.rows[0] == ["指标", "2017年", "2018年", "2020年", "2022年"]


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [(3, "chineseCounting", "三"), (12, "chineseCountingThousand", "十二"), (4, "decimal", "4"),
     (2, "decimalEnclosedCircle", "②"), (9, "lowerRoman", "ix"), (3, "upperLetter", "C")],
)  # fmt: skip
def test_number_formats(n: int, fmt: str, text: str) -> None:
    assert format_number(n, fmt) == text


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("photos/1.jpg", b"\xff\xd8\xff")
    path = tmp_path / "issue.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReadError, match="不是 Word") as info:
        read_path(path)
    assert "\n" not in str(info.value)
    with pytest.raises(ReadError, match="已损坏"):
        read_docx(b"PK\x03\x04 broken", "x.docx")


def test_legacy_word_says_how_to_convert(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    path = tmp_path / "old.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(ReadError, match="soffice --headless --convert-to docx"):
        read_path(path)
