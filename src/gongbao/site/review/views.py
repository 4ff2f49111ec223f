"""Staff pages of the review: the Chinese refusal page (never a bare 403), extension decisions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception is not None and str(exception) else ""
    html = render_to_string("review/403.html", {"reason": reason}, request=request)
    return HttpResponse(html, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without its security token (an expired page, cookies off)."""
    message = "表单已过期或浏览器未保存本站的 Cookie：请刷新页面后重新提交。"
    return permission_denied(request, PermissionError(message))


@require_POST
@login_required
def decide_extension(request: HttpRequest, number: str, pk: int, decision: str) -> HttpResponse:
    """A reviewer approves or refuses the officer's extension request (a Chinese page if not)."""
    from gongbao.site.disclosure.models import Request
    from gongbao.site.disclosure.services import DisclosureError
    from gongbao.site.disclosure.views import _page, _request_context
    from gongbao.site.review.models import ExtensionRequest
    from gongbao.site.review.services import decide_extension as decide

    req = get_object_or_404(Request, number=number)
    row = get_object_or_404(ExtensionRequest, pk=pk, request=req)
    if decision not in ("approve", "reject"):
        raise Http404("没有这个操作")
    try:
        decide(row, request.user, decision == "approve", request.POST.get("note", ""))
    except DisclosureError as exc:
        return _page(request, "staff/request.html", _request_context(req, str(exc)), 403)
    return redirect("disclosure:request", number=req.number)
