"""Bad files and bad URLs: one line or a 404, the rest goes on, and server errors are logged."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from gongbao.site.archive import services
from gongbao.site.archive.models import ImportRecord, Issue
from gongbao.testing.generate import generate_corpus

BAD_UTF16 = b"\xff\xfe" + "公报".encode("utf-16-le") + b"\x00\xd8A\x00"  # a lone surrogate


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "GONGBAO_HOME": str(tmp_path / "home"), **extra}


def test_serial_import_records_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, count=2, seed=5, start_year=2010, gazettes=1, paragraphs_per_doc=3)
    (corpus / "0-broken.md").write_bytes(BAD_UTF16)  # sorts first: the good files come after
    out = subprocess.run(
        [sys.executable, "-m", "gongbao.cli", "import", str(corpus), "-q"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=300,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "新导入 2" in out.stdout and "失败 1" in out.stdout
    failed = [ln for ln in out.stdout.splitlines() if ln.startswith("  失败：")]
    assert len(failed) == 1 and "0-broken.md" in failed[0] and "UTF-16" in failed[0]


@pytest.mark.django_db(transaction=True)
def test_a_parser_bug_fails_that_file_only_and_is_logged(
    tmp_path: Path, sample_path: Path, monkeypatch, caplog
) -> None:
    parse = services.parse_stream

    def breaks_on_one_file(stream, source: str = ""):
        if source == "crash.md":
            raise RecursionError("maximum recursion depth exceeded")
        return parse(stream, source=source)

    monkeypatch.setattr(services, "parse_stream", breaks_on_one_file)
    crash = tmp_path / "crash.md"
    crash.write_text("# 某县人民政府公报\n\n2018年第1期\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="gongbao.archive"):
        outcome = services.import_file(crash)
    assert outcome.outcome == ImportRecord.FAILED and "RecursionError" in outcome.message
    assert ImportRecord.objects.get(path=str(crash)).outcome == ImportRecord.FAILED
    assert any(r.exc_info and "crash.md" in r.getMessage() for r in caplog.records)
    assert services.import_file(sample_path).outcome == ImportRecord.IMPORTED
    assert Issue.objects.count() == 1


@pytest.mark.django_db
def test_a_256_character_data_name_is_a_404(client) -> None:
    for name in ("a" * 256, "a" * 256 + ".csv", "名" * 100 + ".jsonl"):
        assert client.get(f"/data/{name}").status_code == 404


@pytest.mark.django_db
def test_server_errors_are_logged_with_their_traceback(monkeypatch, caplog) -> None:
    from gongbao.site.opendata import bulk

    def broken() -> Path:
        raise RuntimeError("磁盘坏了")

    monkeypatch.setattr(bulk, "bulk_dir", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/data/x.csv")
    assert response.status_code == 500
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].exc_info and "磁盘坏了" in str(logged[0].exc_info[1])


_LOG_A_500 = """
from django.test import Client
from gongbao.site import setup
setup()  # every request reads the archive's generation first (the index catches up)
from gongbao.site.opendata import bulk
def broken():
    raise RuntimeError("磁盘坏了")
bulk.bulk_dir = broken
print(Client(raise_request_exception=False).get("/data/x.csv").status_code)
"""


def test_server_errors_go_to_stderr_and_the_error_log(tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    out = subprocess.run(
        [sys.executable, "-c", _LOG_A_500],
        capture_output=True,
        text=True,
        env=_env(tmp_path, GONGBAO_ERROR_LOG=str(log)),
        timeout=120,
    )
    assert out.stdout.strip() == "500", out.stderr
    assert "磁盘坏了" in out.stderr and "Traceback" in out.stderr
    text = log.read_text("utf-8")
    assert "ERROR django.request" in text and "RuntimeError: 磁盘坏了" in text
