"""The Django site: archive, search, public pages, API, open data, disclosure, tracker.

``setup()`` configures Django for the command line; tests use pytest-django's
settings instead.
"""

from __future__ import annotations

import os


def setup(*, migrate: bool = True) -> None:
    """Configure Django in this process and bring the database schema up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongbao.site.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
