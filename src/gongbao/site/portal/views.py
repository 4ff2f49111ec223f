"""Downloads of a library document's saved attachments, as public as the document."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse

from gongbao.site import access
from gongbao.site.portal.models import PortalAttachment


def download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    item = PortalAttachment.objects.filter(pk=pk, name=name).select_related("gazette").first()
    if (
        item is None
        or not access.visible_documents(request.user, item.gazette)
        .filter(ident=item.ident)
        .exists()
    ):
        raise Http404("没有这个附件")
    response = HttpResponse(bytes(item.data), content_type=item.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.name)}"
    response["Content-Length"] = str(item.size)
    return response
