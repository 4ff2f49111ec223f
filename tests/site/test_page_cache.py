"""The public page cache never serves a withdrawn issue, nor anything to staff."""

from __future__ import annotations

import pytest

from gongbao.site.archive.models import Issue
from gongbao.site.archive.services import publish_issue, unpublish_issue

pytestmark = pytest.mark.django_db(transaction=True)

DOC = "/doc/guanzhengfa-2018-64/"


def test_repeat_requests_are_served_and_withdrawal_is_immediate(
    client, sample_issue: Issue
) -> None:
    first = client.get(DOC)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    again = client.get(DOC)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    unpublish_issue(sample_issue)
    assert client.get(DOC).status_code == 404
    publish_issue(sample_issue)
    assert client.get(DOC).status_code == 200


def test_staff_bypass_the_cache(client, admin_client, sample_issue: Issue) -> None:
    client.get(DOC)  # fill the cache as an anonymous reader
    unpublish_issue(sample_issue)
    publish_issue(sample_issue)
    response = admin_client.get(DOC)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
