"""A document's confirmed 时效性 in its Akoma Ntoso (the API's and the download's AKN).

Reads ``services`` (confirmed facts only) and the stored JSON of the documents
that changed it (for their work IRIs); writes through
``core.export.akn_lifecycle.add_lifecycle``. A document staff confirmed nothing
about is returned as it was.
"""

from __future__ import annotations

from lxml import etree

from gongbao.core.export import akn
from gongbao.core.export.akn_lifecycle import ChangeRef, add_lifecycle
from gongbao.core.export.json_read import document_from_dict, issue_from_dict
from gongbao.core.lifecycle import Effective, Lifecycle, Validity
from gongbao.site.archive.models import Document
from gongbao.site.lifecycle import services
from gongbao.site.opendata import public


def with_lifecycle(doc: Document, element: etree._Element) -> etree._Element:
    """``element`` (the document's ``document_to_akn``) with its confirmed lifecycle."""
    if doc.pk not in services.documents_with_facts():
        return element
    effective, expires = services.own_dates(doc)
    life = Lifecycle(
        issued=doc.date,
        effective=Effective(effective, "confirmed", "", "", "") if effective else None,
        validity=Validity("until", expires, "", "", "") if expires else None,
    )
    refs = [
        ChangeRef(change, _work_iri(source), source.title)
        for change, source in services.changes_with_sources(doc)
    ]
    return add_lifecycle(element, life, refs)


def _work_iri(doc: Document) -> str:
    if doc.issue is None:  # detached by a later version: still named, by its identifier
        return f"/akn/cn/doc/{doc.kind}/{doc.ident}"
    issue = issue_from_dict(public.issue_dict(doc.issue))
    return akn.document_work_iri(document_from_dict(doc.data), issue)
