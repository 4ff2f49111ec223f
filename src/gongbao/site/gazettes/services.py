"""Gazette profiles on the site: which profile applies, its sections, and saving a new version.

Reads: the newest ``Profile`` row of a gazette, else the file ``GONGBAO_PROFILE``
(the profile as deployed, for the gazette its ``slug`` names, else the default
gazette; the demo and the tests use ``samples/guanxian.toml``). Writes: ``Profile`` rows, each a new version (the
older ones are the history), only after ``gongbao.core.profile`` accepted the text,
each with its entry in the audit log (who, which version, the note).

For other apps:

- ``profile_of(gazette)``: the ``GazetteProfile`` of a gazette, or ``None``;
- ``sections(gazette)``: its sections in printed order, each a
  ``gongbao.core.profile.Section`` (``name``, ``organs``); empty without a profile;
- ``site_profile()``: the default gazette's profile, for what the site has one of
  (the disclosure office and its 索引号 scheme, the catalog areas, the unit registry).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from gongbao.core.profile import (
    GazetteProfile,
    ProfileError,
    Section,
    load_profile,
    parse_profile,
)
from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive.models import Gazette
from gongbao.site.gazettes.models import Profile
from gongbao.site.gazettes.signals import profile_was_saved

__all__ = [
    "ProfileError",
    "profile_of",
    "profile_text",
    "save_profile",
    "sections",
    "site_profile",
]


@lru_cache(maxsize=8)
def _parsed(text: str) -> GazetteProfile:
    return parse_profile(text)


@lru_cache(maxsize=4)
def _from_file(path: str, mtime: float) -> GazetteProfile:
    return load_profile(path)


def file_profile() -> GazetteProfile | None:
    """The profile file of the deployment (``GONGBAO_PROFILE``), re-read when it changes."""
    path = str(getattr(settings, "GONGBAO_PROFILE", "") or "")
    if not path:
        return None
    try:
        mtime = Path(path).stat().st_mtime
    except OSError as exc:
        raise ProfileError(f"公报配置文件无法读取：{path}（{exc}）") from exc
    return _from_file(path, mtime)


def default_gazette() -> Gazette | None:
    """``GONGBAO_DEFAULT_GAZETTE``, else the only gazette; ``None`` when neither."""
    if settings.DEFAULT_GAZETTE:
        return Gazette.objects.filter(slug=settings.DEFAULT_GAZETTE).first()
    rows = list(Gazette.objects.order_by("pk")[:2])
    return rows[0] if len(rows) == 1 else None


def profile_text(gazette: Gazette) -> str:
    """The text staff saved last for the gazette; empty when none."""
    row = Profile.objects.filter(gazette=gazette).order_by("-saved_at", "-id").first()
    return row.text if row else ""


def profile_of(gazette: Gazette | None) -> GazetteProfile | None:
    """The gazette's saved profile, else the file (``GONGBAO_PROFILE``) when it is this
    gazette's: the file's ``slug`` names it, or, without one, the default gazette."""
    if gazette is not None:
        text = profile_text(gazette)
        if text:
            return _parsed(text)
    found = file_profile()
    if found is None or gazette is None:
        return found
    if found.slug:
        return found if found.slug == gazette.slug else None
    default = default_gazette()
    return found if default is None or default.pk == gazette.pk else None


def site_profile() -> GazetteProfile | None:
    """What the site has one of (the disclosure office, the catalog, the unit registry):
    the default gazette's saved profile, else the file; ``None`` when there is neither."""
    default = default_gazette()
    text = profile_text(default) if default is not None else ""
    return _parsed(text) if text else file_profile()


def sections(gazette: Gazette | None) -> list[Section]:
    """The gazette's sections in printed order (``Section.name``, ``Section.organs``)."""
    profile = profile_of(gazette)
    return list(profile.sections) if profile else []


def save_profile(gazette: Gazette, text: str, user: Actor = None, note: str = "") -> Profile:
    """Check ``text`` and keep it as the gazette's new profile (the old one stays as history),
    written to the audit log in the same transaction (``signals.profile_saved``).

    ``ProfileError`` (one Chinese line) when the text is not a usable profile: nothing saved.
    """
    profile = parse_profile(text)
    with transaction.atomic():
        saved = Profile.objects.create(
            gazette=gazette,
            text=text,
            saved_by=staff_member(user),
            note=note[:200],
        )
        version = Profile.objects.filter(gazette=gazette).count()
        profile_was_saved(saved, version, profile.name)
    return saved
