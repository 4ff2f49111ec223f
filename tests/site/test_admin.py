"""Staff roles in the admin: editors publish, reviewers only look."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from gongbao.site.archive.models import Issue
from gongbao.site.archive.services import import_file
from gongbao.site.review.models import Publication

pytestmark = pytest.mark.django_db(transaction=True)


def _staff(client, role: str) -> User:
    user = User.objects.create_user(f"{role}1", password="correct horse battery", is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    client.force_login(user)
    return user


def test_editor_asks_and_another_reviewer_publishes_from_the_admin(client, sample_path) -> None:
    import_file(sample_path)
    issue = Issue.objects.get()
    editor = _staff(client, "editor")
    page = client.get("/admin/archive/issue/")
    assert page.status_code == 200 and "申请发布所选期" in page.content.decode()
    response = client.post(
        "/admin/archive/issue/",
        {"action": "publish", "_selected_action": [issue.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "待审核人批准" in response.content.decode()
    assert Issue.objects.get().status == Issue.DRAFT  # the editor alone publishes nothing
    pub = Publication.objects.get()
    assert pub.requested_by == editor and pub.is_pending
    detail = client.get(f"/admin/archive/issue/{issue.pk}/change/").content.decode()
    assert "目录与正文标题不一致" in detail  # the proofreading report is shown to staff

    _staff(client, "reviewer")
    response = client.post(
        "/admin/review/publication/",
        {"action": "approve_selected", "_selected_action": [pub.pk]},
        follow=True,
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert Issue.objects.get().status == Issue.PUBLISHED
    assert Publication.objects.get().status == Publication.APPROVED


def test_an_editor_with_both_roles_cannot_approve_their_own_request(client, sample_path) -> None:
    import_file(sample_path)
    issue = Issue.objects.get()
    both = _staff(client, "editor")
    both.groups.add(Group.objects.get(name="reviewer"))
    client.post("/admin/archive/issue/", {"action": "publish", "_selected_action": [issue.pk]})
    pub = Publication.objects.get()
    response = client.post(
        "/admin/review/publication/",
        {"action": "approve_selected", "_selected_action": [pub.pk]},
        follow=True,
    )
    assert "不能批准自己提交的发布申请" in response.content.decode()
    assert Issue.objects.get().status == Issue.DRAFT


def test_a_refusal_is_a_chinese_page_not_a_bare_403(client) -> None:
    _staff(client, "reviewer")
    response = client.get("/admin/auth/user/")  # staff accounts: admins only
    assert response.status_code == 403
    assert "无权进行此操作" in response.content.decode()


def test_reviewer_cannot_publish(client, sample_path) -> None:
    import_file(sample_path)
    issue = Issue.objects.get()
    _staff(client, "reviewer")
    page = client.get("/admin/archive/issue/").content.decode()
    assert "申请发布所选期" not in page
    client.post("/admin/archive/issue/", {"action": "publish", "_selected_action": [issue.pk]})
    assert Issue.objects.get().status == Issue.DRAFT


def test_anonymous_admin_redirects_to_login(client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]
