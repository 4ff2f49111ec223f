"""Four eyes on what goes public: a correction waits for a reviewer who is not its editor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from gongbao.site import access
from gongbao.site.archive.models import ImportRecord, Issue, IssueVersion
from gongbao.site.archive.services import HELD, import_file
from gongbao.site.disclosure import services as disclosure
from gongbao.site.disclosure.models import PrivacyDecision
from gongbao.site.review import services as review
from gongbao.site.review.models import Publication

pytestmark = pytest.mark.django_db(transaction=True)

OLD, NEW = "县环保局", "县环境保护局"


def _user(name: str, *roles: str) -> User:
    user = User.objects.create_user(name, password="x" * 12, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def _variant(sample_path: Path, tmp_path: Path, text: str) -> Path:
    path = tmp_path / sample_path.name
    path.write_text(text, "utf-8")
    return path


def _corrected(sample_path: Path, tmp_path: Path, old: str = OLD, new: str = NEW) -> Path:
    text = sample_path.read_text("utf-8")
    assert old in text
    return _variant(sample_path, tmp_path, text.replace(old, new, 1))


def _public_text() -> str:
    return " ".join(json.dumps(d.data, ensure_ascii=False) for d in access.public_documents())


def test_a_correction_waits_for_a_reviewer(sample_issue: Issue, sample_path, tmp_path) -> None:
    editor, reviewer = _user("editor1", "editor"), _user("reviewer1", "reviewer")
    path = _corrected(sample_path, tmp_path)

    held = import_file(path, allow_removals=True, requested_by=editor)

    assert held.outcome == HELD and "等待审核人批准" in held.message
    assert IssueVersion.objects.filter(issue=sample_issue).count() == 1  # nothing applied
    assert NEW not in _public_text() and OLD in _public_text()
    pub = Publication.objects.get()
    assert pub.kind == Publication.CORRECTION and pub.requested_by == editor
    # A 勘误 needs its note and reason before it can be approved.
    with pytest.raises(review.ReviewRefused, match="勘误说明和更正理由"):
        review.approve(pub, reviewer)
    pub.note, pub.reason = "第5页“县环保局”更正为“县环境保护局”", "机构名称印错"
    pub.save()

    review.approve(pub, reviewer)

    assert IssueVersion.objects.filter(issue=sample_issue).count() == 2
    assert NEW in _public_text()
    pub = Publication.objects.get()
    assert pub.status == Publication.APPROVED and pub.decided_by == reviewer and pub.version == 2
    assert ImportRecord.objects.latest("pk").outcome == ImportRecord.UPDATED


def test_self_approval_is_refused(sample_issue: Issue, sample_path, tmp_path) -> None:
    both = _user("editor1", "editor", "reviewer")
    import_file(
        _corrected(sample_path, tmp_path), allow_removals=True, requested_by=both,
        note="更正", reason="印错",
    )  # fmt: skip
    pub = Publication.objects.get()
    with pytest.raises(review.ReviewRefused, match="不能批准自己提交的勘误申请"):
        review.approve(pub, both)
    editor_only = _user("editor2", "editor")
    with pytest.raises(review.ReviewRefused, match="不是审核人"):
        review.approve(pub, editor_only)
    assert Publication.objects.get().is_pending
    assert IssueVersion.objects.filter(issue=sample_issue).count() == 1


def test_a_draft_is_published_by_another_reviewer_only(sample_path) -> None:
    import_file(sample_path)
    issue = Issue.objects.get()
    editor, reviewer = _user("editor1", "editor"), _user("reviewer1", "reviewer")
    pub = review.request_publication(issue, editor)
    assert review.request_publication(issue, editor) == pub  # asked twice: one request
    with pytest.raises(review.ReviewRefused):
        review.approve(pub, editor)
    assert not Issue.objects.get().is_published
    review.approve(pub, reviewer)
    assert Issue.objects.get().is_published


def test_an_unreviewed_privacy_finding_blocks_the_new_version(
    sample_issue: Issue, sample_path, tmp_path
) -> None:
    editor, reviewer = _user("editor1", "editor"), _user("reviewer1", "reviewer")
    phone = "13912345678"
    path = _corrected(sample_path, tmp_path, OLD, f"{OLD}（联系人张三，手机{phone}）")
    import_file(path, allow_removals=True, requested_by=editor, note="补充联系方式", reason="漏印")
    pub = Publication.objects.get()

    with pytest.raises(disclosure.PublishBlocked, match="个人信息未审查"):
        review.approve(pub, reviewer)

    # Nothing went public; the finding waits for the privacy review, recorded.
    assert IssueVersion.objects.filter(issue=sample_issue).count() == 1
    assert phone not in _public_text()
    assert Publication.objects.get().is_pending
    waiting = PrivacyDecision.objects.filter(text__contains=phone)
    assert waiting.count() == 1 and waiting.get().decision == PrivacyDecision.PENDING
    disclosure.decide(waiting.get(), accept=True, user=reviewer)  # masked in public outputs

    review.approve(pub, reviewer)

    assert IssueVersion.objects.filter(issue=sample_issue).count() == 2
    assert Publication.objects.get().status == Publication.APPROVED


def test_publish_command_takes_a_reviewer_other_than_the_editor(sample_path, tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GONGBAO_HOME"] = str(tmp_path / "home")

    def gongbao(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gongbao.cli", *args],
            capture_output=True, text=True, env=env, timeout=300, input=stdin,
        )  # fmt: skip

    for name, role in (("editor1", "editor"), ("reviewer1", "reviewer")):
        made = gongbao("staff", "add", name, "--role", role, "--password-stdin", stdin="x" * 14)
        assert made.returncode == 0, made.stdout + made.stderr
    assert gongbao("import", "-q", str(sample_path), "--publish").returncode == 0
    (tmp_path / "fixed").mkdir()
    path = _corrected(sample_path, tmp_path / "fixed")
    held = gongbao(
        "import", "-q", str(path), "--allow-removals", "--requested-by", "editor1",
        "--note", "勘误", "--reason", "机构名称印错",
    )  # fmt: skip
    assert "待审核 1" in held.stdout, held.stdout + held.stderr
    waiting = gongbao("publish", "guanxian-2018-03")
    assert waiting.returncode == 1 and "--approved-by" in waiting.stderr
    own = gongbao("publish", "guanxian-2018-03", "--approved-by", "editor1")
    assert own.returncode == 1 and "不是审核人" in own.stderr
    done = gongbao("publish", "guanxian-2018-03", "--approved-by", "reviewer1")
    assert done.returncode == 0, done.stdout + done.stderr
    again = gongbao("import", "-q", str(path))
    assert "未变化 1" in again.stdout  # the approved correction is the issue's version now


# -- extension of a reply deadline ------------------------------------------------------


def test_the_handling_officer_asks_and_a_reviewer_approves_an_extension(client) -> None:
    from datetime import date

    from gongbao.site.disclosure.models import Request
    from gongbao.site.review.models import ExtensionRequest
    from tests.site.disclosure_helpers import filed, staff

    officer, reviewer = staff("ed", "editor"), staff("rv", "reviewer")
    req = filed(date(2025, 9, 24))
    due = req.due_on
    client.force_login(officer)
    url = f"/xxgk/staff/requests/{req.number}/extend/"
    page = client.post(
        url, {"days": "20", "notice": "因需检索档案，延长20个工作日", "reason": "档案多"}
    )
    assert page.status_code == 302
    row = ExtensionRequest.objects.get()
    assert row.is_pending and row.requested_by == officer
    assert Request.objects.get(pk=req.pk).due_on == due  # nothing changes before approval
    # The officer cannot decide it: a Chinese page, not a bare 403.
    decide = f"/xxgk/staff/requests/{req.number}/extension/{row.pk}/approve/"
    refused = client.post(decide)
    assert refused.status_code == 403 and "负责人（审核人）同意" in refused.content.decode()

    client.force_login(reviewer)
    detail = client.get(f"/xxgk/staff/requests/{req.number}/").content.decode()
    assert "同意延长" in detail and "档案多" in detail
    assert client.post(decide).status_code == 302
    req = Request.objects.get(pk=req.pk)
    assert req.extension_days == 20 and req.due_on == date(2025, 11, 25)
    assert req.extension_approved_by == reviewer
    assert ExtensionRequest.objects.get().status == ExtensionRequest.APPROVED


def test_a_reviewer_cannot_approve_their_own_extension_request() -> None:
    from datetime import date

    from tests.site.disclosure_helpers import filed, staff

    both = staff("ed", "editor")
    both.groups.add(Group.objects.get(name="reviewer"))
    req = filed(date(2025, 9, 24))
    row = review.request_extension(req, both, 10, "延长10个工作日")
    with pytest.raises(disclosure.DisclosureError, match="不能批准自己提出的延长申请"):
        review.decide_extension(row, both, True)
    with pytest.raises(disclosure.DisclosureError, match="已有一项延长申请"):
        review.request_extension(req, both, 10, "再次申请")


def test_a_form_without_its_token_gets_a_chinese_page() -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(_user("editor1", "editor"))
    response = client.post("/xxgk/staff/register/", {})
    assert response.status_code == 403
    assert "请刷新页面后重新提交" in response.content.decode()


def test_a_refused_staff_action_is_a_chinese_page() -> None:
    from django.contrib.auth.models import Permission
    from django.test import Client

    client = Client()
    clerk = _user("clerk1", "editor")
    clerk.user_permissions.add(Permission.objects.get(codename="view_annualreport"))
    clerk.groups.clear()
    client.force_login(clerk)
    response = client.post("/xxgk/staff/report/2030/", {"overview": "总体情况"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有编辑年度报告的权限" in page and "无权进行此操作" in page
