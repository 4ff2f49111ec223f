"""The real issue as other converters would leave it: the parse must not change.

Each variant rewrites the sample the way another tool does (no Markdown marks,
no blank lines between paragraphs, TOC rows with the 文号 inline and ellipsis
leaders, dates in Chinese numerals, full-width indents, CRLF) and checks the
ground truth again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from gongbao.core import parse_text
from gongbao.core.conservation import account
from tests.conftest import shared_path
from tests.truth import assert_matches

_DIGITS = "〇一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    return ("" if n < 20 else _DIGITS[n // 10]) + "十" + ("" if n % 10 == 0 else _DIGITS[n % 10])


def _cn_date(m: re.Match[str]) -> str:
    year = "".join(_DIGITS[int(c)] for c in m.group(1))
    return f"{year}年{_cn(int(m.group(2)))}月{_cn(int(m.group(3)))}日{m.group(4)}"


def _split(text: str) -> tuple[str, str]:
    at = text.index("传达政令")
    return text[:at], text[at:]


def _toc_inline(text: str) -> str:
    toc, body = _split(text)
    toc = re.sub(r"\n-+\t-+\n", "\n", toc)
    toc = re.sub(
        r"(关于[^\n]*?)\t?\n\n(冠政[办]?发〔2018〕\d+号)\t(\d+)", r"\1（\2）……………………\3", toc
    )
    return toc + body


VARIANTS: dict[str, Callable[[str], str]] = {
    "plain text, no Markdown marks": lambda t: re.sub(r"(?m)^#+\s*", "", t).replace("**", ""),
    "no blank lines between paragraphs": lambda t: re.sub(r"\n\n+", "\n", t),
    "TOC with inline 文号 and ellipsis leaders": _toc_inline,
    "dates in Chinese numerals": lambda t: (
        _split(t)[0] + re.sub(r"(?m)^(\d{4})年(\d{1,2})月(\d{1,2})日(\s*)$", _cn_date, _split(t)[1])
    ),
    "full-width indents": lambda t: re.sub(r"(?m)^([^#\n])", "\u3000\u3000\\1", t),
    "CRLF line ends": lambda t: t.replace("\n", "\r\n"),
    "TOC sections without marks": lambda t: re.sub(r"(?m)^### ○(.*)$", r"\1", t),
    "section dividers repeated in the body": lambda t: t.replace(
        "# 冠县人民政府文件\n\n冠政发〔2018〕64号",
        "○县政府文件\n\n# 冠县人民政府文件\n\n冠政发〔2018〕64号",
    ).replace("## 冠县召开 2018 年上半年", "## ○其他\n\n## 冠县召开 2018 年上半年"),
    "TOC sections in 【】": lambda t: re.sub(r"(?m)^### ○(.*)$", r"【\1】", t),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_parses_to_the_ground_truth(name: str) -> None:
    source = shared_path("corpus", "guanxian-2018-03.md").read_text("utf-8")
    expected = json.loads(
        shared_path("corpus", "guanxian-2018-03.expected.json").read_text("utf-8")
    )
    text = VARIANTS[name](source)
    result = parse_text(text)
    assert account(text.replace("\r", ""), result).ok
    assert len(result.documents) == 18
    for want, doc in zip(expected["documents"], result.documents, strict=True):
        assert_matches(doc, want)
