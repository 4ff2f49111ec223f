"""Abuse limits counted in the database, so they hold across server processes and restarts.

A fixed window per (bucket, client): ``hit`` adds one request and returns how many
the client made in the current window. The count is one row updated with
``count = count + 1`` in the database every worker shares (SQLite or
PostgreSQL), so two workers never lose an increment and a restart forgets
nothing; Django's local-memory cache would count per process, and its database
cache reads and writes back (two simultaneous requests count once).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F


@dataclass(frozen=True)
class Hit:
    count: int  # requests in this window, this one included
    reset: int  # seconds until the window ends


def hit(bucket: str, client: str, window: int, *, now: float | None = None) -> Hit:
    """Count one request of ``client`` in ``bucket`` for the fixed window of ``window`` seconds."""
    from gongbao.site.limits.models import Counter

    now = time.time() if now is None else now
    start = int(now // window) * window
    key = f"{bucket}:{client}:{start}"[:200]
    with transaction.atomic():
        if not Counter.objects.filter(key=key).update(count=F("count") + 1):
            _first(key, datetime.fromtimestamp(start + window, UTC), now)
        count = Counter.objects.filter(key=key).values_list("count", flat=True).get()
    return Hit(count, max(1, int(start + window - now + 0.999)))


def _first(key: str, expires: datetime, now: float) -> None:
    """The window's first request: a new row, and the expired rows of every client go."""
    from gongbao.site.limits.models import Counter

    try:
        with transaction.atomic():
            Counter.objects.create(key=key, count=1, expires=expires)
    except IntegrityError:  # another worker created it a moment ago
        Counter.objects.filter(key=key).update(count=F("count") + 1)
        return
    Counter.objects.filter(expires__lt=datetime.fromtimestamp(now, UTC)).delete()
