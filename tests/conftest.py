"""Shared test helpers.

The real gazette sample lives outside the repository, in ``../shared`` (read-only,
present in development and CI alike). Tests that need it use ``shared_file``: on
CI a missing file is a failure, because a silently skipped corpus test proves
nothing; elsewhere it is a skip, so a bare checkout still runs the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).parents[1].parent / "shared"


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
