"""Every page type at 360 px without sideways scrolling, and every public section
reachable by clicking from the home page (headless Chromium, ``-m browser``)."""

from __future__ import annotations

import pytest

from gongbao.site.archive.models import Gazette
from tests.site import opendata_helpers as helpers
from tests.site.browser.conftest import ARTIFACTS
from tests.site.browser.test_site_browser import archive, default_gazette  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
opendata = helpers.opendata

PAGE_TYPES = [
    "/",
    "/2018/",
    "/2018/3/",
    "/doc/guanzhengbanfa-2018-41/",  # a plan: outline, deep headings, tables
    "/doc/guanzhengfa-2018-64/",
    "/search/?q=秸秆",
    "/search/?q=企业开办要几天",  # ranked, with the exact count
    "/search/?q=秸秆 -禁烧 OR 普查",  # operators read back in a notice
    "/data/",
    "/keys/",
    "/verify/",
    "/xxgk/",
    "/xxgk/apply/",
    "/xxgk/status/",
    "/xxgk/directory/",
    "/xxgk/catalog/",
    "/api/v1/docs",
    "/accounts/login/",
    "/no-such-page/",
]


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_page_type_fits_360px(opendata, live_server, archive, browser) -> None:  # noqa: F811
    other = Gazette.objects.exclude(slug="guanxian").get()
    page = browser.new_page(viewport={"width": 360, "height": 780}, locale="zh-CN")
    wide = []
    for path in [*PAGE_TYPES, f"/{other.slug}/", f"/{other.slug}/search/?q=工作"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        if path in ("/data/", "/keys/"):
            # the wide parts (the files' table, the keys) are there to be measured
            assert page.locator("code.hash").count() >= 1, path
        if _overflow(page) > 360:
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=str(ARTIFACTS / f"overflow-{name}.png"), full_page=True)
            wide.append((path, _overflow(page)))
    page.close()
    assert not wide, f"scrolls sideways at 360px: {wide}"


def test_sections_reached_by_clicking_from_home(opendata, live_server, archive, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    wanted = {
        "开放数据": "/data/",
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
