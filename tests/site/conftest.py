"""Fixtures for the Django site tests: a fresh search index per test, the real sample issue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gongbao.site.search import sync
from tests.conftest import shared_path


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path: Path) -> Iterator[Path]:
    """Each test gets its own index folder and a process reader that sees it."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    sync._reader = None
    yield settings.SEARCH_INDEX_DIR
    sync._reader = None


@pytest.fixture
def sample_path() -> Path:
    return shared_path("corpus", "guanxian-2018-03.md")


@pytest.fixture
def sample_issue(sample_path: Path):
    """The real issue, imported and published (needs ``django_db(transaction=True)``)."""
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file, publish_issue

    outcome = import_file(sample_path)
    assert outcome.outcome == "imported", outcome.message
    return publish_issue(Issue.objects.get(ident=outcome.issue))
