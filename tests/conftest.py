"""Shared test helpers.

The real gazette sample lives outside the repository, in ``../shared`` (read-only,
present in development and CI alike). Tests that need it use ``shared_file``: on
CI a missing file is a failure, because a silently skipped corpus test proves
nothing; elsewhere it is a skip, so a bare checkout still runs the rest.

No test depends on today's date: every test runs with the clock set to
``FROZEN_AT`` (a working Monday in a year the holiday calendar knows) and moving
on from there, so a due date counted "from today" is the same on any day CI
runs. A test that needs another day travels there with the ``clock`` fixture
(``clock.move_to(...)``). ``scripts/test.sh`` runs the date-sensitive tests a
second time under ``faketime`` in a year the calendar does not know, which fails
if anything escapes the frozen clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

SHARED_DIR = Path(__file__).parents[1].parent / "shared"
SHANGHAI = ZoneInfo("Asia/Shanghai")
FROZEN_AT = datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI)


def morning_of(day: date) -> datetime:
    """10:00 in Beijing time on ``day``: where ``clock.move_to`` sends a test."""
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI)


def shared_path(*parts: str) -> Path:
    """The path of a file under ``../shared``; fail on CI, skip elsewhere, if missing."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.is_file():
        message = f"共享文件缺失：{path}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def shared_file() -> Callable[..., Path]:
    """Fixture form of ``shared_path``: ``shared_file("corpus", "x.md")``."""
    return shared_path


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Coordinates]:
    """The test's clock, set to ``FROZEN_AT``; ``clock.move_to(day)`` travels.

    It ticks (``tick=True``) so that waits, timeouts and rate-limit windows still
    see time pass; a test lasts seconds, far from the next midnight.
    """
    with time_machine.travel(FROZEN_AT, tick=True) as coordinates:
        yield coordinates
