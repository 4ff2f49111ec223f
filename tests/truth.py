"""Compare a parsed document with ground truth in the shape of ``expected.json``."""

from __future__ import annotations

from gongbao.core.model import Document

FIELDS = ("title", "toc_title", "kind", "section", "page", "issuer", "recipients", "speaker")


def assert_matches(doc: Document, want: dict) -> None:
    """Every field the truth gives must be what the parser found."""
    where = want["seq"]
    for key in FIELDS:
        if key in want:
            assert getattr(doc, key) == want[key], (where, key)
    assert (doc.date.isoformat() if doc.date else None) == want.get("date"), (where, "date")
    number = doc.doc_number
    assert (number.text if number else None) == want.get("doc_number"), (where, "doc_number")
    if "doc_number_parts" in want:
        parts = want["doc_number_parts"]
        assert (number.agency_code, number.year, number.serial) == (
            parts["agency_code"],
            parts["year"],
            parts["serial"],
        ), where
    promulgated = doc.promulgates.title if doc.promulgates else None
    assert promulgated == want.get("promulgates"), (where, "promulgates")
    if "top_level_headings" in want:
        assert doc.top_headings() == want["top_level_headings"], (where, "headings")
    if "plan_top_level_headings" in want:
        assert doc.promulgates.top_headings() == want["plan_top_level_headings"], where
    if "attachments" in want:
        got = [{"number": a.number, "title": a.title} for a in doc.attachments]
        assert got == want["attachments"], (where, "attachments")
