"""Bulk import: worker processes, a Celery queue on Redis, interruption, crashes, failed files."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from gongbao.testing.generate import generate_corpus

SOURCES = Path(__file__).parents[1] / "data" / "sources"
REDIS = "redis://127.0.0.1:6379/15"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GONGBAO_HOME"] = str(tmp_path / "home")
    env.update(extra)
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "gongbao.cli", *args]


def _run(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _cli(*args), capture_output=True, text=True, env=_env(tmp_path, **extra), timeout=300
    )


def _corpus(tmp_path: Path, count: int) -> Path:
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, count=count, seed=11, start_year=2010, gazettes=1, paragraphs_per_doc=4)
    return corpus


def _db(tmp_path: Path, sql: str) -> list[tuple]:
    path = tmp_path / "home" / "gongbao.sqlite3"
    if not path.exists():
        return []
    con = sqlite3.connect(path, timeout=30)
    try:
        return con.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def _imported(tmp_path: Path) -> int:
    rows = _db(tmp_path, "SELECT count(*) FROM archive_importrecord WHERE outcome='imported'")
    return rows[0][0] if rows else 0


def _wait(predicate, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)


def _exactly_once(tmp_path: Path, count: int) -> None:
    issues = _db(tmp_path, "SELECT count(*) FROM archive_issue")[0][0]
    versions = _db(
        tmp_path,
        "SELECT issue_id, count(*) FROM archive_issueversion GROUP BY issue_id HAVING count(*) > 1",
    )
    assert issues == count and versions == []
    assert _db(tmp_path, "SELECT count(*) FROM archive_importrecord WHERE outcome='failed'") == [
        (0,)
    ]


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def test_workers_import_everything_once_and_resume_after_interruption(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 8)
    shutil.copy(SOURCES / "guanxian-2018-03.pdf", corpus / "guanxian-2018-03.pdf")
    assert _run(tmp_path, "reindex").returncode == 0  # create the archive first
    proc = subprocess.Popen(
        _cli("import", str(corpus), "--workers", "2", "-q"),
        env=_env(tmp_path, GONGBAO_TASK_DELAY="0.4"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _wait(lambda: _imported(tmp_path) >= 2)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole run dies: client and workers
    proc.communicate(timeout=60)
    done = _imported(tmp_path)
    assert 2 <= done < 9
    again = _run(tmp_path, "import", str(corpus), "--workers", "2", "-q")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"共 9 个文件：新导入 {9 - done}，已更新 0，未变化 {done}，失败 0" in again.stdout
    _exactly_once(tmp_path, 9)
    pdf = _db(
        tmp_path, "SELECT source_name FROM archive_issueversion WHERE source_name LIKE '%.pdf'"
    )
    assert pdf == [("guanxian-2018-03.pdf",)]


def test_a_killed_worker_process_loses_no_file(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 6)
    assert _run(tmp_path, "reindex").returncode == 0
    proc = subprocess.Popen(
        _cli("import", str(corpus), "--workers", "2", "-q"),
        env=_env(tmp_path, GONGBAO_TASK_DELAY="1.0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait(lambda: len([c for c in _children(proc.pid) if _is_python(c)]) >= 2)
    time.sleep(1.0)  # the workers are inside their first files
    worker = [c for c in _children(proc.pid) if _is_python(c)][-1]
    os.kill(worker, signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert "失败 0" in out and "Traceback" not in err
    _exactly_once(tmp_path, 6)


def _is_python(pid: int) -> bool:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"multiprocessing" in cmd and b"resource_tracker" not in cmd


def test_failed_files_are_reported_with_their_reason(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 2)
    (corpus / "locked.pdf").write_bytes(
        b"%PDF-1.4\ntrailer << /Encrypt << /Filter /Standard >> >>\n%%EOF"
    )
    (corpus / "photos.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (corpus / "empty.pdf").write_bytes(b"")
    out = _run(tmp_path, "import", str(corpus), "--workers", "2", "-q")
    assert out.returncode == 1
    assert "新导入 2" in out.stdout and "失败 3" in out.stdout
    failed = [ln for ln in out.stdout.splitlines() if ln.startswith("  失败：")]
    assert len(failed) == 3
    assert any("locked.pdf" in ln and "PDF" in ln for ln in failed)
    assert any("photos.docx" in ln and "Word" in ln for ln in failed)
    assert any("empty.pdf" in ln and "空的" in ln for ln in failed)
    assert _db(tmp_path, "SELECT count(*) FROM archive_issue") == [(2,)]


def _redis_up() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running at 127.0.0.1:6379")
def test_celery_worker_killed_midway_and_restarted(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 8)
    assert _run(tmp_path, "reindex").returncode == 0
    env = _env(
        tmp_path,
        GONGBAO_BROKER=REDIS,
        GONGBAO_QUEUE=f"gongbao-test-{uuid.uuid4().hex[:8]}",
        GONGBAO_VISIBILITY_TIMEOUT="3",
        GONGBAO_TASK_DELAY="0.5",
    )
    celery = [sys.executable, "-m", "celery", "-A", "gongbao.site.archive.celery", "worker",
              "--pool=solo", "-l", "warning", "--without-gossip", "--without-mingle"]  # fmt: skip

    def worker() -> subprocess.Popen:
        return subprocess.Popen(
            celery, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

    first = worker()
    client = subprocess.Popen(
        _cli("import", str(corpus), "--broker", REDIS, "-q"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(lambda: _imported(tmp_path) >= 2)
        os.killpg(first.pid, signal.SIGKILL)  # mid-way, with a task in hand
        first.wait(timeout=30)
        assert _imported(tmp_path) < 8
        second = worker()
        try:
            out, err = client.communicate(timeout=240)
        finally:
            os.killpg(second.pid, signal.SIGKILL)
            second.wait(timeout=30)
    finally:
        if client.poll() is None:
            client.kill()
    assert client.returncode == 0, out + err
    assert "共 8 个文件" in out and "失败 0" in out
    _exactly_once(tmp_path, 8)


@pytest.mark.django_db(transaction=True)
def test_import_routes_pdf_and_docx_and_skips_known_content(tmp_path: Path) -> None:
    from gongbao.site.archive.jobs import import_one
    from gongbao.site.archive.models import Issue, IssueVersion
    from gongbao.site.archive.services import import_file

    first = import_file(SOURCES / "guanxian-2018-03.docx")
    assert first.outcome == "imported", first.message
    issue = Issue.objects.get(ident="guanxian-2018-03")
    assert issue.documents.count() == 18
    again = import_one(str(SOURCES / "guanxian-2018-03.docx"))
    assert again["outcome"] == "unchanged"
    assert IssueVersion.objects.filter(issue=issue).count() == 1
    pdf = import_file(SOURCES / "guanxian-2018-03.pdf")  # same issue, another source
    assert pdf.outcome == "updated" and pdf.version == 2
