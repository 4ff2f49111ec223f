"""The 政府信息公开 view and a document page's two records (gazette printing, library entry)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongbao.site.archive.models import Document, Issue
from gongbao.site.archive.services import import_file, publish_issue
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db(transaction=True)


def _real(name: str):
    return shared_path("corpus", "real", f"{name}.txt")


def _cut(sample_path, folder, ident: str):
    """One of the sample issue's documents as a file of its own (to the next one's start)."""
    from gongbao.core import parse_file

    lines = sample_path.read_text(encoding="utf-8").splitlines()
    docs = parse_file(sample_path).documents
    here = next(i for i, d in enumerate(docs) if d.ident == ident)
    path = folder / f"{ident}.md"
    text = "\n".join(lines[docs[here].lines[0] - 1 : docs[here + 1].lines[0] - 1])
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.fixture
def library(settings, tmp_path, sample_path):
    """Two single documents published in the guanxian library, one then printed by the
    (published) sample issue."""
    settings.DEFAULT_GAZETTE = "guanxian"
    for path in (
        _real("guofa-2023-16-neimenggu-yijian"),
        _cut(sample_path, tmp_path, "guanzhengfa-2018-64"),
    ):
        publish_issue(Issue.objects.get(ident=import_file(path).issue))
    publish_issue(Issue.objects.get(ident=import_file(sample_path).issue))


def test_library_document_page_names_its_library_record(library):
    html = Client().get("/doc/guofa-2023-16/").content.decode()
    assert "文件库" in html and "guofa-2023-16-neimenggu-yijian.txt" in html
    assert "尚未刊载于公报" in html and "刊载于 <a" not in html
    assert 'href="/library/"' in html  # its breadcrumb leads to the 政府信息公开 view


def test_printed_document_shows_both_records(library):
    html = Client().get("/doc/guanzhengfa-2018-64/").content.decode()
    assert "刊载于 <a" in html and "《冠县人民政府公报》2018年第3期" in html and "第7页" in html
    assert "guanzhengfa-2018-64.md" in html and "尚未刊载于公报" not in html


def test_library_entries_are_not_listed_as_issues(library):
    year = Client().get("/2023/")
    assert year.status_code == 404  # the 2023 opinion is a library document, not an issue
    assert Client().get("/2023/0/").status_code == 404


def test_library_view_browses_by_issuer_year_and_kind(library):
    c = Client()
    page = c.get("/library/")
    html = page.content.decode()
    assert page.status_code == 200 and "共 19 篇" in html  # 18 printed + 1 library-only
    assert "国务院" in html and "冠县人民政府" in html and "2023" in html
    only = c.get("/library/", {"issuer": "国务院"}).content.decode()
    assert "共 1 篇" in only and "关于推动内蒙古高质量发展" in only
    by_year = c.get("/library/", {"year": "2018"}).content.decode()
    assert "共 18 篇" in by_year and "关于推动内蒙古" not in by_year
    kinds = c.get("/library/", {"kind": "opinion"}).content.decode()
    assert "关于推动内蒙古高质量发展" in kinds
    assert c.get("/library/", {"year": "abc", "kind": "<x>"}).status_code == 200


def test_header_calls_the_library_wenjianku_apart_from_disclosure(library):
    """政府信息公开 at /xxgk/ is the disclosure section's; the library is 文件库."""
    html = Client().get("/library/").content.decode()
    nav = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/library/" aria-current="page">文件库</a>' in nav
    assert 'href="/xxgk/"' in nav and "政府信息公开" not in nav
    assert '<h1 class="page-title">文件库</h1>' in html


def test_library_view_shows_index_numbers(library):
    from gongbao.site.disclosure.models import DisclosureRecord

    doc = Document.objects.get(ident="guofa-2023-16")
    number = DisclosureRecord.objects.get(gazette=doc.gazette, ident=doc.ident).index_number
    assert number and number in Client().get("/library/").content.decode()
    assert number in Client().get("/doc/guofa-2023-16/").content.decode()


def test_open_data_lists_library_documents_not_as_issues(library):
    """Feeds, sitemap and the API carry the library document; no list shows its entry as
    an issue (its URL would be no page)."""
    c = Client()
    docs_feed = c.get("/feeds/documents.atom").content.decode()
    assert "/doc/guofa-2023-16/" in docs_feed
    assert "wj-guofa-2023-16" not in c.get("/feeds/issues.atom").content.decode()
    sitemap = c.get("/sitemap.xml").content.decode()
    assert "/doc/guofa-2023-16/" in sitemap and "/2023/0/" not in sitemap
    issues = c.get("/api/v1/issues").json()
    assert [i["id"] for i in issues["results"]] == ["guanxian-2018-03"]
    listed = c.get("/api/v1/documents", {"limit": 100}).json()
    assert "guofa-2023-16" in [d["id"] for d in listed["results"]]


