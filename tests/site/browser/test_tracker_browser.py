"""The tracker in a real browser: an editor confirms tasks, records progress, opens the 季度通报.

Run with ``pytest -m browser``. Needs Debian's ``/usr/bin/chromium``: missing, the
test fails on CI (``CI=true``) and is skipped elsewhere. Screenshots go to
``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import pytest

from gongbao.site.archive.models import Document, Issue
from gongbao.site.archive.services import import_file, publish_issue
from gongbao.site.tracker import services
from gongbao.site.tracker.models import Progress, Task, Unit
from tests.conftest import shared_path
from tests.site.browser.conftest import ARTIFACTS

WATER = "guanzhengbanfa-2018-50"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_login():
    from django.contrib.auth.models import Group, User

    outcome = import_file(shared_path("corpus", "guanxian-2018-03.md"))
    publish_issue(Issue.objects.get(ident=outcome.issue))
    services.extract_for_document(Document.objects.get(ident=WATER))
    user = User.objects.create_user("editor1", password="editor-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return "editor1", "editor-password-1"


def test_editor_confirms_records_progress_and_opens_report(
    live_server, editor_login, browser
) -> None:
    doc = Document.objects.get(ident=WATER)
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/tasks/")
    page.fill("input[name=username]", editor_login[0])
    page.fill("input[name=password]", editor_login[1])
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/tasks/")
    page.click(f"a[href='/tasks/document/guanxian/{WATER}/review/']")
    page.get_by_role("button", name="全部确认").click()
    page.wait_for_load_state()
    assert "待审核 0 项" in page.content()
    page.screenshot(path=str(ARTIFACTS / "tracker-review.png"), full_page=True)

    page.goto(f"{live_server.url}/tasks/document/guanxian/{WATER}/")
    for key, unit, status in (("2", "县环保局", "done"), ("11", "县住建局", "in_progress")):
        task = Task.objects.get(document=doc, key=key)
        form = page.locator(f"#task-{task.key} form.progress-form")
        form.locator("select[name=unit]").select_option(label=unit)
        form.locator("select[name=status]").select_option(status)
        form.locator("input[name=date]").fill("2018-08-20")
        form.locator("input[name=note]").fill(f"{unit}报送")
        form.get_by_role("button", name="登记进展").click()
        page.wait_for_load_state()
    assert Progress.objects.filter(task__document=doc).count() == 2
    assert Progress.objects.get(unit=Unit.objects.get(name="县环保局")).status == "done"
    assert Progress.objects.get(unit=Unit.objects.get(name="县住建局")).status == "in_progress"

    page.goto(f"{live_server.url}/tasks/report/2018Q3/")
    text = page.inner_text("main")
    assert "任务落实情况季度通报" in text and "县环保局" in text
    page.screenshot(path=str(ARTIFACTS / "tracker-report.png"), full_page=True)
