"""A citizen finds their way: every public section linked from every page, feeds
announced, the gazette one is in named and searched, the API docs and errors in Chinese."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from gongbao.site.archive.models import Issue
from gongbao.site.archive.services import import_file, publish_issue
from gongbao.testing.generate import generate_issue
from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata = helpers.opendata

SECTIONS = [
    "检索",
    "政府信息公开",
    "依申请公开",
    "公开目录",
    "开放数据",
    "接口文档",
    "订阅",
    "文件核验",
]


def _links(html: str) -> dict[str, str]:
    """Link text → href of every plain <a> on the page."""
    return {
        re.sub(r"<[^>]+>", "", text).strip(): href
        for href, text in re.findall(r'<a [^>]*?href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def test_every_section_reachable_from_home_and_footer(opendata, sample_issue: Issue) -> None:
    client = Client()
    home = client.get("/").content.decode()
    links = _links(home)
    for name in SECTIONS:
        assert name in links, name
        target = links[name].split("#")[0]
        assert client.get(target).status_code == 200, (name, target)
    # The footer carries them on every page, a document page included.
    page = client.get("/doc/guanzhengfa-2018-64/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert all(name in _links(footer) for name in SECTIONS)
    assert 'id="feeds"' in client.get("/data/").content.decode()


def test_feed_autodiscovery_and_subscribe_to_a_search(opendata, sample_issue: Issue) -> None:
    client = Client()
    home = client.get("/").content.decode()
    feeds = re.findall(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', home
    )
    assert len(feeds) == 2
    assert all(client.get(f.replace("&amp;", "&")).status_code == 200 for f in feeds)
    search = client.get("/search/", {"q": "秸秆"}).content.decode()
    feed = re.search(r'<a href="([^"]+)">订阅此检索', search).group(1).replace("&amp;", "&")
    assert "q=%E7%A7%B8%E7%A7%86" in feed
    body = client.get(feed).content.decode()
    assert "秸秆" in body


@pytest.fixture
def two_gazettes(settings, tmp_path, sample_issue: Issue) -> None:
    settings.DEFAULT_GAZETTE = "guanxian"
    path = tmp_path / "tongxi-2017-01.md"
    path.write_text(generate_issue(11, year=2017, number=1, gazette="桐溪县人民政府公报"), "utf-8")
    outcome = import_file(path)
    publish_issue(Issue.objects.get(ident=outcome.issue))


def test_each_gazette_branded_and_searched_on_its_own(two_gazettes) -> None:
    from gongbao.site.archive.models import Gazette

    other = Gazette.objects.exclude(slug="guanxian").get()
    client = Client()
    home = client.get(f"/{other.slug}/").content.decode()
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', home, re.S).group(1)
    assert other.name in brand and "冠县" not in brand
    footer = home[home.index("<footer") :]
    assert other.name in footer
    # The header searches this gazette, with a switch to every gazette.
    assert f'<option value="{other.slug}" selected>本公报</option>' in home
    assert '<option value="">全部公报</option>' in home
    scoped = client.get("/search/", {"q": "工作", "gazette": other.slug}).content.decode()
    assert "改为检索全部公报" in scoped
    everywhere = client.get(f"/{other.slug}/search/", {"q": "工作"}).content.decode()
    assert "改为检索全部公报" in everywhere
    root = client.get("/").content.decode()
    assert "冠县人民政府公报" in re.search(r'<a class="brand"[^>]*>(.*?)</a>', root, re.S).group(1)


def test_api_docs_page_has_viewport_lang_and_landmarks(opendata) -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert '<html lang="zh-CN">' in page
    assert 'name="viewport"' in page
    assert "<main" in page and page.count("<h1") == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/documents?limit=abc"),
        ("get", "/api/v1/documents?year=x"),
        ("get", "/api/v1/documents?date_from=yesterday"),
        ("get", "/api/v1/no-such-endpoint"),
        ("post", "/api/v1/documents"),
        ("get", "/api/v1/issues/no-such-issue"),
    ],
)
def test_api_errors_are_in_chinese(opendata, method: str, url: str) -> None:
    response = getattr(Client(), method)(url)
    assert response.status_code >= 400
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = json.loads(response.content)
    texts = [body["detail"], *(e.get("message", "") for e in body.get("errors", []))]
    for text in texts:
        assert re.search(r"[\u4e00-\u9fff]", text), (url, text)