# -- saved 政府信息公开 pages: the portal's metadata and the page's attachments -------------

PAGES = Path(__file__).parent.parent / "data" / "html"
SAVED = ("county-xxgk-table.html", "province-xxgk-detail.html", "county-attachments.html")


@pytest.fixture
def saved_pages(tmp_path):
    """Three saved pages imported from a copy of their folder (with the attachment files
    saved beside them) and published; their outcomes by file name."""
    pytest.importorskip("readability")
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    outcomes = {}
    for name in SAVED:
        outcomes[name] = import_file(folder / name)
        assert outcomes[name].outcome == "imported", outcomes[name].message
        publish_issue(Issue.objects.get(ident=outcomes[name].issue))
    return outcomes


def test_library_is_browsable_by_topic_with_counts(saved_pages):
    c = Client()
    html = c.get("/library/").content.decode()
    assert "主题分类" in html and "共 3 篇" in html
    for topic in ("综合政务", "城乡建设、环境保护", "安全生产监管"):
        assert f'{topic}</a> <span class="count">1</span>' in html
    assert "11370000004XXXXXXX/2019-00045" not in html  # the portal's 索引号 is its own record
    only = c.get("/library/", {"topic": "安全生产监管"}).content.decode()
    assert "共 1 篇" in only and "关于开展2019年度安全生产大检查的通知" in only
    assert "关于加强农村生活垃圾治理工作的通知" not in only
    issuer = c.get("/library/", {"issuer": "山东省人民政府办公厅"}).content.decode()
    assert "共 1 篇" in issuer and "城乡建设、环境保护" in issuer


def test_document_page_shows_the_portal_metadata_as_its_own_source(saved_pages):
    html = Client().get("/doc/luzhengbanzi-2019-45/").content.decode()
    assert "网页信息表" in html and "province-xxgk-detail.html" in html
    assert "11370000004XXXXXXX/2019-00045" in html and "2019年5月14日" in html
    assert "以正文为准" in html and "尚未刊载于公报" in html


def test_saved_attachments_are_stored_and_downloadable(saved_pages):
    from gongbao.site.portal.models import PortalAttachment

    outcome = saved_pages["county-attachments.html"]
    assert "网页附件 3 个已存入" in outcome.message
    assert "未保存的附件" not in outcome.message and "P020190311999999.docx" in outcome.message
    stored = PortalAttachment.objects.filter(ident="yangzhengbanfa-2019-12")
    assert [a.name for a in stored] == ["P020190311123456.pdf", "统计表.xls", "回执.doc"]
    html = Client().get("/doc/yangzhengbanfa-2019-12/").content.decode()
    assert "网页附件" in html and "安全生产大检查情况统计表.xls" in html
    for item in stored:
        url = reverse("portal:file", args=[item.pk, item.name])
        assert url in html
        got = Client().get(url)
        assert got.status_code == 200
        saved = PAGES / ("" if item.name == "回执.doc" else "county-attachments_files") / item.name
        assert b"".join(got.streaming_content if got.streaming else [got.content]) == (
            saved.read_bytes()
        )
    assert Client().get(reverse("portal:file", args=[stored[0].pk, "other.pdf"])).status_code == 404


def test_attachments_of_a_draft_are_not_public(tmp_path):
    pytest.importorskip("readability")
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    import_file(folder / "county-attachments.html")  # left a draft
    from gongbao.site.portal.models import PortalAttachment

    item = PortalAttachment.objects.first()
    assert Client().get(reverse("portal:file", args=[item.pk, item.name])).status_code == 404


def test_a_saved_page_imported_again_changes_nothing(saved_pages, tmp_path):
    from gongbao.site.portal.models import PortalAttachment, PortalRecord

    before = list(PortalAttachment.objects.values_list("pk", "sha256"))
    again = import_file(tmp_path / "pages" / "county-attachments.html")
    assert again.outcome == "unchanged"
    assert list(PortalAttachment.objects.values_list("pk", "sha256")) == before
    assert PortalRecord.objects.count() == 3


def test_a_folder_of_saved_pages_imports_their_files_as_attachments_only(tmp_path):
    """``gongbao import DIR``: the files saved with a page are its attachments, not
    documents of their own."""
    from gongbao.commands.archive import collect

    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    names = sorted(p.relative_to(folder).as_posix() for p in collect([folder])[0])
    assert names == sorted(p.name for p in PAGES.glob("*.html"))
