"""Writes the portal records of a library document (on the archive's ``saved_page_imported``)."""

from __future__ import annotations

import hashlib
import mimetypes

from django.db import transaction

from gongbao.site.archive.library import SavedFile
from gongbao.site.archive.models import Gazette
from gongbao.site.portal.models import PortalAttachment, PortalRecord

TOPIC_LABELS = ("主题分类", "主题词", "分类")


def record(
    gazette: Gazette, ident: str, source: str, metadata: dict[str, str], files: list[SavedFile]
) -> None:
    """The page's metadata and attachments for the document ``ident``, replacing what an
    earlier version of the same page gave (only a new version calls this)."""
    topic = next((metadata[k] for k in TOPIC_LABELS if metadata.get(k)), "")
    with transaction.atomic():
        if metadata:
            PortalRecord.objects.update_or_create(
                gazette=gazette,
                ident=ident,
                defaults={
                    "metadata": metadata,
                    "topic": topic[:100],
                    "index_number": metadata.get("索引号", "")[:100],
                    "source_name": source[:255],
                },
            )
        if files:
            PortalAttachment.objects.filter(gazette=gazette, ident=ident).delete()
            PortalAttachment.objects.bulk_create(
                PortalAttachment(
                    gazette=gazette,
                    ident=ident,
                    seq=n,
                    name=f.name[:255],
                    label=f.label[:500],
                    content_type=mimetypes.guess_type(f.name)[0] or "application/octet-stream",
                    size=len(f.data),
                    sha256=hashlib.sha256(f.data).hexdigest(),
                    data=f.data,
                )
                for n, f in enumerate(files, 1)
            )
