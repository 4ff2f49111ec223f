"""ruff's lint rules and its format hold for the whole tree: CI fails on a slip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "src", "tests", "bench", "tools"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_ruff_check_passes() -> None:
    done = _ruff("check", "--no-cache")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_ruff_format_holds() -> None:
    done = _ruff("format", "--check", "--no-cache")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
