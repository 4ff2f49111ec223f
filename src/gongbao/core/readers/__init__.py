"""Readers: a file in, a block stream out.

Every reader returns a ``BlockStream``; the parser reads nothing else, so a PDF
or Word reader plugs in here without the parser changing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gongbao.core.model import Block, Repair


class ReadError(Exception):
    """The input cannot be read at all. The message is for the user (Chinese)."""


@dataclass
class BlockStream:
    """What a reader writes: blocks with source lines, and the text they came from.

    ``text`` is the decoded source the blocks were cut from (what text
    conservation is measured against); ``repairs`` lists the markup the reader
    itself removed (heading marks, rules).
    """

    blocks: list[Block]
    text: str
    encoding: str
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # A web page's own metadata table (索引号, 发文机关, 文号 …: label → value), kept
    # apart from the text as a separate source (readers/html.py); empty otherwise.
    metadata: dict[str, str] = field(default_factory=dict)


def read_path(path: str | Path) -> BlockStream:
    """Read a file of any supported format (text, PDF, Word, scans) into a block stream."""
    from gongbao.core.readers.detect import read_source

    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"找不到文件：{p}") from None
    except IsADirectoryError:
        raise ReadError(f"这是一个文件夹，不是文件：{p}") from None
    except OSError as exc:
        raise ReadError(f"无法读取文件 {p}：{exc.strerror or exc}") from None
    return read_source(data, name=p.name)
