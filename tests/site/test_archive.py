"""Import, versions, publication states and the index that follows them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gongbao.site import access
from gongbao.site.archive.models import (
    ArchiveState,
    Document,
    ImportRecord,
    Issue,
    IssueVersion,
    Redirect,
)
from gongbao.site.archive.services import import_file, publish_issue, unpublish_issue
from gongbao.site.search import sync
from gongbao.testing.generate import generate_issue

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> tuple:
    return (
        list(Issue.objects.values_list("ident", "content_hash", "status")),
        list(Document.objects.values_list("ident", "title").order_by("ident")),
        IssueVersion.objects.count(),
    )


def test_import_creates_a_draft(sample_path: Path) -> None:
    outcome = import_file(sample_path)
    assert outcome.outcome == ImportRecord.IMPORTED and outcome.version == 1
    issue = Issue.objects.get(ident="guanxian-2018-03")
    assert issue.status == Issue.DRAFT
    assert issue.gazette.slug == "guanxian" and issue.gazette.name == "冠县人民政府公报"
    assert issue.documents.count() == 18
    doc = issue.documents.get(ident="guanzhengfa-2018-64")
    assert doc.doc_number == "冠政发〔2018〕64号" and doc.date.isoformat() == "2018-08-01"
    assert doc.nodes.filter(kind="section", level=1).count() == 6
    assert issue.findings.filter(code="toc-mismatch").count() == 5
    assert not access.public_documents().exists()


def test_import_is_idempotent(sample_path: Path) -> None:
    import_file(sample_path)
    before = _snapshot()
    outcome = import_file(sample_path)
    assert outcome.outcome == ImportRecord.UNCHANGED
    assert _snapshot() == before


def test_corrected_file_updates_and_keeps_the_old_version(
    sample_path: Path, tmp_path: Path
) -> None:
    import_file(sample_path)
    corrected = tmp_path / "guanxian-2018-03.md"
    text = sample_path.read_text("utf-8").replace("冠政发〔2018〕64号", "冠政发〔2018〕65号")
    corrected.write_text(text, encoding="utf-8")
    outcome = import_file(corrected)
    assert outcome.outcome == ImportRecord.UPDATED and outcome.version == 2
    issue = Issue.objects.get(ident="guanxian-2018-03")
    assert [v.number for v in issue.versions.all()] == [2, 1]
    assert issue.versions.get(number=1).source_text == sample_path.read_text("utf-8")
    new = issue.documents.get(seq=2)
    assert new.ident == "guanzhengfa-2018-65"
    assert Redirect.objects.get(old_ident="guanzhengfa-2018-64").document == new


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "空的"),
        (b"%PDF-1.5\n", "PDF"),
        ("没有封面也没有期号的一段文字。".encode(), "期号"),
    ],
)
def test_failing_file_leaves_the_archive_unchanged(
    sample_path: Path, tmp_path: Path, content: bytes, reason: str
) -> None:
    import_file(sample_path)
    before = _snapshot()
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    outcome = import_file(bad)
    assert outcome.outcome == ImportRecord.FAILED and reason in outcome.message
    assert _snapshot() == before
    assert ImportRecord.objects.filter(outcome=ImportRecord.FAILED, path=str(bad)).exists()


def test_failure_inside_the_transaction_rolls_back(sample_path: Path, monkeypatch) -> None:
    from gongbao.site.archive import services

    def explode(*args, **kwargs):
        raise RuntimeError("simulated crash while writing documents")

    monkeypatch.setattr(services, "_apply_plan", explode)
    with pytest.raises(RuntimeError):
        import_file(sample_path)
    assert not Issue.objects.exists() and not IssueVersion.objects.exists()


def test_publication_states_and_the_index(sample_issue: Issue) -> None:
    results = sync.reader().search("秸秆")
    assert results.total >= 1
    unpublish_issue(sample_issue)
    assert sync.reader().search("秸秆").total == 0
    assert not access.public_issues().exists()
    publish_issue(sample_issue)
    assert sync.reader().search("秸秆").total >= 1


def test_draft_never_reaches_the_index(sample_path: Path, tmp_path: Path) -> None:
    import_file(sample_path)
    path = tmp_path / "other.md"
    path.write_text(generate_issue(3, year=2012, number=2), encoding="utf-8")
    import_file(path)
    publish_issue(Issue.objects.get(ident="guanxian-2018-03"))
    sync.rebuild()
    ids = {h.doc_id for h in sync.reader().search("", per_page=100).hits}
    assert ids and all(i.startswith("guanxian/") for i in ids)


def test_crash_between_archive_and_index_is_repaired(sample_issue: Issue, monkeypatch) -> None:
    assert not sync.ensure_index_current()
    # The archive commits, the process dies before the index hears of it.
    monkeypatch.setattr(sync, "after_commit", lambda issue_id: None)
    unpublish_issue(sample_issue)
    # stale: the index on disk still has it (a search would catch up first)
    assert sync.SearchIndex.open(sync.index_dir()).search("秸秆").total >= 1
    assert (
        ArchiveState.objects.get().generation
        != sync.SearchIndex.open(sync.index_dir()).generation()
    )
    assert sync.ensure_index_current()
    assert sync.reader().search("秸秆").total == 0
    assert not sync.ensure_index_current()


def test_lost_index_is_rebuilt(sample_issue: Issue) -> None:
    shutil.rmtree(sync.index_dir())
    assert sync.ensure_index_current()
    assert sync.reader().search("经济普查").total >= 1


def test_a_reprinted_doc_number_gets_its_own_url(sample_path: Path, tmp_path: Path) -> None:
    """The same 文号 in a later issue (a reprint) must not take the first one's URL."""
    text = sample_path.read_text(encoding="utf-8")
    for number in (4, 5):
        copy = tmp_path / f"guanxian-2018-0{number}.md"
        cover = f"第{number}期（总第{24 + number}期）"
        copy.write_text(text.replace("第3期（总第27期）", cover), encoding="utf-8")
    assert import_file(sample_path).outcome == "imported"
    for number in (4, 5):
        assert import_file(tmp_path / f"guanxian-2018-0{number}.md").outcome == "imported"
    owners = dict(
        Document.objects.filter(ident__startswith="guanzhengfa-2018-64").values_list(
            "ident", "issue__number"
        )
    )
    assert owners == {
        "guanzhengfa-2018-64": 3,
        "guanzhengfa-2018-64-2": 4,
        "guanzhengfa-2018-64-3": 5,
    }
