"""core.export.json_read: the stored JSON back as the core model (what the site's
AKN, citations and lifecycle rebuild documents from)."""

from __future__ import annotations

from pathlib import Path

from gongbao.core import parse_text
from gongbao.core.export import json as js
from gongbao.core.export.json_read import document_from_dict, result_from_dicts

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "guanxian-2018-03.md"
FIELDS = ("seq", "kind", "title", "id", "section", "page", "toc_title", "doc_number",
          "doc_number_parts", "issuer", "issuers", "recipients", "date", "date_note",
          "speaker", "signature", "body", "attachments")  # fmt: skip


def _heads(d: dict) -> list[tuple[str, str]]:
    return [(h["role"], h["text"]) for h in d["head"]]


def test_every_field_the_readers_use_comes_back() -> None:
    result = parse_text(SAMPLE.read_text("utf-8"), SAMPLE.name)
    stored = js.to_dict(result)
    for d in stored["documents"]:
        again = js.document_dict(document_from_dict(d))
        assert {f: again[f] for f in FIELDS} == {f: d[f] for f in FIELDS}, d["title"]
        assert _heads(again) == _heads(d), d["title"]  # roles and text; tail blocks too
        plan, plan_again = d.get("promulgated_document"), again.get("promulgated_document")
        assert (plan or {}).get("title") == (plan_again or {}).get("title")
    assert any(d.get("promulgated_document") for d in stored["documents"])


def test_a_subset_keeps_only_its_own_toc_entries_and_sections() -> None:
    result = parse_text(SAMPLE.read_text("utf-8"), SAMPLE.name)
    stored = js.to_dict(result)
    kept = stored["documents"][1:3]
    back = result_from_dicts(stored["issue"], kept)
    assert [doc.title for doc in back.documents] == [d["title"] for d in kept]
    assert {e.title for e in back.issue.toc} <= {
        t for d in kept for t in (d["title"], d["toc_title"]) if t
    }
    assert back.issue.toc and set(back.issue.sections) == {d["section"] for d in kept}
    assert back.issue.year == result.issue.year and back.issue.number == result.issue.number
