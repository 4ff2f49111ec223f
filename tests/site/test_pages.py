"""Public pages: home, years, issues, documents, search, drafts and their caching."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from gongbao.site.archive.models import BodyNode, Document, Issue, Redirect
from gongbao.site.archive.services import unpublish_issue

pytestmark = pytest.mark.django_db(transaction=True)

DOC_64 = "guanzhengfa-2018-64"
PLAN_41 = "guanzhengbanfa-2018-41"
STRAW_62 = "guanzhengbanfa-2018-62"


class _Links(HTMLParser):
    """Collects hrefs and ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "h1":
            self.h1 += 1


def _parse(html: bytes) -> _Links:
    parser = _Links()
    parser.feed(html.decode("utf-8"))
    return parser


def _hit_idents(response) -> list[str]:
    return [h["hit"].doc_id.split("/", 1)[1] for h in response.context["hits"]]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# -- home, year, issue -------------------------------------------------------


def test_home_shows_latest_issue_and_years(client, sample_issue) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "冠县人民政府公报" in html and "2018年第3期" in html and "总第27期" in html
    assert 'href="/2018/"' in html and "1期" in html
    assert "跳到正文" in html
    assert _parse(response.content).h1 == 1
    assert response["Cache-Control"] == "public, max-age=300"


def test_year_page_lists_issues(client, sample_issue) -> None:
    response = client.get("/2018/")
    assert response.status_code == 200
    assert 'href="/2018/3/"' in response.content.decode()
    assert "18篇文件" in response.content.decode()


