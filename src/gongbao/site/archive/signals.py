"""What the archive tells the apps built on it, so that it never imports them.

The archive sends (``Issue`` the sender); disclosure, search, opendata, tracker,
review and portal connect their receivers in their ``AppConfig.ready``. Each
signal is sent where the archive used to call the app, so a receiver runs at the
same moment and in the same transaction: an exception in one rolls the
archive's write back, as the direct call did. Work that must not (the index,
the open data files) is sent by ``content_committed`` once the transaction has
committed, and its receivers log their own failures. Receivers run in
``INSTALLED_APPS`` order (search before opendata).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

from gongbao.site.archive.models import Issue

# Before an issue goes public, outside any transaction; ``issue``. A receiver
# stops the publication by raising (disclosure: PublishBlocked while personal
# data awaits the privacy review).
publishing = Signal()

# In the transaction that bumped the archive generation; ``issue`` (None: the
# whole archive). Search logs the change, so every server's index catches up.
content_changed = Signal()

# Once that transaction has committed; ``issue_id`` (None: the whole archive).
# Search updates its index, opendata its manifests, citations and bulk files.
content_committed = Signal()

# In the import's transaction, a new version of an issue stored; ``issue``,
# ``version`` and ``note`` (what went, changed and was renumbered). Disclosure
# writes it to the audit log.
version_stored = Signal()

# In the import's transaction; ``gazette`` and ``renamed`` (old ident → new).
# Disclosure moves its records (公开属性, privacy decisions…) to the new idents.
documents_renamed = Signal()

# In the import's transaction; ``document_ids``, ``flag`` (Document.CHANGED or
# REMOVED) and ``note``. Tracker asks a reviewer to look at their tasks again.
documents_changed = Signal()

# In the import's transaction; ``issue``, ``ident`` (its one document),
# ``source`` (the page's file name), ``metadata`` and ``files`` (SavedFile).
# Portal records the saved page's metadata table and attachments.
saved_page_imported = Signal()

# In the import's transaction, a changed file for a published issue; ``issue``,
# ``source`` (bytes), ``name``, ``digest``, ``user``, ``note``, ``reason``.
# Review holds it as a 勘误 for a reviewer (four eyes). Required: see ``ask``.
correction_received = Signal()

# The admin's publish action; ``issue`` and ``user``. Review records the request
# for a second person to approve (four eyes), or raises ``Refused``. Required.
publication_requested = Signal()


class Refused(Exception):
    """A receiver declined a request; the message (Chinese) is for the user."""


def ask(signal: Signal, name: str, /, sender: object = Issue, **kwargs: object) -> None:
    """Send a request that an installed app must carry out: a correction or a
    publication nobody received would look done and never happen."""
    if not signal.send(sender=sender, **kwargs):
        raise ImproperlyConfigured(f"no installed app receives the {name} signal")
