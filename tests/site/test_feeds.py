"""Atom and RSS feeds: valid for feedparser, stable ids, filters, no drafts or non-public items."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata, draft_issue = helpers.opendata, helpers.draft_issue
draft_words = helpers.draft_words


def parse(url: str):
    response = Client().get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed, response


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_issue_and_document_feeds_validate(opendata, sample_issue, fmt):
    feed, response = parse(f"/feeds/issues.{fmt}")
    assert response["Content-Type"].startswith(f"application/{fmt}+xml")
    assert [e.title for e in feed.entries] == ["冠县人民政府公报 2018年第3期"]
    feed, _ = parse(f"/feeds/documents.{fmt}")
    assert len(feed.entries) == 18
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == 18 and all(i.startswith("tag:") for i in ids)
    again, _ = parse(f"/feeds/documents.{fmt}")
    assert [e.id for e in again.entries] == ids  # stable ids
    assert all(e.link.startswith("http://testserver/") for e in feed.entries)


def test_saved_filter_feed_one_issuer(opendata, sample_issue):
    feed, _ = parse("/feeds/documents.atom?issuer=冠县人民政府办公室")
    assert feed.entries and all(
        "冠县人民政府办公室" in (e.get("author") or "") for e in feed.entries
    )
    assert "issuer=冠县人民政府办公室" in feed.feed.title
    feed, _ = parse("/feeds/documents.rss?q=安全生产责任保险")
    assert any("安全生产责任保险" in e.title for e in feed.entries)
    assert Client().get("/feeds/documents.atom?year=abc").status_code == 400


def test_feeds_leave_out_drafts_and_non_public(opendata, sample_issue, draft_issue, monkeypatch):
    from gongbao.site import access

    original = access.public_documents
    monkeypatch.setattr(
        access,
        "public_documents",
        lambda gazette=None: original(gazette).exclude(ident="guanzhengbanfa-2018-46"),
    )
    feed, response = parse("/feeds/documents.atom")
    assert len(feed.entries) == 17
    text = response.content.decode() + Client().get("/feeds/issues.atom").content.decode()
    assert "guanzhengbanfa-2018-46" not in text
    assert draft_issue.gazette.slug not in text
    for title in draft_words(draft_issue):
        assert title not in text
