"""The rebuild's read of the archive: body rows fetched for a chunk of documents at once,
and of the stored body tree only what the index takes, must give the payloads that
reading each document whole, with its own rows, gives, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import F

from gongbao.site import access
from gongbao.site.archive.models import BodyNode, Document, Issue
from gongbao.site.archive.services import import_file, publish_issue
from gongbao.site.disclosure import services
from gongbao.site.search import sync
from tests.site.disclosure_helpers import staff

pytestmark = pytest.mark.django_db(transaction=True)
DISCLOSURE_ISSUE = Path(__file__).parents[1] / "data" / "disclosure" / "shixian-2020-01.md"


def _published_with_review() -> Issue:
    """The disclosure fixture issue: its flood notice 依申请公开 (withheld), every personal
    datum of its 低保 list de-identified by the reviewer, then published."""
    outcome = import_file(DISCLOSURE_ISSUE)
    issue = Issue.objects.get(ident=outcome.issue)
    notice = Document.objects.get(issue=issue, ident="shizhengfa-2020-3")
    editor, reviewer = staff("editor1", "editor"), staff("reviewer1", "reviewer")
    services.set_attribute(notice, "on_request", "process", "内部工作安排，仅涉及特定单位", editor)
    for decision in services.scan_issue(issue):
        services.decide(decision, accept=True, user=reviewer)
    return publish_issue(issue)


def _per_document() -> list[dict]:
    """The payloads as the rebuild read them before: one body-row query per document."""
    docs = access.public_documents().select_related("gazette", "issue").order_by("pk")
    return [sync.payload(d, access.public_nodes(d, d.nodes.order_by("position"))) for d in docs]


def test_chunked_read_gives_the_per_document_payloads(
    sample_issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    reviewed = _published_with_review()
    # A document without body rows must not borrow its neighbour's.
    empty = Document.objects.filter(issue=sample_issue).order_by("pk")[1]
    BodyNode.objects.filter(document=empty).delete()
    # Rows whose reading order is not the order they were stored in (a reversed document).
    first = Document.objects.filter(issue=sample_issue).order_by("pk")[0]
    assert BodyNode.objects.filter(document=first).update(position=1000 - F("position")) > 1
    monkeypatch.setattr(sync, "_CHUNK", 3)  # several chunks, one across the two issues
    expected = _per_document()
    got = list(sync._payloads(access.public_documents()))
    assert got == expected
    # the issuers and signature, read out of the stored body tree by the database
    assert any(p["issuers"] for p in got) and any(p["signature"] for p in got)
    ids = [p["id"] for p in got]
    assert len(ids) > 2 * sync._CHUNK and len(set(ids)) == len(ids)
    slug = reviewed.gazette.slug
    assert f"{slug}/shizhengfa-2020-3" not in ids  # withheld
    assert f"{sample_issue.gazette.slug}/{empty.ident}" in ids
    assert next(p for p in got if p["id"].endswith(empty.ident))["passages"] == []
    masked = next(p for p in got if p["id"] == f"{slug}/shizhengfa-2020-4")
    text = "".join(p["text"] for p in masked["passages"])
    assert "1101**********002X" in text and "11010519491231002X" not in text
