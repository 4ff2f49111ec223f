"""Every public section reachable by clicking from the home page (headless Chromium,
``-m browser``). Every page type at 360 px, with axe: test_public_browser.py."""

from __future__ import annotations

import pytest

from tests.site import opendata_helpers as helpers
from tests.site.browser.test_site_browser import archive, default_gazette  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
opendata = helpers.opendata


def test_sections_reached_by_clicking_from_home(opendata, live_server, archive, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    wanted = {
        "开放数据": "/data/",
        "文件库": "/library/",
        "政府信息公开": "/xxgk/",
        "依申请公开": "/xxgk/apply/",
        "公开目录": "/xxgk/directory/",
        "接口文档": "/api/v1/docs",
        "订阅": "/data/#feeds",
        "文件核验": "/verify/",
        "检索": "/search/",
    }
    for name, path in wanted.items():
        page.goto(live_server.url + "/")
        page.locator("section.sections").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state("load")
        assert page.url.endswith(path), (name, page.url)
        assert page.locator("h1").count() >= 1
    # The header reaches the main sections on any page, too.
    page.goto(live_server.url + "/doc/guanzhengfa-2018-64/")
    page.locator(".site-nav").get_by_role("link", name="开放数据").click()
    page.wait_for_url("**/data/")
    page.close()
