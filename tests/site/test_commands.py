"""The archive commands as a user runs them: import trees, summaries, publish, reindex, parallel import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gongbao.testing.generate import generate_corpus


def _env(tmp_path: Path) -> dict[str, str]:
    """A separate SQLite archive for commands run as subprocesses."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GONGBAO_HOME"] = str(tmp_path / "home")
    return env


def gongbao(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongbao.cli", *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=300,
    )


def test_import_tree_summary_and_idempotence(tmp_path: Path, sample_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, count=5, seed=4, start_year=2010, gazettes=1, paragraphs_per_doc=6)
    (corpus / "broken.md").write_bytes(b"%PDF-1.4 not text")
    first = gongbao(tmp_path, "import", str(corpus), str(sample_path), "--quiet")
    assert first.returncode == 1  # one file failed
    assert "共 7 个文件：新导入 6，已更新 0，未变化 0，失败 1" in first.stdout
    assert "broken.md" in first.stdout and "PDF" in first.stdout
    again = gongbao(tmp_path, "import", str(corpus), "--quiet")
    assert "未变化 5" in again.stdout
    assert "Traceback" not in first.stderr + again.stderr


def test_publish_and_reindex_commands(tmp_path: Path, sample_path: Path) -> None:
    assert gongbao(tmp_path, "import", str(sample_path), "-q").returncode == 0
    out = gongbao(tmp_path, "publish", "guanxian-2018-03")
    assert out.returncode == 0 and "已发布：guanxian-2018-03" in out.stdout
    assert gongbao(tmp_path, "publish", "nope-2000-01").returncode == 1
    check = gongbao(tmp_path, "reindex", "--check")
    assert "无需重建" in check.stdout
    assert "18 篇" in gongbao(tmp_path, "reindex").stdout


def test_missing_path_is_reported(tmp_path: Path) -> None:
    out = gongbao(tmp_path, "import", str(tmp_path / "nowhere"))
    assert out.returncode == 1 and "找不到" in out.stderr


def test_parallel_imports_on_sqlite_do_not_corrupt(tmp_path: Path) -> None:
    """Four processes import overlapping trees at once: every issue once, nothing locked up."""
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, count=12, seed=9, start_year=2012, gazettes=2, paragraphs_per_doc=5)
    gongbao(tmp_path, "reindex")  # create and migrate the archive before the race
    env = _env(tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "gongbao.cli", "import", str(corpus), "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    imported = sum(int(out.split("新导入 ")[1].split("，")[0]) for out, _ in outputs)
    assert imported == 12
    check = subprocess.run(
        [sys.executable, "-c", _INTEGRITY], capture_output=True, text=True, env=env, timeout=60
    )
    assert check.stdout.strip() == "ok 12", check.stderr


_INTEGRITY = """
from gongbao.site import setup
setup(migrate=False)
from django.db import connection
from gongbao.site.archive.models import Issue, IssueVersion
with connection.cursor() as c:
    c.execute("PRAGMA integrity_check")
    assert c.fetchone()[0] == "ok"
assert IssueVersion.objects.count() == Issue.objects.count()
print("ok", Issue.objects.count())
"""
