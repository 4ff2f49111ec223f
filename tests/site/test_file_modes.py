"""The data folder, the SQLite archive, the secret, the keys and uploads are the owner's alone.

Created with an ordinary umask (022), which would leave files world-readable
(0644) unless the code sets their mode itself.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def gongbao(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "gongbao.cli", *args],
        capture_output=True,
        text=True,
        env={**env, "GONGBAO_HOME": str(home)},
        timeout=300,
        umask=0o022,
    )


def test_archive_secret_and_keys_are_created_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "new" / "data"  # neither folder exists yet
    out = gongbao(home, "keys", "init")
    assert out.returncode == 0, out.stderr
    assert mode(home) == 0o700
    archive = home / "gongbao.sqlite3"
    assert archive.stat().st_size > 0  # migrated: the real archive, not a placeholder
    for path in (archive, home / "secret_key"):
        assert mode(path) == 0o600, path
    for sidecar in (home / "gongbao.sqlite3-wal", home / "gongbao.sqlite3-shm"):
        assert not sidecar.exists() or mode(sidecar) == 0o600, sidecar
    keys = home / "keys"
    assert mode(keys) == 0o700
    assert mode(keys / "manifest-key.pem") == 0o600 and mode(keys / "pdf-key.pem") == 0o600


def test_an_existing_archive_keeps_its_content(tmp_path: Path) -> None:
    home = tmp_path / "data"
    assert gongbao(home, "keys", "init").returncode == 0
    size = (home / "gongbao.sqlite3").stat().st_size
    assert gongbao(home, "keys", "show").returncode == 0
    assert (home / "gongbao.sqlite3").stat().st_size == size


def test_uploads_are_owner_only(settings, tmp_path: Path) -> None:
    from gongbao.site.disclosure.models import private_storage

    settings.MEDIA_ROOT = str(tmp_path / "media")
    old = os.umask(0o022)
    try:
        name = private_storage().save("requests/2027/申请附件.txt", ContentFile(b"ID 110105"))
    finally:
        os.umask(old)
    path = tmp_path / "media" / name
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
