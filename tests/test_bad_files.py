"""Files that cannot be read give one line and exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gongbao.core.readers import ReadError
from gongbao.core.readers.text import decode


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + "公报".encode("utf-16-le") + b"\x00\xd8A\x00",  # lone high surrogate
        b"\xfe\xff" + "公报".encode("utf-16-be") + b"\xdc\x00",  # lone low surrogate
        b"\xff\xfe" + "公报".encode("utf-16-le") + b"A",  # an odd number of bytes
    ],
)
def test_invalid_utf16_after_a_bom_is_a_read_error(data: bytes) -> None:
    with pytest.raises(ReadError, match="UTF-16") as err:
        decode(data, "x.md")
    assert "\n" not in str(err.value)


def test_check_says_one_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_bytes(b"\xff\xfe" + "公报".encode("utf-16-le") + b"\x00\xd8A\x00")
    out = subprocess.run(
        [sys.executable, "-m", "gongbao.cli", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and "UTF-16" in out.stderr
