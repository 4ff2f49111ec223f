"""依申请公开 end to end in a real browser: file, handle to a reply, read the reply.

Run with ``pytest -m browser``. Needs ``/usr/bin/chromium`` (fails on CI when
missing, skips elsewhere). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import pytest

from gongbao.site.disclosure import forms
from tests.site.browser.conftest import ARTIFACTS
from tests.site.disclosure_helpers import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_filed_handled_and_answered(live_server, browser, monkeypatch) -> None:
    monkeypatch.setattr(forms, "MIN_FILL_SECONDS", 0)  # the robot types faster than a person
    editor = staff("officer", "editor")
    editor.set_password("pass-word-123")
    editor.save()

    # 1. The requester files an application on the public form.
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(live_server.url + "/xxgk/apply/")
    assert page.locator("h1").inner_text() == "申请公开政府信息"
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称 *").fill("王小明")
    page.get_by_label("证件号码 *").fill("11010519491231002X")
    page.get_by_label("联系电话 *").fill("13812345678")
    page.get_by_label("电子邮箱").fill("wxm@example.com")
    page.get_by_label("所需政府信息的名称或内容描述 *").fill(
        "冠县2018年第四次经济普查领导小组组成人员名单"
    )
    page.get_by_label("电子文本").check()
    page.get_by_label("电子邮件").check()
    page.screenshot(path=str(ARTIFACTS / "disclosure-apply.png"), full_page=True)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("#lookup-code")
    number = page.locator("#reg-number").inner_text().strip()
    code = page.locator("#lookup-code").inner_text().strip()
    assert len(code) == 12
    page.screenshot(path=str(ARTIFACTS / "disclosure-applied.png"), full_page=True)

    # 2. Staff log in, open the request and reply (公开).
    staff_page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page.goto(live_server.url + "/accounts/login/?next=/xxgk/staff/")
    staff_page.locator("#id_username").fill("officer")
    staff_page.locator("#id_password").fill("pass-word-123")
    staff_page.locator("#id_password").press("Enter")
    staff_page.wait_for_url("**/xxgk/staff/")
    staff_page.get_by_role("link", name=number).first.click()
    staff_page.wait_for_url(f"**/xxgk/staff/requests/{number}/")
    form = staff_page.locator("#form-reply")
    form.locator("select[name=outcome]").select_option("disclosed")
    form.locator("textarea[name=text]").fill("您申请的名单见冠政发〔2018〕64号附件，现予提供。")
    staff_page.screenshot(path=str(ARTIFACTS / "disclosure-staff.png"), full_page=True)
    form.get_by_role("button", name="答复").click()
    staff_page.wait_for_url(f"**/xxgk/staff/requests/{number}/")
    assert staff_page.locator("#req-state").inner_text() == "已答复"

    # 3. The requester looks the reply up with the number and the code.
    page.goto(live_server.url + "/xxgk/status/")
    page.get_by_label("登记编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("#req-state")
    assert page.locator("#req-state").inner_text() == "已答复"
    letter = page.locator("article.letter").inner_text()
    assert "政府信息公开申请答复书" in letter and "现予以提供" in letter and "60日" in letter
    page.screenshot(path=str(ARTIFACTS / "disclosure-reply.png"), full_page=True)

    # A wrong code shows nothing of the request.
    page.goto(live_server.url + "/xxgk/status/")
    page.get_by_label("登记编号").fill(number)
    page.get_by_label("查询码").fill("WRONGWRONG22")
    page.get_by_role("button", name="查询").click()
    assert "登记编号或查询码不正确" in page.locator("main").inner_text()
    assert "王小明" not in page.content()
