"""Scoring the parser against hand-checked truth: a folder of ``<id>.txt`` + ``<id>.truth.json``.

Reads: the truth files (format in ``../shared/corpus/real/README.md`` and
``docs/formats.md``) and the parse of each source file. Writes: per-document
field results, a per-field table and the wrong values, for ``gongbao eval``,
the corpus tests and ``bench/RESULTS.md``. A value the text does not print is
``null`` in the truth, and the parser is right only when it gives none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongbao.core.export.json import document_dict
from gongbao.core.model import ParseResult

FIELDS = ("count", "title", "doc_number", "issuer", "date", "recipients", "promulgates", "headings")
_LABEL = re.compile(
    r"^(第[一二三四五六七八九十百零〇]+[章编节条]|[一二三四五六七八九十百]+[、.．]"
    r"|[（(][一二三四五六七八九十百]+[）)]|[0-9０-９]+(?:[.．][0-9]+)*[、.．]?)"
)
_WIDE = str.maketrans("０１２３４５６７８９．（）", "0123456789.()")


@dataclass
class DocScore:
    ident: str
    documents: int
    right: dict[str, bool]
    wrong: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (truth, got)

    @property
    def all_right(self) -> bool:
        return all(self.right.values())


def squash(value: Any) -> str | None:
    """A value compared without white space, title marks or the 主送's final colon."""
    if value is None:
        return None
    if isinstance(value, list):
        value = "".join(str(v) for v in value)
    return re.sub(r"[\s\u3000《》〈〉]", "", str(value)).rstrip("：:")


def heading_labels(headings: list[str]) -> list[str]:
    """The numbering labels of headings as printed (一、 → 一, 1.1 → 1.1)."""
    out = []
    for h in headings:
        h = re.sub(r"\s", "", h).translate(_WIDE)
        m = _LABEL.match(h)
        out.append(m.group(1).rstrip("、.") if m else h[:4])
    return out


def body_labels(body: list[dict[str, Any]]) -> list[str]:
    return heading_labels(
        [n.get("num") or "" for n in body if n.get("type") == "section" and n.get("level") == 1]
    )


def score_document(truth: dict[str, Any], doc: dict[str, Any], count: int) -> DocScore:
    """Compare one parsed document (its JSON form) with its truth, field by field."""
    got: dict[str, Any] = {
        "count": count,
        "title": squash(doc.get("title")),
        "doc_number": squash(doc.get("doc_number")),
        "issuer": squash(doc.get("issuer")),
        "date": doc.get("date"),
        "recipients": squash(doc.get("recipients")),
    }
    enclosed = doc.get("promulgated_document")
    got["promulgates"] = squash(doc.get("promulgates") or (enclosed or {}).get("title"))
    body = enclosed.get("body") if truth.get("promulgates") and enclosed else doc.get("body")
    got["headings"] = body_labels(body or [])
    issuers = [squash(i) for i in truth.get("issuers") or []]
    want: dict[str, Any] = {
        "count": int(truth.get("documents") or 1),
        "doc_number": squash(truth.get("doc_number")),
        "date": truth.get("date"),
        "recipients": squash(truth.get("recipients")),
        "promulgates": squash(truth.get("promulgates")),
        "headings": heading_labels(truth.get("top_level_headings") or []),
    }
    right = {f: got[f] == want[f] for f in want}
    right["title"] = _title_right(truth, got["title"], issuers)
    right["issuer"] = got["issuer"] in issuers if issuers else got["issuer"] is None
    want["title"], want["issuer"] = truth.get("title"), truth.get("issuers")
    score = DocScore(truth.get("source", ""), count, {f: right[f] for f in FIELDS})
    score.wrong = {f: (want[f], got[f]) for f in FIELDS if not right[f]}
    return score


def _title_right(truth: dict[str, Any], title: str | None, issuers: list[str | None]) -> bool:
    wanted = {squash(truth.get("title")), squash(truth.get("full_title"))} - {None}
    if not wanted:
        return title is None  # the text prints no title
    return title is not None and (
        title in wanted or any(i and i + title in wanted for i in issuers)
    )


def score_result(truth: dict[str, Any], result: ParseResult) -> DocScore:
    """The best-matching document of a parse against the truth (and the count of them)."""
    docs = [document_dict(d) for d in result.documents]
    if not docs:
        empty = DocScore(truth.get("source", ""), 0, dict.fromkeys(FIELDS, False))
        empty.wrong = {f: ("…", None) for f in FIELDS}
        return empty
    scores = [score_document(truth, d, len(docs)) for d in docs]
    return max(scores, key=lambda s: sum(s.right.values()))


def corpus(folder: Path) -> Iterator[tuple[str, Path, dict[str, Any]]]:
    """(id, source file, truth) for every truth file in ``folder``."""
    for truth_path in sorted(folder.glob("*.truth.json")):
        ident = truth_path.name.removesuffix(".truth.json")
        sources = [p for p in folder.glob(ident + ".*") if not p.name.endswith(".json")]
        if sources:
            yield ident, sources[0], json.loads(truth_path.read_text("utf-8"))


def evaluate(
    folder: Path,
    parse: Callable[[Path], ParseResult],
    transform: Callable[[str], str] | None = None,
) -> list[DocScore]:
    """Score every document of ``folder``; ``transform`` re-lays a text out before parsing."""
    from gongbao.core import parse_text

    scores = []
    for ident, path, truth in corpus(folder):
        if transform is None:
            result = parse(path)
        else:
            result = parse_text(transform(path.read_text("utf-8")), str(path))
        score = score_result(truth, result)
        score.ident = ident
        scores.append(score)
    return scores


def table(scores: list[DocScore]) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Per field (right, total); fields right and fields in all."""
    per = {f: (sum(s.right[f] for s in scores), len(scores)) for f in FIELDS}
    right = sum(r for r, _ in per.values())
    return per, right, sum(t for _, t in per.values())
