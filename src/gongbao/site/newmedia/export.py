"""Build the 公众号 articles and share cards of public documents and issues.

Everything is read through ``opendata.public`` (published issues, public
documents, de-identified JSON), so nothing withheld reaches an export. The page
address in the QR code is absolute: ``GONGBAO_SITE_URL`` + path, else the
request's own host; without either (the command line with no site address) the
article has no QR code and the card cannot be made.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from gongbao.core.export import card, wechat
from gongbao.site.archive.models import Document, Issue
from gongbao.site.opendata import public


class NoSiteUrl(Exception):
    """No absolute address for the QR code (message for the user, Chinese)."""


def absolute(path: str, request=None) -> str:
    """``GONGBAO_SITE_URL`` + path; else the request's host; else "" (no absolute address)."""
    if getattr(settings, "GONGBAO_SITE_URL", ""):
        return public.site_url(path)
    return request.build_absolute_uri(path) if request is not None else ""


def document_url(doc: Document, request=None) -> str:
    return absolute(public.doc_path(doc.gazette.slug, doc.ident), request)


def issue_url(issue: Issue, request=None) -> str:
    return absolute(public.issue_path(issue.gazette.slug, issue.year, issue.number), request)


def _qr(url: str) -> bytes | None:
    return card.qr_png(url, scale=4) if url else None


def document_article(doc: Document, request=None) -> str:
    url = document_url(doc, request)
    return wechat.document_article(
        public.document_data(doc),
        gazette=doc.gazette.name,
        issue_label=f"{doc.issue.year}年第{doc.issue.label}期" if not doc.issue.is_library else "",
        page_url=url,
        qr=_qr(url),
    )


def issue_article(issue: Issue, request=None) -> str:
    url = issue_url(issue, request)
    docs = public.documents().filter(issue=issue).order_by("seq")
    return wechat.issue_article(
        [public.document_data(d) for d in docs],
        gazette=issue.gazette.name,
        issue_label=f"{issue.year}年第{issue.label}期",
        page_url=url,
        qr=_qr(url),
    )


def _fonts() -> tuple[card.Font, card.Font]:
    """The regular and bold CJK fonts (``GONGBAO_CARD_FONT`` names one file for both)."""
    path = settings.GONGBAO_CARD_FONT
    if path:
        font = card.find_font(path)
        return font, font
    regular = card.find_font()
    try:
        return regular, card.find_font(bold=True)
    except card.FontMissing:
        return regular, regular


def _card(key: str, **fields: str) -> bytes:
    if not fields["url"]:
        raise NoSiteUrl("没有网站地址，无法生成二维码：请设置 GONGBAO_SITE_URL")
    png = cache.get(key)
    if png is None:
        regular, bold = _fonts()
        png = card.share_card(font=regular, bold=bold, **fields)
        cache.set(key, png, timeout=24 * 3600)
    return png


def document_card(doc: Document, request=None) -> bytes:
    url = document_url(doc, request)
    return _card(
        f"gongbao:card:doc:{doc.pk}:{doc.issue.updated_at.timestamp()}:{url}",
        gazette=doc.gazette.name,
        title=doc.title,
        doc_number=doc.doc_number or "",
        date_text=wechat.cn_date(doc.date),
        url=url,
    )


def issue_card(issue: Issue, request=None) -> bytes:
    url = issue_url(issue, request)
    published = public.issue_date(issue)
    return _card(
        f"gongbao:card:issue:{issue.pk}:{issue.updated_at.timestamp()}:{url}",
        gazette=issue.gazette.name,
        title=f"{issue.year}年第{issue.label}期"
        + (f"（总第{issue.cumulative_number}期）" if issue.cumulative_number else ""),
        date_text=f"{wechat.cn_date(published)}发布" if published else "",
        url=url,
    )
