"""Staff roles in the admin: editors publish, reviewers only look."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from gongbao.site.archive.models import Issue
from gongbao.site.archive.services import import_file

pytestmark = pytest.mark.django_db(transaction=True)


def _staff(client, role: str) -> User:
    user = User.objects.create_user(f"{role}1", password="correct horse battery", is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    client.force_login(user)
    return user


def test_editor_publishes_from_the_admin(client, sample_path) -> None:
    import_file(sample_path)
    issue = Issue.objects.get()
    _staff(client, "editor")
    page = client.get("/admin/archive/issue/")
    assert page.status_code == 200 and "发布所选期" in page.content.decode()
    response = client.post(
        "/admin/archive/issue/",
        {"action": "publish", "_selected_action": [issue.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Issue.objects.get().status == Issue.PUBLISHED
    detail = client.get(f"/admin/archive/issue/{issue.pk}/change/").content.decode()
    assert "目录与正文标题不一致" in detail  # the proofreading report is shown to staff


def test_reviewer_cannot_publish(client, sample_path) -> None:
    import_file(sample_path)
    issue = Issue.objects.get()
    _staff(client, "reviewer")
    page = client.get("/admin/archive/issue/").content.decode()
    assert "发布所选期" not in page
    client.post("/admin/archive/issue/", {"action": "publish", "_selected_action": [issue.pk]})
    assert Issue.objects.get().status == Issue.DRAFT


def test_anonymous_admin_redirects_to_login(client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]