def test_issue_toc_links_resolve_to_documents(client, sample_issue) -> None:
    response = client.get("/2018/3/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("第3期", "总第27期", "领导讲话", "县政府文件", "县政府办公室文件", "其他"):
        assert text in html
    page = _parse(response.content)
    assert {"sec-1", "sec-2", "sec-3", "sec-4"} <= page.ids
    doc_links = [h for h in page.hrefs if h.startswith("/doc/")]
    assert len(doc_links) == 18
    for href in doc_links:
        assert client.get(href).status_code == 200, href
    assert re.search(r'<span class="toc-page">.*?7.*?</span>', html)


def test_gazette_prefixed_urls_work_too(client, sample_issue) -> None:
    assert client.get("/guanxian/").status_code == 200
    assert client.get("/guanxian/2018/").status_code == 200
    assert client.get("/guanxian/2018/3/").status_code == 200
    assert client.get(f"/guanxian/doc/{DOC_64}/").status_code == 200
    assert client.get("/guanxian/search/?q=秸秆").status_code == 200
    # the default gazette's own links stay at the root
    assert f'href="/doc/{DOC_64}/"' in client.get("/guanxian/2018/3/").content.decode()


# -- document ----------------------------------------------------------------


def test_document_metadata(client, sample_issue) -> None:
    response = client.get(f"/doc/{DOC_64}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "关于开展第四次经济普查的通知</h1>" in html
    assert re.search(r"<dt>文号</dt><dd>冠政发〔2018〕64号</dd>", html)
    assert re.search(r"<dt>发文机关</dt><dd>冠县人民政府</dd>", html)
    assert re.search(r"<dt>成文日期</dt><dd><time[^>]*>2018年8月1日</time></dd>", html)
    assert "<dt>主送机关</dt><dd>县经济开发区管委会" in html
    assert "冠县第四次经济普查领导小组组成人员名单" in html  # 附件
    assert "“县政府文件”栏目，第7页" in html
    assert _parse(response.content).h1 == 1


def test_document_anchors_and_headings(client, sample_issue) -> None:
    doc = Document.objects.get(ident=DOC_64)
    response = client.get(f"/doc/{DOC_64}/")
    ids = _parse(response.content).ids
    anchors = set(BodyNode.objects.filter(document=doc).values_list("anchor", flat=True))
    assert anchors and anchors <= ids
    html = response.content.decode()
    assert "<h2>一、普查目的</h2>" in html
    assert "<h3>（一）严格依法普查。</h3>" in html
    assert '<p class="lines" id="a1-p1">组 长：赵存吉' in html and "<br>" in html


def test_plan_outline(client, sample_issue) -> None:
    response = client.get(f"/doc/{PLAN_41}/")
    assert response.status_code == 200
    html = response.content.decode()
    outline = html.split('<nav class="outline"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#plan"' in outline and "冠县全面推进政务公开工作实施方案" in outline
    assert 'href="#t-s2.1.2.2"' in outline  # task (4), four levels deep
    assert outline.count("<ul>") > 3  # nested
    assert '<h2 class="plan-title">冠县全面推进政务公开工作实施方案</h2>' in html
    assert "<h7" not in html  # heading levels are capped at h6
    assert "<strong>主要任务：</strong>" in html


def test_short_document_has_no_outline(client, sample_issue) -> None:
    html = client.get("/doc/guanxian-2018-03-12/").content.decode()
    assert 'class="outline"' not in html


def test_previous_and_next(client, sample_issue) -> None:
    html = client.get(f"/doc/{DOC_64}/").content.decode()
    assert 'rel="prev" href="/doc/guanxian-2018-03-01/"' in html
    assert 'rel="next" href="/doc/guanzhengfa-2018-80/"' in html
    first = client.get("/doc/guanxian-2018-03-01/").content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first


def test_old_ident_redirects(client, sample_issue) -> None:
    doc = Document.objects.get(ident=DOC_64)
    Redirect.objects.create(gazette=doc.gazette, old_ident="guanzhengfa-2018-63", document=doc)
    response = client.get("/doc/guanzhengfa-2018-63/")
    assert response.status_code == 301 and response["Location"] == f"/doc/{DOC_64}/"
    response = client.get("/guanxian/doc/guanzhengfa-2018-63/")
    assert response.status_code == 301


def test_plan_ident_redirects_to_its_notice(client, sample_issue) -> None:
    response = client.get(f"/doc/{PLAN_41}-text/")
    assert response.status_code == 301 and response["Location"] == f"/doc/{PLAN_41}/#plan"


@pytest.mark.parametrize(
    "url", ["/2017/", "/2018/9/", "/doc/no-such-doc/", "/nosuchgazette/", "/nosuchgazette/2018/"]
)
def test_unknown_pages_are_404(client, sample_issue, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'lang="zh-CN"' in html


def test_document_queries_are_few_and_constant(
    client, sample_issue, django_assert_max_num_queries
) -> None:
    client.get(f"/doc/{PLAN_41}/")  # warm the body cache
    with django_assert_max_num_queries(3):
        assert client.get(f"/doc/{PLAN_41}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"/doc/{DOC_64}/").status_code == 200  # cold: + the data query
    with django_assert_max_num_queries(4):
        assert client.get("/2018/3/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


def test_body_cache_follows_the_issue_version(client, sample_issue) -> None:
    client.get(f"/doc/{DOC_64}/")
    doc = Document.objects.select_related("issue").get(ident=DOC_64)
    key = f"gongbao:body:{doc.pk}:{doc.issue.updated_at.timestamp()}"
    assert cache.get(key) is not None


# -- drafts ------------------------------------------------------------------


def test_drafts_are_hidden_from_the_public(client, admin_client, sample_issue) -> None:
    unpublish_issue(sample_issue)
    for url in ("/2018/", "/2018/3/", f"/doc/{DOC_64}/", "/guanxian/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/").status_code == 200
    response = client.get("/search/", {"q": "经济普查"})
    assert response.status_code == 200 and response.context["results"].total == 0
    assert client.get("/search/").context["results"].total == 0

    for url in ("/2018/3/", f"/doc/{DOC_64}/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "草稿（未发布）" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
    assert "草稿（未发布）" in admin_client.get("/2018/").content.decode()
    assert Issue.objects.get().status == Issue.DRAFT


def test_staff_pages_are_not_cached_publicly(admin_client, sample_issue) -> None:
    response = admin_client.get(f"/doc/{DOC_64}/")
    assert response["Cache-Control"] == "private, no-store"
    assert "草稿（未发布）" not in response.content.decode()


# -- search ------------------------------------------------------------------


def test_search_straw_burning(client, sample_issue) -> None:
    response = client.get("/search/", {"q": "秸秆"})
    assert response.status_code == 200
    assert _hit_idents(response)[0] == STRAW_62
    html = response.content.decode()
    assert "<mark>秸秆</mark>" in html
    assert f'href="/doc/{STRAW_62}/#' in html


def test_search_poverty_lands_on_task_4(client, sample_issue) -> None:
    node = next(
        n
        for n in BodyNode.objects.filter(document__ident=PLAN_41, kind="section")
        if n.heading.startswith(("（4）", "(4)"))
    )
    response = client.get("/search/", {"q": "扶贫"})
    hit = next(h for h in response.context["hits"] if h["hit"].doc_id.endswith("/" + PLAN_41))
    assert hit["hit"].passages[0].anchor == node.anchor
    assert hit["passages"][0]["url"] == f"/doc/{PLAN_41}/#{node.anchor}"
    assert len(hit["passages"]) <= 3


@pytest.mark.parametrize(
    "q", ["冠政发〔2018〕64号", "冠政发[2018]64号", "冠政发(2018)64号", "冠政发2018 64", "经济普查"]
)
def test_search_by_doc_number_and_words(client, sample_issue, q: str) -> None:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert _hit_idents(response)[0] == DOC_64


def test_search_filters_and_facets(client, sample_issue) -> None:
    everything = client.get("/search/")
    assert everything.context["results"].total == 18
    facets = {f["key"]: f for f in everything.context["facets"]}
    sections = {v["label"]: v["count"] for v in facets["section"]["values"]}
    assert sections["其他"] == 9 and sections["县政府办公室文件"] == 5
    assert {v["label"]: v["count"] for v in facets["year"]["values"]} == {"2018年": 18}
    link = next(v["url"] for v in facets["section"]["values"] if v["label"] == "县政府文件")
    filtered = client.get("/search/" + link)
    assert filtered.context["results"].total == 3
    assert set(_hit_idents(filtered)) == {DOC_64, "guanzhengfa-2018-80", "guanzhengfa-2018-83"}
    assert "已选条件" in filtered.content.decode()
    assert client.get("/search/", {"year": "2017"}).context["results"].total == 0
    assert client.get("/search/", {"year": "2018", "q": "秸秆"}).context["results"].total >= 1
    dated = client.get("/search/", {"date_from": "2018-09-01", "date_to": "2018-09-30"})
    assert all(h["hit"].date.startswith("2018-09") for h in dated.context["hits"])
    assert dated.context["results"].total > 0


def test_search_pagination(client, sample_issue) -> None:
    first = client.get("/search/")
    assert first.context["last"] == 2 and len(first.context["hits"]) == 10
    html = first.content.decode()
    assert "下一页" in html and 'href="?page=2" rel="next"' in html
    second = client.get("/search/", {"page": "2"})
    assert len(second.context["hits"]) == 8 and second.context["page"] == 2
    assert not set(_hit_idents(first)) & set(_hit_idents(second))
    assert '共 <strong class="total">18</strong> 篇' in second.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"'},
        {"q": "*"},
        {"q": ":"},
        {"q": "AND OR NOT"},
        {"q": "(("},
        {"q": "经济" * 2500},
        {"q": "秸秆", "page": "abc"},
        {"q": "秸秆", "page": "-1"},
        {"q": "秸秆", "page": "99999"},
        {"q": "秸秆", "page": "0"},
        {"page": "1e9"},
        {"q": "秸秆", "date_from": "2018-13-45"},
        {"q": "秸秆", "date_to": "yesterday"},
        {"date_from": "2018-10-01", "date_to": "2018-01-01"},
        {"year": "abc"},
        {"year": "-5"},
        {"q": "\x00\x1f<script>alert(1)</script>"},
        {"sort": "nonsense", "kind": "<b>"},
    ],
)
def test_nasty_queries_never_fail(client, sample_issue, params: dict) -> None:
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    if params.get("page") in ("abc", "-1", "0", "1e9"):
        assert "无效" in html
    if params.get("page") == "99999":
        assert "显示最后一页" in html
    if "date_from" in params or "date_to" in params:
        assert "日期" in html


def test_search_warns_about_long_queries(client, sample_issue) -> None:
    response = client.get("/search/", {"q": "经济" * 5000})
    assert response.status_code == 200
    assert "检索词过长" in response.content.decode()


def test_staff_see_the_proofreading_report_beside_the_text(
    client, admin_client, sample_issue
) -> None:
    """The TOC mismatch and the lifted signature of 冠政发〔2018〕83号, linked to their place."""
    url = "/doc/guanzhengfa-2018-83/"
    page = admin_client.get(url).content.decode()
    assert "校对意见" in page
    assert "目录与正文标题不一致" in page
    assert "署名印在另一文件的句子中间" in page
    anchors = re.findall(r'<li class="finding warning">署名[^<]*<a href="#([^"]+)">定位</a>', page)
    assert anchors and f'id="{anchors[0]}"' in page
    assert "校对意见" not in client.get(url).content.decode()  # not for the public
