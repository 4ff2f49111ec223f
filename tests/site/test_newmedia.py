"""New media: 公众号 article exports and share cards of published documents and issues."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from gongbao.cli import main
from gongbao.core.export import wechat
from gongbao.site.archive.models import Document
from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata, draft_issue = helpers.opendata, helpers.draft_issue
DOC = "guanzhengfa-2018-64"
ISSUE = "guanxian-2018-03"


def _qr_text(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_wechat_articles_cards_and_links(opendata, sample_issue, draft_issue, settings) -> None:
    client = Client()
    page = client.get(f"/guanxian/doc/{DOC}/").content.decode()
    assert f'href="/wechat/doc/guanxian/{DOC}.html"' in page
    assert f'href="/card/doc/guanxian/{DOC}.png"' in page
    issue_page = client.get("/guanxian/2018/3/").content.decode()
    assert f'href="/wechat/issue/{ISSUE}.html"' in issue_page

    # The document's article: self-contained, the text is there, the QR image is inline.
    r = client.get(f"/wechat/doc/guanxian/{DOC}.html")
    assert r.status_code == 200
    assert r["Content-Disposition"] == f'attachment; filename="{DOC}.wechat.html"'
    html = r.content.decode()
    assert wechat.problems(html) == []
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert "关于开展第四次经济普查的通知" in html and "冠政发〔2018〕64号" in html
    assert 'src="data:image/png;base64,' in html
    assert f"原文：http://testserver/guanxian/doc/{DOC}/" in html

    # The issue's article: every public document, still self-contained.
    r = client.get(f"/wechat/issue/{ISSUE}.html")
    html = r.content.decode()
    assert wechat.problems(html) == []
    titles = Document.objects.filter(issue=sample_issue).values_list("title", flat=True)
    assert all(t in html for t in titles)

    # The card's QR code reads back to the page's absolute address.
    r = client.get(f"/card/doc/guanxian/{DOC}.png")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(r.content)).size == (900, 1200)
    assert _qr_text(r.content) == [f"http://testserver/guanxian/doc/{DOC}/"]
    settings.GONGBAO_SITE_URL = "https://gb.example.gov.cn"
    r = client.get(f"/card/issue/{ISSUE}.png")
    assert _qr_text(r.content) == ["https://gb.example.gov.cn/guanxian/2018/3/"]

    # Drafts and unknown documents: nothing.
    draft_doc = draft_issue.documents.first()
    slug = draft_issue.gazette.slug
    assert client.get(f"/wechat/doc/{slug}/{draft_doc.ident}.html").status_code == 404
    assert client.get(f"/card/doc/{slug}/{draft_doc.ident}.png").status_code == 404
    assert client.get(f"/wechat/issue/{draft_issue.ident}.html").status_code == 404
    assert client.get("/card/doc/guanxian/no-such-doc.png").status_code == 404

    # A missing font is a clear Chinese message, not a traceback.
    other = Document.objects.filter(issue=sample_issue).exclude(ident=DOC).first()
    settings.GONGBAO_CARD_FONT = "/nonexistent/font.ttc"
    r = client.get(f"/card/doc/guanxian/{other.ident}.png")
    assert r.status_code == 503
    assert "找不到分享卡片字体文件：/nonexistent/font.ttc" in r.content.decode()


def test_export_wechat_command(opendata, sample_issue, tmp_path: Path, settings, capsys) -> None:
    settings.GONGBAO_SITE_URL = "https://gb.example.gov.cn"
    out = tmp_path / "issue.html"
    assert main(["export", "--format", "wechat", "--issue", ISSUE, "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert wechat.problems(html) == []
    assert "原文：https://gb.example.gov.cn/guanxian/2018/3/" in html
    one = tmp_path / "doc.html"
    args = ["export", "--format", "wechat", "--doc", DOC, "--out", str(one)]
    assert main(args) == 0
    assert "关于开展第四次经济普查的通知" in one.read_text(encoding="utf-8")
    assert main(["export", "--format", "wechat", "--doc", "no-such", "--out", str(one)]) == 1
    assert "没有这份已发布的公开文件：no-such" in capsys.readouterr().err
