"""Shared fixtures of the open-data tests: keys, bulk and PDF folders per test; a draft issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache


@pytest.fixture
def opendata(settings, tmp_path: Path):
    settings.GONGBAO_KEYS_DIR = tmp_path / "keys"
    settings.GONGBAO_BULK_DIR = tmp_path / "bulk"
    settings.GONGBAO_PDF_DIR = tmp_path / "pdf"
    settings.GONGBAO_API_RATE = 100_000
    settings.GONGBAO_BULK_ON_PUBLISH = True
    cache.clear()
    yield tmp_path
    cache.clear()


@pytest.fixture
def draft_issue(tmp_path: Path):
    """A generated issue of another gazette, imported and left a draft."""
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file
    from gongbao.testing.generate import generate_corpus

    files = generate_corpus(
        tmp_path / "gen", count=1, seed=7, start_year=2017, gazettes=1, issues_per_year=1
    )
    outcome = import_file(files[0])
    assert outcome.outcome == "imported", outcome.message
    return Issue.objects.get(ident=outcome.issue)


def draft_words(issue) -> list[str]:
    """Titles of the draft's documents: none may appear in any public channel."""
    from gongbao.site.archive.models import Document

    published = set(Document.objects.exclude(issue=issue).values_list("title", flat=True))
    return [
        d.title for d in issue.documents.all() if len(d.title) >= 6 and d.title not in published
    ]
