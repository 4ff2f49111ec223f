"""The document library (文件库): single documents without a gazette frame, and issues meeting them.

Real single documents (../shared/corpus/real) and the sample issue's documents cut
out of its text go in one by one; the issue imported afterwards links them instead
of duplicating them, and a document whose text differs becomes a finding with its diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db.models import Q
from django.test import Client

from gongbao.core import parse_file
from gongbao.site.archive.models import Document, Finding, ImportRecord, Issue, IssueVersion
from gongbao.site.archive.services import import_file, publish_issue
from gongbao.site.search import sync
from tests.conftest import shared_path
from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata = helpers.opendata  # keys, bulk and PDF folders of the test's own

OPINION = "guofa-2023-16"  # 国发〔2023〕16号, a single document from the real corpus
GUANXIAN = "guanxian"


def _real(name: str) -> Path:
    return shared_path("corpus", "real", f"{name}.txt")


def test_single_document_goes_into_the_library(settings):
    outcome = import_file(_real("guofa-2023-16-neimenggu-yijian"))
    assert outcome.outcome == ImportRecord.IMPORTED, outcome.message
    doc = Document.objects.get(ident=OPINION)
    entry = doc.issue
    assert entry.is_library and entry.number == 0 and doc.library == entry
    assert entry.year == 2023 and doc.doc_number == "国发〔2023〕16号"
    assert entry.versions.get().source_name == "guofa-2023-16-neimenggu-yijian.txt"
    again = import_file(_real("guofa-2023-16-neimenggu-yijian"))
    assert again.outcome == ImportRecord.UNCHANGED and Document.objects.count() == 1


def test_published_library_document_has_page_search_and_api():
    """Search and the API serve it like any document (its page: test_library_pages)."""
    outcome = import_file(_real("guofa-2023-16-neimenggu-yijian"))
    publish_issue(Issue.objects.get(ident=outcome.issue))
    doc = Document.objects.get(ident=OPINION)
    client = Client()
    assert client.get(f"/doc/{OPINION}/").status_code == 200
    slug = doc.gazette.slug
    key = f"{slug}/{OPINION}"
    assert [h.doc_id for h in sync.reader().search("国发〔2023〕16号").hits] == [key]
    assert key in [h.doc_id for h in sync.reader().search(doc.title).hits]
    body = json.loads(client.get(f"/api/v1/documents/{slug}/{OPINION}").content)
    assert body["title"] == doc.title
    found = json.loads(client.get("/api/v1/documents", {"q": "国发〔2023〕16号"}).content)
    assert [d["id"] for d in found["results"]] == [OPINION]


def test_document_without_number_gets_issuer_date_title_ident():
    outcome = import_file(_real("yiyang-2014-yuan-yinfa"))
    assert outcome.outcome == ImportRecord.IMPORTED, outcome.message
    doc = Document.objects.get()
    assert not doc.doc_number
    assert doc.ident.startswith("yiyangshirenminzhengfubangongshi-2014-12-25-guanyuyinfa")


def test_same_text_under_another_name_is_not_stored_twice(tmp_path):
    first = import_file(_real("guohan-2004-1-longnan-wiki"))
    text = _real("guohan-2004-1-longnan-wiki").read_text(encoding="utf-8")
    copy = tmp_path / "陇南批复（另存）.txt"
    copy.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    second = import_file(copy)
    assert first.outcome == ImportRecord.IMPORTED
    assert second.outcome == ImportRecord.UNCHANGED
    assert "guohan-2004-1-longnan-wiki.txt" in second.message and "文本相同" in second.message
    assert Document.objects.count() == 1 and IssueVersion.objects.count() == 1


def test_same_number_other_wording_is_a_new_version():
    """Two transcriptions of one 国函 (a wiki copy, an OCR'd scan) differ in wording: the
    second is the first's new version, both kept, and the summary says so."""
    import_file(_real("guohan-2004-1-longnan-wiki"))
    second = import_file(_real("guohan-2004-1-longnan-hardwrap"))
    assert (
        second.outcome == ImportRecord.UPDATED
        and "guohan-2004-1-longnan-wiki.txt" in second.message
    )
    assert Document.objects.count() == 1 and IssueVersion.objects.count() == 2
    # The folder imported again: both files are versions already, neither takes a turn.
    older = import_file(_real("guohan-2004-1-longnan-wiki"))
    assert older.outcome == ImportRecord.UNCHANGED and "第1版" in older.message
    assert import_file(_real("guohan-2004-1-longnan-hardwrap")).outcome == ImportRecord.UNCHANGED
    assert IssueVersion.objects.count() == 2


def test_changed_document_is_a_new_version_and_a_published_one_needs_confirming(tmp_path):
    original = _real("guofa-2023-16-neimenggu-yijian").read_text(encoding="utf-8")
    first = import_file(_real("guofa-2023-16-neimenggu-yijian"))
    changed = tmp_path / "guofa-2023-16-corrected.txt"
    changed.write_text(original.replace("内蒙古", "内蒙古自治区", 1), encoding="utf-8")
    second = import_file(changed)
    assert second.outcome == ImportRecord.UPDATED and second.issue == first.issue
    assert "第2版" in second.message
    doc = Document.objects.get(ident=OPINION)
    assert doc.review_flag == Document.CHANGED and doc.issue.versions.count() == 2
    publish_issue(doc.issue)
    changed.write_text(original.replace("内蒙古", "内蒙古区", 1), encoding="utf-8")
    refused = import_file(changed)
    assert refused.outcome == ImportRecord.REFUSED and "--allow-removals" in refused.message
    assert Document.objects.get(ident=OPINION).issue.versions.count() == 2


def test_confirmed_correction_of_a_published_library_document_waits_for_a_reviewer(tmp_path):
    """Four eyes, as for an issue: the public text stays until a reviewer approves."""
    from django.contrib.auth.models import Group, User

    from gongbao.site.archive.services import HELD
    from gongbao.site.review import services as review
    from gongbao.site.review.models import Publication

    original = _real("guofa-2023-16-neimenggu-yijian").read_text(encoding="utf-8")
    publish_issue(
        Issue.objects.get(ident=import_file(_real("guofa-2023-16-neimenggu-yijian")).issue)
    )
    changed = tmp_path / "guofa-2023-16-corrected.txt"
    changed.write_text(original.replace("内蒙古", "内蒙古自治区", 1), encoding="utf-8")
    held = import_file(changed, allow_removals=True, note="勘误", reason="原文有误")
    assert held.outcome == HELD, held.message
    assert Document.objects.get(ident=OPINION).issue.versions.count() == 1
    reviewer = User.objects.create_user("reviewer1", password="x" * 12, is_staff=True)
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    review.approve(Publication.objects.get(status=Publication.PENDING), reviewer)
    doc = Document.objects.get(ident=OPINION)
    assert doc.issue.versions.count() == 2 and doc.issue.is_library


def test_folder_notes_and_several_gazettes(settings, tmp_path, sample_path):
    from gongbao.commands.archive import collect

    (tmp_path / "README.md").write_text("# 说明\n本文件夹收录的文件。\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in collect([tmp_path])[0]] == ["a.txt"]
    import_file(sample_path)
    Issue.objects.get()  # the sample issue's gazette
    from gongbao.site.archive.models import Gazette

    Gazette.objects.create(slug="other", name="另一公报")
    refused = import_file(_real("guofa-2023-16-neimenggu-yijian"))
    assert refused.outcome == ImportRecord.FAILED and "GONGBAO_DEFAULT_GAZETTE" in refused.message
    assert not Document.objects.filter(ident=OPINION).exists()


# -- issues meet the library ---------------------------------------------------------


def _cut_documents(sample_path: Path, folder: Path) -> dict[str, Path]:
    """Each of the issue's documents as a file of its own, cut from the issue's text at
    the next document's start (a paragraph rejoined across a page break may end after
    the document's last line)."""
    lines = sample_path.read_text(encoding="utf-8").splitlines()
    docs = parse_file(sample_path).documents
    starts = [doc.lines[0] for doc in docs] + [len(lines) + 1]
    folder.mkdir()
    files = {}
    for doc, end in zip(docs, starts[1:], strict=True):
        path = folder / f"{doc.seq:02d}.md"
        path.write_text("\n".join(lines[doc.lines[0] - 1 : end - 1]) + "\n", encoding="utf-8")
        files[doc.ident] = path
    return files


def _import_singly(files: dict[str, Path]) -> dict[str, str]:
    """Import each cut document; the idents of those read as a document on their own."""
    singles = {}
    for ident, path in files.items():
        outcome = import_file(path)
        if outcome.outcome == ImportRecord.IMPORTED:
            singles[ident] = Document.objects.get(issue__ident=outcome.issue).ident
    return singles


def test_issue_links_the_documents_imported_singly(settings, tmp_path, sample_path):
    settings.DEFAULT_GAZETTE = GUANXIAN
    singles = _import_singly(_cut_documents(sample_path, tmp_path / "cut"))
    # The 9 公文 (by 文号) and the 9 news items (a title over a body, no 文号) alone.
    assert len(singles) == 18 and Document.objects.count() == 18
    news = Document.objects.filter(kind="news")
    assert news.count() == 9 and not news.filter(~Q(doc_number="")).exists()
    library_ids = dict(Document.objects.values_list("ident", "pk"))
    for entry in Issue.objects.filter(kind=Issue.LIBRARY):
        publish_issue(entry)
    outcome = import_file(sample_path)
    assert outcome.outcome == ImportRecord.IMPORTED, outcome.message
    issue = Issue.objects.get(ident="guanxian-2018-03")
    assert issue.documents.count() == 18 and Document.objects.count() == 18
    for ident in singles.values():
        doc = Document.objects.get(ident=ident)
        assert doc.pk == library_ids[ident] and doc.issue == issue and doc.library.is_library
    assert not issue.findings.filter(code="library-text-differs").exists()
    assert Issue.objects.get(ident="guanxian-2018-03").gazette.name == "冠县人民政府公报"
    # Public through its library entry while the issue is a draft.
    assert Client().get("/doc/guanzhengfa-2018-64/").status_code == 200


def test_same_number_different_text_is_a_finding_with_a_diff(settings, tmp_path, sample_path):
    settings.DEFAULT_GAZETTE = GUANXIAN
    files = _cut_documents(sample_path, tmp_path / "cut")
    path = files["guanzhengfa-2018-64"]
    text = path.read_text(encoding="utf-8")
    assert "第四次全国经济普查" in text
    path.write_text(text.replace("第四次全国经济普查", "第五次全国经济普查", 1), encoding="utf-8")
    assert import_file(path).outcome == ImportRecord.IMPORTED
    library_doc = Document.objects.get(ident="guanzhengfa-2018-64")
    import_file(sample_path)
    issue = Issue.objects.get(ident="guanxian-2018-03")
    assert issue.documents.count() == 18 and Document.objects.count() == 19
    assert Document.objects.get(pk=library_doc.pk).issue.is_library  # left as it was
    printed = issue.documents.get(doc_number="冠政发〔2018〕64号")
    assert printed.ident == "guanzhengfa-2018-64-2"
    finding = Finding.objects.get(issue=issue, code="library-text-differs")
    assert "-" in finding.message and "第五次全国经济普查" in finding.message
    assert "+" in finding.message and "第四次全国经济普查" in finding.message
    assert finding.document_seq == printed.seq


def test_news_item_without_number_links_by_title_and_text(settings, tmp_path, sample_path):
    """A news item has no 文号: the same title and text is the same item; the same title
    with another text stays apart, and the finding carries the diff."""
    settings.DEFAULT_GAZETTE = GUANXIAN
    files = _cut_documents(sample_path, tmp_path / "cut")
    docs = parse_file(sample_path).documents
    changed, same = [files[d.ident] for d in docs if d.kind == "news"][:2]
    text = changed.read_text(encoding="utf-8")
    assert "分析总结上半年" in text  # in the body: the title stays the same
    changed.write_text(text.replace("分析总结上半年", "分析总结下半年"), encoding="utf-8")
    for path in (same, changed):
        assert import_file(path).outcome == ImportRecord.IMPORTED
    kept = {d.title: d.pk for d in Document.objects.all()}
    import_file(sample_path)
    issue = Issue.objects.get(ident="guanxian-2018-03")
    assert issue.documents.count() == 18 and Document.objects.count() == 19
    finding = Finding.objects.get(issue=issue, code="library-text-differs")
    assert "-" in finding.message and "分析总结下半年" in finding.message
    assert "+" in finding.message and "分析总结上半年" in finding.message
    linked = [d for d in issue.documents.filter(kind="news") if d.pk in kept.values()]
    assert len(linked) == 1 and linked[0].library.is_library


def test_number_taken_by_a_different_document_is_refused(settings, tmp_path, sample_path):
    """Another document printing a 文号 the library holds (another title) would overwrite
    it as its "new version": refused, with both titles named; nothing changes."""
    settings.DEFAULT_GAZETTE = GUANXIAN
    files = _cut_documents(sample_path, tmp_path / "cut")
    assert import_file(files["guanzhengfa-2018-64"]).outcome == ImportRecord.IMPORTED
    other = files["guanzhengfa-2018-80"]
    text = other.read_text(encoding="utf-8")
    assert "冠政发〔2018〕80号" in text
    other.write_text(text.replace("冠政发〔2018〕80号", "冠政发〔2018〕64号"), encoding="utf-8")
    refused = import_file(other)
    assert refused.outcome == ImportRecord.REFUSED, refused.message
    assert (
        "冠政发〔2018〕64号" in refused.message
        and "关于开展第四次经济普查的通知" in refused.message
    )
    assert "黑恶势力" in refused.message and "--allow-removals" in refused.message
    doc = Document.objects.get()
    assert doc.title == "关于开展第四次经济普查的通知" and doc.issue.versions.count() == 1


def test_single_file_of_a_printed_document(settings, tmp_path, sample_path):
    """The other way round: printed first, then the single file: linked, or refused with a diff."""
    settings.DEFAULT_GAZETTE = GUANXIAN
    files = _cut_documents(sample_path, tmp_path / "cut")
    import_file(sample_path)
    same = import_file(files["guanzhengfa-2018-80"])
    assert same.outcome == ImportRecord.IMPORTED and Document.objects.count() == 18
    assert Document.objects.get(ident="guanzhengfa-2018-80").library.ident == same.issue
    path = files["guanzhengfa-2018-64"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("第四次全国经济普查", "第五次全国经济普查", 1), encoding="utf-8")
    refused = import_file(path)
    assert refused.outcome == ImportRecord.REFUSED and "第五次全国经济普查" in refused.message
    assert Document.objects.count() == 18


def test_library_document_has_akn_signed_bundle_tasks_and_index_number(
    opendata, settings, tmp_path, sample_path
):
    """What any document has: AKN, a signed bundle that verifies, 公开属性 with 索引号, tasks."""
    from gongbao.site.disclosure.models import DisclosureRecord
    from gongbao.site.opendata import keys
    from gongbao.site.opendata.verify import verify_bytes
    from gongbao.site.tracker import services as tracker

    settings.DEFAULT_GAZETTE = GUANXIAN
    path = _cut_documents(sample_path, tmp_path / "cut")["guanzhengbanfa-2018-50"]
    publish_issue(Issue.objects.get(ident=import_file(path).issue))
    doc = Document.objects.get(ident="guanzhengbanfa-2018-50")
    client = Client()
    akn = client.get(f"/akn/doc/{GUANXIAN}/{doc.ident}.xml")
    assert akn.status_code == 200 and "冠政办发〔2018〕50号" in akn.content.decode()
    bundle = client.get(f"/bundle/doc/{GUANXIAN}/{doc.ident}.json").content
    assert verify_bytes(bundle, keys=keys.public_keys()).ok
    record = DisclosureRecord.objects.get(gazette=doc.gazette, ident=doc.ident)
    assert record.attribute == DisclosureRecord.PUBLIC and record.index_number
    assert tracker.extract_for_document(doc).created > 0


# -- saved web pages -----------------------------------------------------------------

PAGES = Path(__file__).parent.parent / "data" / "html"


def test_web_page_keeps_its_metadata_table_and_reports_where_it_contradicts_the_text(tmp_path):
    pytest.importorskip("readability")
    page = (PAGES / "county-xxgk-table.html").read_text(encoding="utf-8")
    wrong = tmp_path / "wrong-metadata.html"
    wrong.write_text(
        page.replace("<td>冠政发〔2018〕64号</td>", "<td>冠政发〔2018〕65号</td>").replace(
            "<td>2018年7月23日</td>", "<td>2018年7月24日</td>"
        ),
        encoding="utf-8",
    )
    outcome = import_file(wrong)
    assert outcome.outcome == ImportRecord.IMPORTED, outcome.message
    assert outcome.message.startswith("网页信息表与正文不一致，以正文为准")  # the summary's line
    assert "冠政发〔2018〕65号" in outcome.message
    doc = Document.objects.get()
    assert doc.ident == "guanzhengfa-2018-64" and doc.date.isoformat() == "2018-07-23"  # text wins
    version = doc.issue.versions.get()
    assert version.parsed["portal_metadata"]["文号"] == "冠政发〔2018〕65号"
    messages = sorted(f.message for f in doc.issue.findings.filter(code="portal-metadata-differs"))
    assert len(messages) == 2
    assert "2018年7月24日" in messages[0] and "以正文为准" in messages[0]
    assert "冠政发〔2018〕65号" in messages[1] and "冠政发〔2018〕64号" in messages[1]


def test_navigation_only_page_is_refused_with_a_clear_message():
    pytest.importorskip("readability")
    outcome = import_file(PAGES / "nav-only.html")
    assert outcome.outcome == ImportRecord.FAILED and "不像一篇公文" in outcome.message
    assert not Document.objects.exists()


def test_bad_inputs_each_get_a_line_in_the_import_summary(settings, tmp_path, sample_path, capsys):
    """``gongbao import`` of a folder holding each bad input: one clear line each, and
    nothing archived changes (no new version)."""
    pytest.importorskip("readability")
    from gongbao.cli import main

    settings.DEFAULT_GAZETTE = GUANXIAN
    files = _cut_documents(sample_path, tmp_path / "cut")
    folder = tmp_path / "in"
    folder.mkdir()
    notice = files["guanzhengfa-2018-64"].read_text(encoding="utf-8")
    (folder / "1-notice.md").write_text(notice, encoding="utf-8")
    (folder / "2-copy.md").write_text(notice.replace("\n", "\r\n"), encoding="utf-8")
    other = files["guanzhengfa-2018-80"].read_text(encoding="utf-8")
    (folder / "3-taken.md").write_text(
        other.replace("冠政发〔2018〕80号", "冠政发〔2018〕64号"), encoding="utf-8"
    )
    (folder / "4-nav.html").write_bytes((PAGES / "nav-only.html").read_bytes())
    page = (PAGES / "province-xxgk-detail.html").read_text(encoding="utf-8")
    (folder / "5-page.html").write_text(
        page.replace("<td>2019年5月10日</td>", "<td>2019年5月9日</td>"), encoding="utf-8"
    )
    assert main(["import", str(folder), "-q"]) == 1
    out = capsys.readouterr().out
    assert "共 5 个文件：新导入 2，已更新 0，未变化 1，失败 1，待确认 1" in out
    lines = {line.split("：", 2)[1].rsplit("/", 1)[-1]: line for line in out.splitlines()[1:]}
    assert lines["2-copy.md"].startswith("  说明：") and "与已导入的 1-notice.md 文本相同" in out
    assert (
        lines["3-taken.md"].startswith("  待确认：")
        and "已由文件库中的《关于开展第四次经济普查的通知》使用" in lines["3-taken.md"]
    )
    assert lines["4-nav.html"].startswith("  失败：") and "不像一篇公文" in lines["4-nav.html"]
    assert lines["5-page.html"].startswith("  说明：")
    assert "成文日期：网页信息表为“2019年5月9日”，正文为“2019-05-10”" in lines["5-page.html"]
    assert Document.objects.count() == 2 and IssueVersion.objects.count() == 2
    assert Document.objects.get(ident="guanzhengfa-2018-64").title == "关于开展第四次经济普查的通知"
