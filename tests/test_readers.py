"""The text reader: encodings in, a clear error for what it cannot read."""

from __future__ import annotations

import pytest

from gongbao.core.readers import ReadError, read_path
from gongbao.core.readers.text import decode, read_bytes

SAMPLE = "# 某县人民政府公报\n\n关于做好防汛工作的通知\n\n各乡镇人民政府：\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
    ],
)
def test_encodings_detected(data: bytes, encoding: str) -> None:
    text, found, warnings = decode(data)
    assert text == SAMPLE
    assert found == encoding
    assert warnings == []


def test_mixed_encodings_decoded_line_by_line() -> None:
    data = "第一行：公报\n".encode() + "第二行：通知\n".encode("gb18030")
    text, found, warnings = decode(data)
    assert text == "第一行：公报\n第二行：通知\n"
    assert found == "mixed" and "多种编码" in warnings[0]


def test_crlf_and_cr_become_newlines() -> None:
    text, _, _ = decode("甲\r\n乙\r丙".encode())
    assert text == "甲\n乙\n丙"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "空的"),
        (b"   \n\t\n", "空的"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "LibreOffice"),
        (b"\x89PNG\r\n\x1a\n", "图片"),
        (bytes(range(256)) * 4, "二进制"),
    ],
)
def test_unreadable_input_gets_a_clear_message(data: bytes, fragment: str) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(data, name="x")
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(ReadError, match="找不到文件"):
        read_path(tmp_path / "nope.md")
    with pytest.raises(ReadError, match="文件夹"):
        read_path(tmp_path)


def test_blocks_keep_source_lines_and_record_marks() -> None:
    stream = read_bytes("# 标题\n\n第一段\n第二行\n\n---\n\n## 二级\n".encode())
    assert [(b.kind, b.first_line, b.last_line) for b in stream.blocks] == [
        ("heading", 1, 1),
        ("paragraph", 3, 4),
        ("heading", 8, 8),
    ]
    assert [b.md_level for b in stream.blocks] == [1, 0, 2]
    assert [(r.kind, r.removed) for r in stream.repairs] == [
        ("heading-mark", "#"),
        ("rule", "---"),
        ("heading-mark", "##"),
    ]
