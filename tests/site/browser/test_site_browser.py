"""The public site in a real browser: headless Chromium through Playwright.

Run with ``pytest -m browser``. Needs Debian's ``/usr/bin/chromium``: missing, the
tests fail on CI (``CI=true``) and are skipped elsewhere. Screenshots go to
``test-artifacts/`` at the repository root (git-ignored) for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongbao.site.archive.models import Issue
from gongbao.site.archive.services import import_file, publish_issue
from gongbao.testing.generate import generate_issue
from tests.conftest import shared_path
from tests.site.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def default_gazette(settings) -> None:
    # The generated issues form a second gazette; the real one keeps the root.
    settings.DEFAULT_GAZETTE = "guanxian"


@pytest.fixture
def archive(tmp_path: Path) -> None:
    """The real issue plus three generated issues (a second gazette), all published."""
    paths = [shared_path("corpus", "guanxian-2018-03.md")]
    for seed, (year, number) in enumerate([(2017, 1), (2017, 2), (2016, 4)], start=11):
        path = tmp_path / f"tongxixian-{year}-{number:02d}.md"
        text = generate_issue(seed, year=year, number=number, gazette="桐溪县人民政府公报")
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    for path in paths:
        outcome = import_file(path)
        assert outcome.outcome == "imported", outcome.message
        publish_issue(Issue.objects.get(ident=outcome.issue))


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_read_search_filter_and_page(live_server, archive, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "冠县人民政府公报"
    assert page.locator("section[aria-labelledby=gazettes-h] a").count() == 2
    _shot(page, "home.png")

    # Keyboard: the first Tab lands on the skip link, which leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    # Follow the table of contents to a document.
    page.get_by_role("link", name="关于开展第四次经济普查的通知").first.click()
    page.wait_for_url("**/doc/guanzhengfa-2018-64/")
    assert page.locator("h1").inner_text() == "关于开展第四次经济普查的通知"
    assert page.locator("#s1").count() == 1
    _shot(page, "document.png")

    # Search from the header box.
    page.locator("#header-q").fill("秸秆")
    page.locator("#header-q").press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator(".hit h3 a").first
    assert "秸秆" in first.inner_text()
    assert page.locator(".hit mark").count() > 0
    _shot(page, "search.png")

    # Apply a facet filter: the year of the real issue.
    page.locator(".facet a", has_text="2018年").first.click()
    page.wait_for_url("**year=2018*")
    assert "已选条件" in page.locator("main").inner_text()
    assert page.locator(".hit").count() >= 1

    # Page through the results of a common word.
    page.goto(live_server.url + "/search/?q=工作")
    assert page.locator(".pagination").count() == 1
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url("**page=2*")
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "2"
    assert page.locator(".hit").count() >= 1
    _shot(page, "search-page-2.png")
    page.close()


def test_plan_outline_and_mobile_layout(live_server, archive, browser) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 780}, locale="zh-CN")
    for path in ("/", "/2018/3/", "/doc/guanzhengbanfa-2018-41/", "/doc/guanzhengfa-2018-83/"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at 360px ({width}px)"
    page.goto(live_server.url + "/doc/guanzhengfa-2018-64/")
    _shot(page, "document-mobile.png")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/doc/guanzhengbanfa-2018-41/")
    outline = page.locator("nav.outline")
    assert outline.count() == 1
    outline.locator('a[href="#t-s2.1.2.2"]').click()
    assert page.evaluate("location.hash") == "#t-s2.1.2.2"
    _shot(page, "plan.png")
    page.close()
