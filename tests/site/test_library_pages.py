"""The 政府信息公开 view and a document page's two records (gazette printing, library entry)."""

from __future__ import annotations

import pytest
from django.test import Client

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
