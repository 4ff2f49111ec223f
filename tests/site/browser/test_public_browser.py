"""Every public page type as a citizen on a phone meets it (headless Chromium, ``-m browser``):
360 px wide without sideways scrolling, no axe-core accessibility violations, and the
header's sections — each page's own marked ``aria-current`` — on every page.

One browser, one page, one archive: the real issue, a second gazette, a document with
confirmed 时效性 (a third gazette), the keys and bulk files of the open data.
"""

from __future__ import annotations

import pytest

from gongbao.site.archive.models import Gazette
from tests.site import opendata_helpers as helpers
from tests.site.browser.conftest import ARTIFACTS
from tests.site.browser.test_site_browser import archive, default_gazette  # noqa: F401
from tests.site.test_lifecycle_site import _confirm_all, chain  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
opendata = helpers.opendata

WIDTH = 360
NAV = ["公报", "检索", "文件库", "政务公开", "开放数据", "接口文档", "订阅", "核验"]

# path → the header section it belongs to (aria-current), "" for none
PAGE_TYPES = {
    "/": "公报",
    "/2018/": "公报",
    "/2018/3/": "公报",
    "/doc/guanzhengbanfa-2018-41/": "公报",  # a plan: outline, deep headings, tables
    "/doc/guanzhengfa-2018-64/": "公报",
    "/mouxian/doc/mouzhengfa-2015-8/": "公报",  # 时效性: status, chain, timeline
    "/search/?q=秸秆": "检索",
    "/search/?q=秸秆 -禁烧 OR 普查": "检索",  # operators read back in a notice
    "/library/": "文件库",
    "/xxgk/": "政务公开",
    "/xxgk/apply/": "政务公开",  # the request form
    "/xxgk/status/": "政务公开",
    "/xxgk/directory/": "政务公开",
    "/xxgk/catalog/": "政务公开",  # 主动公开基本目录
    "/data/": "开放数据",
    "/keys/": "核验",
    "/verify/": "核验",
    "/api/v1/docs": "接口文档",
    "/accounts/login/": "",
    "/no-such-page/": "",
}


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:160]}"
        for v in response["violations"]
        for node in v["nodes"][:3]
    ]


def test_every_page_type_fits_a_phone_is_accessible_and_navigable(
    opendata,
    live_server,
    archive,  # noqa: F811
    chain,  # noqa: F811
    browser,
) -> None:
    _confirm_all()
    other = Gazette.objects.get(name="桐溪县人民政府公报")
    scoped = f"/search/?q=工作&gazette={other.slug}"  # the header search of its pages
    pages = {
        **PAGE_TYPES,
        f"/{other.slug}/": "公报",
        f"/{other.slug}/2017/1/": "公报",
        f"/{other.slug}/search/?q=工作": "检索",
        scoped: "检索",
    }
    page = browser.new_page(viewport={"width": WIDTH, "height": 780}, locale="zh-CN")
    problems: list[str] = []
    for path, section in pages.items():
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        assert response is not None and response.status == (404 if "no-such" in path else 200)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > WIDTH:
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
            problems.append(f"{path}: {width}px 宽，横向滚动")
        nav = page.locator(".site-nav")
        names = [a.strip() for a in nav.locator("a").all_inner_texts()]
        if names != NAV:
            problems.append(f"{path}: 导航 {names}")
        current = nav.locator('[aria-current="page"]').all_inner_texts()
        if current != ([section] if section else []):
            problems.append(f"{path}: aria-current {current}，应为 {section or '无'}")
        if path.startswith(f"/{other.slug}/") or path == scoped:
            # the gazette one is in names the page and its footer, and its search is scoped
            assert other.name in page.locator(".brand").inner_text(), path
            assert other.name in page.locator(".site-footer").inner_text(), path
            if "search" in path:  # its own form instead of the header's; the switch to all
                assert page.get_by_role("link", name="改为检索全部公报").count() == 1, path
            else:
                assert page.locator("#header-scope").input_value() == other.slug, path
        problems += [f"{path}: axe {v}" for v in _axe(page)]
    page.close()
    assert not problems, "\n".join(problems)
