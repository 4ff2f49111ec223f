"""Format detection: which reader a file needs, by its first bytes (then its name).

``read_source(data, name)`` is what ``read_path`` and the archive import call:
PDF → ``readers.pdf`` (OCR for pages without text), .docx → ``readers.docx``,
.doc/.wps → converted with LibreOffice when installed (else a message saying
how), images → ``readers.ocr``, anything else → the text reader.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import PurePath

from gongbao.core.readers import BlockStream, ReadError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
SUFFIXES = {".pdf", ".docx", ".doc", ".wps", *IMAGE_SUFFIXES}


def sniff(data: bytes, name: str = "") -> str:
    """``pdf``, ``docx``, ``legacy-word``, ``image``, ``html`` or ``text``."""
    suffix = PurePath(name).suffix.lower()
    head = data[:1024]
    if head.lstrip(b"\x00\t\r\n \xef\xbb\xbf")[:5] == b"%PDF-" or suffix == ".pdf":
        return "pdf"
    if head.startswith(b"PK\x03\x04") or suffix == ".docx":
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".doc", ".wps"):
        return "legacy-word"
    if (
        head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"RIFF"))
        or suffix in IMAGE_SUFFIXES
    ):
        return "image"
    # By name only: a page pasted into a .txt or .md keeps the text reader and its markup repair.
    if suffix in (".html", ".htm"):
        return "html"
    return "text"


def _need(module: str, extra: str, what: str, label: str) -> None:
    """``ReadError`` naming the extra to install when ``module`` is missing.

    ``pip install gongbao`` is the core only (docs/dependencies.md): a PDF or a
    scan given to it is a one-line message, not an ImportError traceback.
    """
    if find_spec(module) is None:
        raise ReadError(label + f"读取{what}需要可选组件：pip install 'gongbao[{extra}]'")


def read_source(data: bytes, name: str = "", ocr: str | None = None) -> BlockStream:
    """Read bytes of any supported format into a block stream (``ReadError`` if unreadable)."""
    kind = sniff(data, name)
    label = f"{name}：" if name else ""
    if not data:
        raise ReadError(label + "文件是空的，没有可解析的内容。")
    if kind == "pdf":
        _need("pypdfium2", "pdf", " PDF ", label)
        from gongbao.core.readers.pdf import read_pdf

        if not data.lstrip()[:5] == b"%PDF-":
            raise ReadError(label + "扩展名是 .pdf，但内容不是 PDF 文件（文件已损坏或类型不符）。")
        return read_pdf(data, name, ocr=ocr)
    if kind == "docx":
        from gongbao.core.readers.docx import read_docx

        return read_docx(data, name)
    if kind == "legacy-word":
        from gongbao.core.readers.docx import convert_legacy, read_docx

        return read_docx(convert_legacy(data, name), name)
    if kind == "image":
        _need("PIL", "ocr", "扫描件", label)
        from gongbao.core.readers.ocr import read_image

        return read_image(data, name, engine=ocr)
    if kind == "html":
        _need("readability", "html", "网页", label)
        from gongbao.core.readers.html import read_html

        return read_html(data, name)
    from gongbao.core.readers.text import read_bytes

    return read_bytes(data, name=name)
