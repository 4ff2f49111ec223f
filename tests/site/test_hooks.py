"""The archive and access hear from the apps built on them through hooks, not imports.

Every archive signal has its receiver connected at start-up; a request nobody
receives (a held correction, a publish request) and a public read without the
disclosure policy fail loudly instead of passing silently.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

from gongbao.site import access
from gongbao.site.archive import signals
from gongbao.site.archive.models import Document, Issue

ARCHIVE_SIGNALS = [name for name, value in vars(signals).items() if isinstance(value, Signal)]


@pytest.mark.parametrize("name", ARCHIVE_SIGNALS)
def test_every_archive_signal_has_a_receiver(name: str) -> None:
    assert getattr(signals, name).has_listeners(Issue), name


def test_disclosure_asks_review_for_extensions() -> None:
    from gongbao.site.disclosure.models import Request
    from gongbao.site.disclosure.signals import extension_requested

    assert extension_requested.has_listeners(Request)


def test_index_hears_before_open_data_after_commit() -> None:
    """Search catches up first, as the two on_commit hooks ran before (INSTALLED_APPS order)."""
    receivers = [r.__module__ for r in signals.content_committed._live_receivers(Issue)[0]]
    assert receivers == ["gongbao.site.search.apps", "gongbao.site.opendata.apps"]


def test_a_request_nobody_receives_fails() -> None:
    with pytest.raises(ImproperlyConfigured):
        signals.ask(Signal(), "nobody", issue=None)


def test_public_reads_fail_without_the_disclosure_policy(monkeypatch) -> None:
    monkeypatch.setattr(access, "_registered", [])
    with pytest.raises(ImproperlyConfigured):
        access.public_data(Document(data={}))
