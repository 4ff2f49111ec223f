"""A document's Akoma Ntoso as the API and the ``/akn/doc/`` download serve it.

The XML carries the document's confirmed 时效性, which the lifecycle app keeps;
lifecycle reads opendata's public data, so opendata never imports it:
``lifecycle/apps.py`` registers its ``with_lifecycle`` here at start-up. Without
a registration a request fails (``ImproperlyConfigured``) rather than serve a
document without its lifecycle.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from lxml import etree

from gongbao.core.export import akn
from gongbao.core.export.json_read import document_from_dict, issue_from_dict
from gongbao.site.archive.models import Document
from gongbao.site.opendata import public

#: The document's ``document_to_akn`` element in, the same with its lifecycle out.
Lifecycle = Callable[[Document, etree._Element], etree._Element]

_registered: list[Lifecycle] = []


def register(lifecycle: Lifecycle) -> None:
    """Called once by the lifecycle app's ``ready``; a second call replaces the first."""
    _registered[:] = [lifecycle]


def document_akn_bytes(doc: Document) -> bytes:
    """The public document's AKN XML (de-identified text) with its confirmed lifecycle."""
    if not _registered:
        raise ImproperlyConfigured("no app registered the AKN lifecycle (lifecycle)")
    model = document_from_dict(public.document_data(doc))
    issue = issue_from_dict(public.issue_dict(doc.issue))
    element = akn.document_to_akn(
        model,
        issue,
        issue_date=public.issue_date(doc.issue) or model.date,
        generated=public.published_date(doc.issue),
    )
    return akn.to_bytes(_registered[0](doc, element))
