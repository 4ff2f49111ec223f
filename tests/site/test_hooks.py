"""The archive and access hear from the apps built on them through hooks, not imports.

Every archive signal has its receiver connected at start-up; a request nobody
receives (a held correction, a publish request, a saved profile's audit entry),
a public read without the disclosure policy and an AKN download without the
lifecycle fail loudly instead of passing silently.
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


def test_disclosure_audits_saved_profiles() -> None:
    from gongbao.site.gazettes.models import Profile
    from gongbao.site.gazettes.signals import profile_saved

    assert profile_saved.has_listeners(Profile)


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


def test_the_akn_fails_without_the_lifecycle(monkeypatch) -> None:
    from gongbao.site.lifecycle.akn import with_lifecycle
    from gongbao.site.opendata import akn

    assert akn._registered == [with_lifecycle]  # lifecycle/apps.py, at start-up
    monkeypatch.setattr(akn, "_registered", [])
    with pytest.raises(ImproperlyConfigured):
        akn.document_akn_bytes(Document(data={}))
