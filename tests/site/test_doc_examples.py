"""The shell examples of docs/api.md and docs/opendata.md, run as a reader would run them.

Each ``sh`` block under an *Examples* heading is one bash script (``set -euo
pipefail``) with the documented host replaced by a live test server; curl's
``-f`` makes any HTTP error fail it. URLs must be ASCII: a raw Chinese query
string is refused by gunicorn in production, so the docs encode it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongbao.site.archive.models import Issue
from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata = helpers.opendata

ROOT = Path(__file__).resolve().parents[2]
HOST = "https://example.gov.cn"


def _examples(doc: str) -> str:
    """The first ``sh`` block after each *Examples* heading of a doc, joined."""
    text = (ROOT / "docs" / doc).read_text("utf-8")
    blocks = []
    for heading in re.finditer(r"^#+ Examples$", text, re.M):
        start = text.index("```sh\n", heading.end()) + len("```sh\n")
        blocks.append(text[start : text.index("```", start)])
    assert blocks, f"docs/{doc} has no Examples block"
    return "".join(blocks)


EXECUTED = ["api.md", "opendata.md"]


def test_every_curl_in_the_docs_is_run() -> None:
    """A curl line anywhere in the docs (or the README) lies in a block this module runs."""
    run = "".join(_examples(doc) for doc in EXECUTED)
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for line in path.read_text("utf-8").splitlines():
            if re.match(r"\s*(\$\s*)?curl\s", line) or re.search(r"\$\(curl\s", line):
                assert line in run, f"{path.name}: 未经测试运行的示例：{line}"


@pytest.mark.parametrize("doc", EXECUTED)
def test_examples_use_ascii_urls(doc: str) -> None:
    urls = re.findall(r"https?://[^\s'\")]+", _examples(doc))
    assert urls
    assert all(u.isascii() for u in urls), [u for u in urls if not u.isascii()]


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="需要 curl 和 jq")
@pytest.mark.parametrize("doc", EXECUTED)
def test_examples_run_against_a_live_server(
    doc: str, opendata, sample_issue: Issue, live_server, tmp_path: Path
) -> None:
    script = _examples(doc).replace(HOST, live_server.url)
    # A reader's shell: gongbao on the PATH, no archive of its own (verify uses --keys).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "GONGBAO_TEST_DATABASE")
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}", GONGBAO_HOME=str(tmp_path)
    )
    result = subprocess.run(
        ["bash", "-c", "set -euo pipefail\ntrap 'echo \"失败：$BASH_COMMAND\" >&2' ERR\n" + script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:] + result.stdout[-2000:]
    if doc == "api.md":
        assert "304" in result.stdout.split()  # the conditional GET example
        assert (tmp_path / "issue.akn.xml").read_bytes().startswith(b"<?xml")
