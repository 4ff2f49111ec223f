"""Security of the public site: CSP, escaping of untrusted text, CSRF, admin, production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from gongbao.site.archive.models import Document, Issue
from gongbao.site.archive.services import import_file, publish_issue

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>alert(1)</script>"
ROOT = Path(__file__).resolve().parents[2]


def test_csp_header_on_pages(client, sample_issue) -> None:
    for url in ("/", "/2018/3/", "/doc/guanzhengfa-2018-64/", "/search/?q=秸秆", "/nope/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "frame-ancestors 'none'" in csp
        html = response.content.decode()
        assert " style=" not in html and "<script>" not in html, url


@pytest.fixture
def crafted_issue(sample_path: Path, tmp_path: Path) -> Issue:
    """The real issue with markup in a title and in body text.

    The Markdown reader drops raw tags but decodes entities, so markup written as
    entities reaches the archive as literal ``<script>`` text: what a page must escape.
    """
    encoded = SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
    text = sample_path.read_text("utf-8")
    text = text.replace(
        "## 冠县人民政府 关于开展第四次经济普查的通知",
        f"## 冠县人民政府 关于开展{encoded}第四次经济普查的通知",
        1,
    )
    img = '&lt;img src=x onerror="alert(2)"&gt;'
    text = text.replace("普查的内容主要包括", f"普查的内容{img}{encoded}主要包括", 1)
    path = tmp_path / "guanxian-2018-03.md"
    path.write_text(text, encoding="utf-8")
    outcome = import_file(path)
    assert outcome.outcome == "imported", outcome.message
    return publish_issue(Issue.objects.get(ident=outcome.issue))


def test_document_text_is_escaped(client, crafted_issue) -> None:
    doc = Document.objects.get(ident="guanzhengfa-2018-64")
    assert SCRIPT in doc.title  # the markup really is in the archive
    assert doc.nodes.filter(text__contains='<img src=x onerror="alert(2)">').exists()
    for url in (
        "/doc/guanzhengfa-2018-64/",
        "/2018/3/",
        "/search/?q=经济普查",
        "/search/?q=" + SCRIPT,
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<img src=x" not in html, url
    html = client.get("/doc/guanzhengfa-2018-64/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    search = client.get("/search/", {"q": "经济普查"}).content.decode()
    assert "&lt;script&gt;" in search


def test_login_form_has_csrf_token_and_post_without_it_is_rejected() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403


def test_admin_redirects_anonymous_users_to_login(client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GONGBAO_", "DJANGO_"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import gongbao.site.settings"],
        env=base,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_debug(tmp_path: Path) -> None:
    result = _import_settings(
        GONGBAO_ENV="production",
        GONGBAO_DEBUG="1",
        GONGBAO_SECRET_KEY="x" * 50,
        GONGBAO_HOME=str(tmp_path),
    )
    assert result.returncode != 0
    assert "生产环境不得开启 DEBUG" in result.stderr


def test_production_refuses_missing_secret(tmp_path: Path) -> None:
    result = _import_settings(GONGBAO_ENV="production", GONGBAO_HOME=str(tmp_path))
    assert result.returncode != 0
    assert "生产环境必须设置 GONGBAO_SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret(tmp_path: Path) -> None:
    result = _import_settings(
        GONGBAO_ENV="production",
        GONGBAO_SECRET_KEY="k3y-" + "x" * 46,
        GONGBAO_HOME=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
