"""Making the gazette (site/production): 收稿, 编排, 校对, 签发, 出刊 and 勘误, services and pages.

Three invented department documents (示例县, not a real county) go through the
whole workflow on the real databases; the print PDF is made once (the browser
test and ``test_publish_makes_the_print_pdf``), elsewhere it is switched off.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from gongbao.site.archive.models import Document, Issue
from gongbao.site.archive.services import publish_issue
from gongbao.site.disclosure.models import AuditEntry
from gongbao.site.disclosure.services import PublishBlocked
from gongbao.site.opendata.models import Manifest
from gongbao.site.production import services
from gongbao.site.production.models import Submission
from gongbao.site.production.services import ProductionError
from tests.site import opendata_helpers as helpers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("opendata")]
opendata = helpers.opendata  # keys, bulk and PDF folders of the test's own

DOC = """示例县{unit}文件

{number}

示例县{unit}关于{topic}的通知

各乡镇人民政府，县直各部门：

为做好{topic}，现将有关事项通知如下。

一、提高认识。各单位要把{topic}列入重要日程。

二、落实责任。各单位要明确责任人，{extra}。

示例县{unit}
{day}
"""


def doc_text(
    number: str, topic: str, unit: str = "教育局", extra: str = "按时报送", day="2025年5月20日"
):
    return DOC.format(number=number, topic=topic, unit=unit, extra=extra, day=day).encode()


def user(name: str, role: str) -> User:
    row = User.objects.create_user(name, password=f"{name}-password-1", is_staff=True)
    row.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=row.pk)  # fresh permission cache


@pytest.fixture
def people():
    dept = user("dept1", "department")
    services.set_unit(dept, "示例县教育局")
    return dept, user("editor1", "editor"), user("reviewer1", "reviewer")


@pytest.fixture
def no_pdf(settings):
    settings.GONGBAO_PRINT_ON_PUBLISH = False


def _submit_two(dept):
    a = services.submit(doc_text("示教发〔2025〕7号", "暑期安全工作"), "安全.txt", dept)
    b = services.submit(doc_text("示教发〔2025〕3号", "招生工作"), "招生.txt", dept)
    return a, b


def test_submission_return_and_revision(people):
    dept, editor, _ = people
    first, _ = _submit_two(dept)
    assert first.unit == "示例县教育局" and first.doc_number == "示教发〔2025〕7号"
    assert first.entry.is_library and not first.entry.is_published
    assert first.document.issue == first.entry  # in the 文件库, parsed
    with pytest.raises(ProductionError, match="同一文号不能重复报送"):
        services.submit(doc_text("示教发〔2025〕7号", "别的事"), "重复.txt", dept)
    with pytest.raises(ProductionError, match="不是公文"):
        services.submit("今天天气很好，我们去公园散步。".encode(), "随笔.txt", dept)
    with pytest.raises(ProductionError, match="只有已退改的文件"):
        services.submit(
            doc_text("示教发〔2025〕7号", "暑期安全工作"), "x.txt", dept, revising=first
        )
    with pytest.raises(ProductionError, match="修改意见"):
        services.return_submission(first, editor, " ")
    with pytest.raises(ProductionError, match="只有编辑"):
        services.return_submission(first, dept, "请补充")
    services.return_submission(first, editor, "请补充责任单位")
    revised = services.submit(
        doc_text("示教发〔2025〕7号", "暑期安全工作", extra="报县教育局备案"), "安全-改.txt",
        dept, revising=Submission.objects.get(pk=first.pk),
    )  # fmt: skip
    assert revised.pk == first.pk and revised.revision == 2 and revised.status == "submitted"
    assert revised.entry.versions.count() == 2  # the first text kept
    assert "报县教育局备案" in json.dumps(
        Document.objects.get(pk=first.document_id).data, ensure_ascii=False
    )
    actions = set(
        AuditEntry.objects.filter(subject=f"submission:{first.pk}").values_list("action", flat=True)
    )
    assert actions == {"production.submit", "production.return", "production.revise"}


def test_compose_check_sign_off_and_publish(people, no_pdf, client: Client):
    dept, editor, reviewer = people
    seven, three = _submit_two(dept)
    publish_issue(three.entry)  # already public in the 文件库: its entry follows the move
    earlier = services.create_issue(seven.entry.gazette, 2025, None, editor)
    assert (earlier.issue.number, earlier.issue.cumulative_number) == (1, 1)
    comp = services.create_issue(
        seven.entry.gazette, 2025, None, editor, sections=["部门文件", "人事任免"]
    )
    assert (comp.issue.number, comp.issue.cumulative_number) == (2, 2)
    services.place(comp, seven.document, "部门文件", editor)
    services.place(comp, three.document, "部门文件", editor)
    codes = [c.code for c in services.report(comp)]
    assert "number-order" in codes and "empty-section" in codes  # 7号 before 3号; 人事任免 empty
    services.place(earlier, seven.document, earlier.sections[0], editor)
    assert "in-other-issue" in [c.code for c in services.report(comp)]
    with pytest.raises(ProductionError, match="不能签发自己编辑过的期"):
        services.sign_off(comp, _editor_reviewer(editor))
    with pytest.raises(ProductionError, match="栏目“人事任免”没有文件"):
        services.sign_off(comp, reviewer)
    services.set_sections(comp, ["部门文件"], editor)
    services.order_by_rule(comp, editor)
    assert [e.doc_number for e in services.toc(comp)[0].entries] == [
        "示教发〔2025〕3号",
        "示教发〔2025〕7号",
    ]
    services.sign_off(comp, reviewer)
    note = services.remove(comp, three.document, editor)
    assert "签发已作废" in note and services.active_signoff(comp) is None
    with pytest.raises(ProductionError, match="尚未签发"):
        services.publish(comp, editor)
    services.place(comp, three.document, "部门文件", editor)  # placed last
    services.order_by_rule(comp, editor)
    services.add_news(
        comp, "县教育局召开安全工作会议", "会议部署了暑期安全工作。", editor, section="部门文件"
    )
    with pytest.raises(PublishBlocked, match="须经审核人签发后在 /production/ 出刊"):
        publish_issue(comp.issue)  # gongbao publish, the admin: not for a composed issue
    services.sign_off(comp, reviewer)
    edition = services.publish(comp, editor)

    issue = Issue.objects.get(pk=comp.issue_id)
    assert issue.is_published and issue.content_hash == edition.content_hash
    assert issue.issue_date == date(2025, 6, 2)  # the test clock's day: the day it came out
    docs = list(issue.documents.order_by("seq"))
    assert [d.doc_number for d in docs] == ["示教发〔2025〕3号", "示教发〔2025〕7号", ""]
    assert docs[0].library == three.entry  # its library record stays
    assert Client().get(f"/doc/{docs[0].ident}/").status_code == 200
    entry = Manifest.objects.filter(issue_ident=three.entry.ident).latest("pk")
    assert entry.documents == []  # the entry's manifest no longer lists the moved document
    manifest = Manifest.objects.get(sha256=edition.manifest_sha256)
    assert manifest.signed["manifest"]["issue_sha256"] == edition.content_hash
    page = Client().get(f"/{issue.gazette.slug}/{issue.year}/{issue.number}/").content.decode()
    assert "关于招生工作的通知" in page and "县教育局召开安全工作会议" in page
    assert "2025年6月2日" in page
    printed = [c.message for c in services.report(earlier) if c.code == "already-printed"]
    assert printed == [f"《关于暑期安全工作的通知》已刊登于{issue}，不宜重复刊登"]
    services.set_sections(earlier, earlier.sections[:1], editor)
    with pytest.raises(ProductionError, match=r"已刊登于.*请先从本期移出"):
        services.sign_off(earlier, reviewer)
    with pytest.raises(ProductionError, match="已出刊"):
        services.remove(comp, three.document, editor)
    actions = set(
        AuditEntry.objects.filter(subject=f"issue:{issue.ident}").values_list("action", flat=True)
    )
    assert {"production.signoff", "production.signoff_void", "production.publish"} <= actions

    # 勘误: the reviewer (not the editor) approves; a notice goes into the next issue.
    fixed = doc_text("示教发〔2025〕3号", "招生工作", extra="于6月底前报送")
    corr = services.request_correction(
        docs[0], fixed, "招生-勘误.txt", editor, reason="报送期限漏印"
    )
    with pytest.raises(ProductionError, match="不能批准自己提交的勘误"):
        services.approve_correction(corr, _editor_reviewer(editor))
    services.approve_correction(corr, reviewer)
    doc = Document.objects.get(pk=docs[0].pk)
    assert "于6月底前报送" in json.dumps(doc.data, ensure_ascii=False)
    assert (
        issue.versions.count() == 2
        and Manifest.objects.filter(issue_ident=issue.ident).count() == 2
    )
    history = Client().get(f"/history/{issue.gazette.slug}/{doc.ident}/").content.decode()
    assert "勘误理由：报送期限漏印" in history and "<ins>于6月底前</ins>" in history
    nxt = services.create_issue(issue.gazette, 2025, None, editor)
    assert nxt.issue.cumulative_number == 3
    item = services.place_notice(nxt, corr, editor)
    assert item.section == "勘误" and "报送期限漏印" in item.text


def _editor_reviewer(editor):
    """The editor who also holds the reviewer role: still refused for their own edit."""
    editor.groups.add(Group.objects.get(name="reviewer"))
    return User.objects.get(pk=editor.pk)


def test_pages_refuse_with_chinese_messages(people, no_pdf):
    dept, editor, _ = people
    c = Client()
    c.force_login(dept)
    page = c.get("/production/")
    assert page.status_code == 200 and "报送文件" in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = c.post(
        "/production/submit/",
        {"file": SimpleUploadedFile("a.txt", doc_text("示教发〔2025〕9号", "防汛工作"))},
    )
    assert ok.status_code == 302
    bad = c.post(
        "/production/submit/",
        {"file": SimpleUploadedFile("b.txt", doc_text("示教发〔2025〕9号", "防汛"))},
    )
    assert bad.status_code == 400 and "同一文号不能重复报送" in bad.content.decode()
    assert c.post("/production/issue/new/", {"year": "2025"}).status_code == 403
    c.force_login(editor)
    made = c.post("/production/issue/new/", {"year": "2025", "sections": "部门文件"})
    ident = made.url.rstrip("/").rsplit("/", 1)[-1]
    doc = Document.objects.get(doc_number="示教发〔2025〕9号")
    c.post(f"/production/issue/{ident}/place/", {"document": doc.pk, "section": "部门文件"})
    moved = c.post(f"/production/issue/{ident}/reorder/", json.dumps({"部门文件": [doc.pk, 99]}),
                   content_type="application/json")  # fmt: skip
    assert moved.status_code == 400 and "请刷新页面" in moved.json()["error"]
    assert c.post(f"/production/issue/{ident}/reorder/", json.dumps({"部门文件": [doc.pk]}),
                  content_type="application/json").json()["ok"]  # fmt: skip
    refused = c.post(f"/production/issue/{ident}/publish/")
    assert refused.status_code == 400 and "尚未签发" in refused.content.decode()
    page = c.get(f"/production/issue/{ident}/").content.decode()
    assert "关于防汛工作的通知" in page and "compose.js" in page
    admin = User.objects.create_superuser("root", password="root-password-1")
    c.force_login(admin)
    for name in ("departmentaccount", "submission", "signoff", "edition", "correction"):
        assert c.get(f"/admin/production/{name}/").status_code == 200


def test_watched_folder_once(people, tmp_path, capsys):
    from gongbao.cli import main

    (tmp_path / "a.txt").write_bytes(doc_text("示教发〔2025〕11号", "校车安全"))
    (tmp_path / "b.txt").write_bytes("一段随笔，不是公文。".encode())
    assert main(["production", "watch", str(tmp_path), "--once", "--user", "dept1"]) == 1
    out = capsys.readouterr().out
    assert "已报送" in out and "未通过" in out and "不是公文" in out
    assert (tmp_path / "已报送" / "a.txt").is_file() and (tmp_path / "未通过" / "b.txt").is_file()
    assert Submission.objects.get().unit == "示例县教育局"


def test_imported_issue_shows_its_printed_date(sample_path):
    from gongbao.site.archive.services import import_file, publish_issue

    outcome = import_file(sample_path)
    issue = publish_issue(Issue.objects.get(ident=outcome.issue))
    assert issue.issue_date == date(2018, 10, 8)  # the latest date printed in it (政务信息)
    assert services.next_numbers(issue.gazette, 2018) == (4, 28)  # after 第3期（总第27期）
    assert services.next_numbers(issue.gazette, 2019) == (1, 28)
    page = Client().get(f"/{issue.gazette.slug}/2018/3/").content.decode()
    assert "2018年10月8日" in page and "2025年6月2日" not in page
    editor = Client()
    editor.force_login(user("editor1", "editor"))
    done = editor.post(
        "/production/issue-date/", {"issue": issue.ident, "issue_date": "2018-10-12"}
    )
    assert done.status_code == 302
    assert "2018年10月12日" in Client().get(f"/{issue.gazette.slug}/2018/3/").content.decode()
    bad = editor.post("/production/issue-date/", {"issue": issue.ident, "issue_date": "10/12"})
    assert bad.status_code == 400 and "日期格式" in bad.content.decode()
