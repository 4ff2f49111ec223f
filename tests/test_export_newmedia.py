"""The 公众号 article rules and the share card's font lookup (core, no site)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from gongbao.core.export import card, wechat

DOC = {
    "title": "关于<测试>的通知",
    "doc_number": "测政发〔2024〕1号",
    "recipients": "各乡镇",
    "date": "2024-03-05",
    "signature": "测试县人民政府",
    "head": [{"role": "masthead", "text": "测试县人民政府文件"}],
    "body": [
        {"type": "paragraph", "text": "第一段 & 引用 <script>alert(1)</script>"},
        {
            "type": "section",
            "level": 1,
            "text": "一、要求",
            "children": [
                {"type": "table", "rows": [["单位", "人数"], ["甲", "3"]]},
            ],
        },
    ],
    "attachments": [{"number": 1, "title": "名单", "body": [{"type": "lines", "text": "张\n李"}]}],
}


def test_article_is_self_contained_and_escapes_text() -> None:
    html = wechat.document_article(
        DOC,
        gazette="测试县人民政府公报",
        page_url="https://x.example/doc/1/",
        qr=card.qr_png("https://x.example/doc/1/"),
    )
    assert wechat.problems(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "关于&lt;测试&gt;的通知" in html and "2024年3月5日" in html and "附件1" in html
    issue = wechat.issue_article(
        [DOC, DOC], gazette="测试县人民政府公报", issue_label="2024年第1期"
    )
    assert wechat.problems(issue) == [] and issue.count("关于&lt;测试&gt;的通知") == 4  # TOC + text


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ('<script src="data:text/javascript,1"></script>', "不允许的元素 <script>"),
        ('<img src="https://cdn.example/a.png">', "<img> 的 src 指向外部"),
        ('<a href="//example.com/">x</a>', "<a> 的 href 指向外部"),
        ('<p onclick="x()">x</p>', "<p> 有脚本属性 onclick"),
        ('<p style="background:url(http://e/x.png)">x</p>', "<p> 的样式引用外部资源"),
        ('<link rel="stylesheet" href="s.css">', "不允许的元素 <link>"),
        ('<p class="c">x</p>', "<p> 用了 class"),
    ],
)
def test_problems_names_each_breach(fragment: str, problem: str) -> None:
    found = wechat.problems(f"<html><body>{fragment}</body></html>")
    assert any(p.startswith(problem) for p in found), found


def test_card_reads_back_and_a_missing_font_is_explained(tmp_path: Path, monkeypatch) -> None:
    png = card.share_card(
        gazette="测试县人民政府公报",
        title="很长的标题" * 20,
        doc_number="测政发〔2024〕1号",
        date_text="2024年3月5日",
        url="https://x.example/doc/1/",
    )
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [r.text for r in results] == ["https://x.example/doc/1/"]
    with pytest.raises(card.FontMissing, match="找不到分享卡片字体文件"):
        card.find_font(tmp_path / "none.ttc")
    # fc-match answers with some other font when Noto CJK is not installed
    fake = tmp_path / "bin" / "fc-match"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nprintf '/usr/share/fonts/DejaVuSans.ttf|0|DejaVu Sans'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    card._installed_font.cache_clear()  # fc-match is asked once per process: ask the fake one
    with pytest.raises(card.FontMissing, match="没有安装中文字体 Noto Sans CJK"):
        card.find_font()
    card._installed_font.cache_clear()
    assert json.dumps(wechat.cn_date("2024-13")) == '"2024-13"'
