"""WSGI entry point (``gongbao serve`` repairs index drift before it starts the workers)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongbao.site.settings")
application = get_wsgi_application()
