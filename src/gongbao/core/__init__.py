"""gongbao.core: the gazette document model and everything that needs no web framework.

    >>> from gongbao.core import parse_file
    >>> result = parse_file("guanxian-2018-03.md")
    >>> [d.title for d in result.documents][:1]
    ['崔新乐同志在全县领导干部会议上的讲话']

The flow is one way: file → reader → blocks → repairs → parser → model → report.
"""

from __future__ import annotations

from pathlib import Path

from gongbao.core.model import ParseResult
from gongbao.core.readers import BlockStream, ReadError, read_path
from gongbao.core.readers.text import split_blocks


def parse_text(text: str, source: str = "") -> ParseResult:
    """Parse an issue given as text (Markdown or plain). Never raises on content."""
    stream = split_blocks(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    return _parse(stream, source)


def parse_file(path: str | Path) -> ParseResult:
    """Read and parse a file. Raises ``ReadError`` (a message for the user) when unreadable."""
    return _parse(read_path(path), str(path))


def _parse(stream: BlockStream, source: str) -> ParseResult:
    from gongbao.core.parse import parse_stream

    return parse_stream(stream, source)


__all__ = ["ParseResult", "ReadError", "parse_file", "parse_text"]
