"""WeChat-ready articles: one self-contained HTML file per document or issue.

What an office pastes into its 公众号 editor: inline ``style`` attributes only
(the editor drops ``<style>`` and classes), no ``<script>``, no external URL in
any ``src`` or ``href`` (the editor cannot fetch them, and a reader's phone
should not either); the one image, a QR code to the page on the site, is a
``data:`` URI. ``problems`` checks a file against these rules. Input is the
public document JSON (``export.json.document_dict`` form).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

SECTION_TYPES = ("section", "article")

BODY = "margin:0;padding:0;background:#ffffff;"
ARTICLE = (
    "max-width:677px;margin:0 auto;padding:16px;color:#333333;font-size:16px;"
    "line-height:1.75;letter-spacing:0.5px;word-break:break-all;"
    'font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;'
)
MASTHEAD = "margin:0 0 8px;text-align:center;color:#b22222;font-size:22px;font-weight:bold;"
NUMBER = "margin:0 0 12px;text-align:center;color:#666666;font-size:14px;"
RULE = "margin:0 0 20px;border:0;border-top:2px solid #b22222;"
TITLE = "margin:0 0 20px;text-align:center;font-size:20px;font-weight:bold;line-height:1.5;"
H = {
    1: "margin:24px 0 8px;font-size:17px;font-weight:bold;",
    2: "margin:16px 0 8px;font-size:16px;font-weight:bold;",
    3: "margin:12px 0 8px;font-size:16px;font-weight:bold;",
}
P = "margin:0 0 12px;text-indent:2em;text-align:justify;"
PLAIN = "margin:0 0 12px;"
LINES = "margin:0 0 12px;white-space:pre-line;"
RIGHT = "margin:0;text-align:right;white-space:pre-line;"
TABLE = "width:100%;margin:0 0 12px;border-collapse:collapse;font-size:14px;"
TD = "border:1px solid #999999;padding:4px 6px;vertical-align:top;"
ATT_HEAD = "margin:32px 0 4px;font-weight:bold;"
FOOT = "margin:32px 0 0;padding-top:12px;border-top:1px solid #dddddd;color:#888888;font-size:13px;text-align:center;"
QR = "display:block;width:160px;height:160px;margin:8px auto;"


def cn_date(value: str | date | None) -> str:
    """``2018-08-01`` → ``2018年8月1日``; anything else as given."""
    if not value:
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日" if m else str(value)


def _e(text: Any) -> str:
    return escape(str(text or ""), quote=True)


def _blocks(nodes: Sequence[Mapping[str, Any]], out: list[str], depth: int = 1) -> None:
    for n in nodes:
        kind = n.get("type")
        if kind in SECTION_TYPES:
            level = min(3, int(n.get("level") or depth))
            out.append(f'<p style="{H[level]}">{_e(n.get("text"))}</p>')
            _blocks(n.get("children") or [], out, depth + 1)
        elif kind == "table":
            rows = "".join(
                "<tr>" + "".join(f'<td style="{TD}">{_e(c)}</td>' for c in row) + "</tr>"
                for row in n.get("rows") or []
            )
            out.append(f'<table style="{TABLE}"><tbody>{rows}</tbody></table>')
        else:
            text = n.get("text") or ""
            label = n.get("label") or ""
            if label and not text.startswith(label):
                text = label + text
            style = LINES if kind == "lines" else P
            out.append(f'<p style="{style}">{_e(text)}</p>')
            _blocks(n.get("children") or [], out, depth)


def _document(data: Mapping[str, Any], out: list[str], *, masthead: bool = True) -> None:
    head = {h.get("role"): h.get("text") for h in data.get("head") or []}
    if masthead and head.get("masthead"):
        out.append(f'<p style="{MASTHEAD}">{_e(head["masthead"])}</p>')
    if data.get("doc_number"):
        out.append(f'<p style="{NUMBER}">{_e(data["doc_number"])}</p>')
    if masthead and head.get("masthead"):
        out.append(f'<hr style="{RULE}">')
    out.append(f'<h1 style="{TITLE}">{_e(data.get("title"))}</h1>')
    if data.get("recipients"):
        out.append(f'<p style="{PLAIN}">{_e(data["recipients"])}：</p>')
    _blocks(data.get("body") or [], out)
    if head.get("attachment_note"):
        out.append(f'<p style="{PLAIN}">{_e(head["attachment_note"])}</p>')
    if data.get("signature"):
        out.append(f'<p style="{RIGHT}margin-top:24px;">{_e(data["signature"])}</p>')
    if data.get("date"):
        out.append(f'<p style="{RIGHT}margin-bottom:12px;">{_e(cn_date(data["date"]))}</p>')
    plan = data.get("promulgated_document")
    if plan:
        out.append(f'<h2 style="{TITLE}margin-top:32px;">{_e(plan.get("title"))}</h2>')
        _blocks(plan.get("body") or [], out)
    for att in data.get("attachments") or []:
        out.append(f'<p style="{ATT_HEAD}">附件{_e(att.get("number") or "")}</p>')
        if att.get("title"):
            out.append(f'<h2 style="{TITLE}">{_e(att["title"])}</h2>')
        _blocks(att.get("body") or [], out)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _page(title: str, parts: list[str], *, source: str, page_url: str, qr: bytes | None) -> str:
    foot = [f'<p style="{FOOT}">{_e(source)}</p>']
    if qr:
        foot.append(f'<img style="{QR}" src="{_data_uri(qr)}" alt="扫码阅读原文">')
        foot.append(
            '<p style="margin:0;text-align:center;color:#888888;font-size:13px;">扫码阅读原文</p>'
        )
    if page_url:
        # text, not a link: the editor keeps no external links, a reader can copy it
        foot.append(
            f'<p style="margin:4px 0 0;text-align:center;color:#888888;font-size:12px;">原文：{_e(page_url)}</p>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title></head>"
        f'<body style="{BODY}"><section style="{ARTICLE}">'
        + "".join(parts)
        + "".join(foot)
        + "</section></body></html>\n"
    )


def document_article(
    data: Mapping[str, Any],
    *,
    gazette: str,
    issue_label: str = "",
    page_url: str = "",
    qr: bytes | None = None,
) -> str:
    """One document as a 公众号 article; ``qr``: PNG of a QR code to ``page_url``."""
    parts: list[str] = []
    _document(data, parts)
    source = f"来源：{gazette}{' ' + issue_label if issue_label else ''}"
    return _page(str(data.get("title") or ""), parts, source=source, page_url=page_url, qr=qr)


def issue_article(
    datas: Sequence[Mapping[str, Any]],
    *,
    gazette: str,
    issue_label: str,
    page_url: str = "",
    qr: bytes | None = None,
) -> str:
    """A whole issue: a cover line, the table of contents, then each document."""
    parts = [
        f'<p style="{MASTHEAD}font-size:26px;">{_e(gazette)}</p>',
        f'<p style="{NUMBER}">{_e(issue_label)}</p>',
        f'<hr style="{RULE}">',
        f'<p style="{H[1]}">目录</p>',
    ]
    parts += [
        f'<p style="{PLAIN}margin-bottom:4px;">{n}. {_e(d.get("title"))}'
        + (
            f'<span style="color:#888888;">（{_e(d["doc_number"])}）</span>'
            if d.get("doc_number")
            else ""
        )
        + "</p>"
        for n, d in enumerate(datas, 1)
    ]
    for d in datas:
        parts.append(f'<hr style="{RULE}margin-top:32px;">')
        _document(d, parts, masthead=False)
    title = f"{gazette} {issue_label}"
    return _page(title, parts, source=f"来源：{title}", page_url=page_url, qr=qr)


def problems(html: str) -> list[str]:
    """Why ``html`` is not a self-contained 公众号 article (empty when it is).

    No script, no ``<style>``/``<link>``/``<iframe>``/``<object>``, no event
    handler attribute, no ``class``, and every ``src``/``href``/``srcset``/
    ``poster``/``action`` a ``data:`` URI or an in-page ``#`` anchor; no ``url(``
    to anything but ``data:`` inside a style.
    """
    from lxml import html as lhtml

    root = lhtml.document_fromstring(html)
    found: list[str] = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "link", "iframe", "object", "embed", "base", "form"):
            found.append(f"不允许的元素 <{tag}>")
        for raw_name, raw_value in el.attrib.items():
            name, value = str(raw_name), str(raw_value)
            low = name.lower()
            if low.startswith("on"):
                found.append(f"<{tag}> 有脚本属性 {name}")
            elif low == "class":
                found.append(f"<{tag}> 用了 class（公众号编辑器会丢弃样式表）")
            elif low in ("src", "href", "srcset", "poster", "action", "background", "xlink:href"):
                v = value.strip().lower()
                if not (v.startswith("data:") or v.startswith("#")):
                    found.append(f"<{tag}> 的 {name} 指向外部：{value[:80]}")
            elif low == "style":
                for ref in re.findall(r"url\(\s*['\"]?([^'\")]*)", value, flags=re.I):
                    if not ref.strip().lower().startswith("data:"):
                        found.append(f"<{tag}> 的样式引用外部资源：{ref[:80]}")
    return found


__all__ = ["cn_date", "document_article", "issue_article", "problems"]
