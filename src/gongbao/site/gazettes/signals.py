"""What the gazettes app tells the apps built on it, so that it never imports them.

Disclosure keeps the audit log and reads the profile (its office, 索引号 scheme and
catalog areas): it receives ``profile_saved`` in its ``AppConfig.ready`` and writes
the entry, in ``save_profile``'s transaction, so a failure there saves nothing.
"""

from __future__ import annotations

from django.dispatch import Signal

from gongbao.site.archive.signals import ask
from gongbao.site.gazettes.models import Profile

# In save_profile's transaction; ``profile`` (the new row: gazette, saved_by, note),
# ``version`` (its number among the gazette's) and ``name`` (the gazette's name in
# it). Disclosure writes it to the audit log. Required: see ``profile_was_saved``.
profile_saved = Signal()


def profile_was_saved(profile: Profile, version: int, name: str) -> None:
    """Tell the audit log; a saved profile nobody logs would be a change of record
    without its trace, so no receiver fails (``ImproperlyConfigured``)."""
    ask(profile_saved, "profile_saved", sender=Profile, profile=profile, version=version, name=name)
