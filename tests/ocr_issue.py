"""The whole issue read from scans, compared with its ground truth (bench/ocr.py and tests).

``compare`` parses OCRed pages and checks the Done-when of the readers issue:
the 18 documents with their 文号, dates and titles as in expected.json, and the
body text within a character error rate of the Markdown parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from gongbao.core import parse_file
from gongbao.core.model import ParseResult
from gongbao.core.parse import parse_stream
from gongbao.core.readers import BlockStream
from gongbao.core.readers.layout import PageLines, assemble
from tests.conftest import shared_path
from tests.test_readers_pdf import body_text, cer


@dataclass
class Comparison:
    stream: BlockStream
    result: ParseResult
    found: int
    cer: float
    correct: dict[str, int]
    wrong: list[str] = field(default_factory=list)


def compare(pages: list[PageLines]) -> Comparison:
    stream = assemble(pages)
    result = parse_stream(stream)
    markdown = parse_file(shared_path("corpus", "guanxian-2018-03.md"))
    expected = json.loads(shared_path("corpus", "guanxian-2018-03.expected.json").read_text())
    out = Comparison(stream, result, len(result.documents), cer(body_text(result), body_text(markdown)),
                     {"title": 0, "doc_number": 0, "date": 0})  # fmt: skip
    for want, got in zip(expected["documents"], result.documents, strict=False):
        fields = {
            "title": got.title,
            "doc_number": got.doc_number.text if got.doc_number else None,
            "date": got.date.isoformat() if got.date else None,
        }
        for name, value in fields.items():
            ok = value == want.get(name)
            out.correct[name] += ok
            if not ok:
                out.wrong.append(f"{want['seq']:>2} {name}: {value!r}, want {want.get(name)!r}")
    return out
