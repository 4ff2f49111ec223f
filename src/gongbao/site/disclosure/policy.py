"""What disclosure tells ``gongbao.site.access``: the documents withheld by their 公开属性
and the text as the privacy review de-identified it.

``DisclosureConfig.ready`` registers ``POLICY``; access asks it on every public
read, so disclosure's own public pages can use access without a cycle.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from gongbao.site.access import Policy
from gongbao.site.archive.models import Document
from gongbao.site.disclosure import redaction
from gongbao.site.disclosure.models import DisclosureRecord


def hide_withheld(documents: QuerySet[Document]) -> QuerySet[Document]:
    """The documents without those set 依申请公开 or 不予公开."""
    hidden = DisclosureRecord.objects.filter(
        gazette_id=OuterRef("gazette_id"),
        ident=OuterRef("ident"),
        attribute__in=DisclosureRecord.NON_PUBLIC,
    )
    return documents.exclude(Exists(hidden))


def withheld_idents(gazette_slug: str) -> set[str]:
    """The gazette's document idents set 依申请公开 or 不予公开."""
    return set(
        DisclosureRecord.objects.filter(
            gazette__slug=gazette_slug, attribute__in=DisclosureRecord.NON_PUBLIC
        ).values_list("ident", flat=True)
    )


POLICY = Policy(
    hide=hide_withheld,
    withheld=withheld_idents,
    public_data=redaction.public_data,
    public_nodes=redaction.public_nodes,
)
