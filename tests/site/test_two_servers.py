"""Several web servers over one archive: each keeps its own search index (a folder under
its data folder) and catches up from the archive's publication log — after a publication
anywhere, and on start with an empty data folder.

Real ``gongbao serve`` processes on free ports, one PostgreSQL database; the publication
comes from the command line against that database. SQLite has no place in this
deployment (one file, one machine), so the test runs on PostgreSQL only (scripts/test.sh).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from gongbao.site.archive.models import Document, Issue
from gongbao.site.archive.services import import_file, publish_issue
from gongbao.testing.generate import generate_issue

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 60.0  # generous: the servers share two cores with the rest of the suite
DOC = "/doc/guanzhengfa-2018-64/"  # in the sample issue: 冠政发〔2018〕64号
NUMBER = "冠政发〔2018〕64号"


@pytest.fixture
def database_url(transactional_db) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("多台服务器共用一个档案需要 PostgreSQL（设置 DATABASE_URL 运行）")
    s = connection.settings_dict
    user = urllib.parse.quote(s["USER"] or "postgres")
    password = ":" + urllib.parse.quote(s["PASSWORD"]) if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GONGBAO_HOME=str(home),
        DATABASE_URL=database_url,
        GONGBAO_BULK_ON_PUBLISH="0",
        GONGBAO_ALLOWED_HOSTS="127.0.0.1",
    )
    env.pop("GONGBAO_INDEX_DIR", None)
    return env


def _get(url: str) -> tuple[int, str]:
    """Status and body; a redirect (a 文号 typed in full opens its document) is followed,
    and the address it led to heads the body."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.geturl() + "\n" + response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def _until(check: Callable[[], bool], what: str) -> None:
    """Poll until check() holds; fail with what after the (generous) deadline."""
    end = time.monotonic() + DEADLINE
    while not check():
        if time.monotonic() > end:
            pytest.fail(f"{DEADLINE:.0f} 秒内未能：{what}")
        time.sleep(0.3)


class Servers:
    def __init__(self, tmp_path: Path, database_url: str) -> None:
        self.tmp_path, self.database_url = tmp_path, database_url
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str) -> str:
        home = self.tmp_path / name
        port = _free_port()
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            [sys.executable, "-m", "gongbao.cli", "serve", "--port", str(port), "--workers", "1"],
            env=_env(home, self.database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"服务器 {name} 退出：{(self.tmp_path / f'{name}.log').read_text()}")
            return _get(url + "/")[0] in (200, 404)

        _until(answers, f"启动服务器 {name}")
        return url

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "gongbao.cli", *args],
            env=_env(self.tmp_path / "cli", self.database_url),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def servers(tmp_path: Path, database_url: str) -> Iterator[Servers]:
    running = Servers(tmp_path, database_url)
    try:
        yield running
    finally:  # before the test database is emptied
        running.stop()


def _finds(url: str, query: str, link: str) -> Callable[[], bool]:
    def check() -> bool:
        status, body = _get(url + "/search/?" + urllib.parse.urlencode({"q": query}))
        return status == 200 and link in body

    return check


def test_published_on_one_found_on_every_server(servers: Servers, sample_path: Path) -> None:
    first, second = servers.start("a"), servers.start("b")
    assert not _finds(second, NUMBER, DOC)()  # nothing published yet

    servers.cli("import", str(sample_path), "-q")
    servers.cli("publish", "guanxian-2018-03")
    for url in (first, second):
        _until(_finds(url, NUMBER, DOC), f"在 {url} 检索到新发布的文件")

    # A later issue, published by another process again, reaches both through the log.
    later = servers.tmp_path / "guanxian-2019-01.md"
    later.write_text(
        generate_issue(7, year=2019, number=1, gazette="冠县人民政府公报"), encoding="utf-8"
    )
    publish_issue(Issue.objects.get(ident=import_file(later).issue))  # this process, too
    issue = Issue.objects.get(year=2019)
    doc = Document.objects.filter(issue=issue).order_by("pk").first()
    for url in (first, second):
        _until(_finds(url, doc.title, f"/doc/{doc.ident}/"), f"在 {url} 检索到第二期")
    assert _finds(second, NUMBER, DOC)()  # the first issue is still there

    # A server started on an empty data folder catches up before it answers.
    third = servers.start("c")
    meta = json.loads((servers.tmp_path / "c" / "index" / "meta.json").read_text("utf-8"))
    assert meta["generation"] > 0
    assert _finds(third, NUMBER, DOC)()
