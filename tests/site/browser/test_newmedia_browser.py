"""New media in a real browser: the 公众号 article loads nothing from anywhere; phone width.

The article is opened with every request routed: anything but a ``data:`` URI is
recorded and aborted, and there must be none. The document and issue pages are
read at 360 px (a phone, and what a 公众号 link opens in WeChat's browser).
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.site.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOC = "guanzhengfa-2018-64"


def test_wechat_article_is_self_contained_and_pages_fit_a_phone(
    live_server, sample_issue, browser, settings
) -> None:
    settings.DEFAULT_GAZETTE = "guanxian"
    html = Client().get(f"/wechat/doc/guanxian/{DOC}.html").content.decode()
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
    requests: list[str] = []

    def guard(route) -> None:
        if not route.request.url.startswith("data:"):
            requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    page.set_content(html, wait_until="load")
    assert requests == []
    assert page.locator("h1").inner_text() == "关于开展第四次经济普查的通知"
    # the QR code, a data: URI, is drawn
    assert page.evaluate("document.querySelector('img').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "wechat-article.png"), full_page=False)
    page.unroute("**/*")

    # The reading pages at 360 px: no sideways scrolling, the downloads are reachable.
    for path in (f"/guanxian/doc/{DOC}/", "/guanxian/2018/3/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.goto(live_server.url + f"/guanxian/doc/{DOC}/")
    assert page.get_by_role("link", name="公众号文章（可直接粘贴到编辑器）").is_visible()
    page.screenshot(path=str(ARTIFACTS / "document-360.png"), full_page=False)
