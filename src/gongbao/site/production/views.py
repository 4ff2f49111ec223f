"""Staff pages of production: 收稿 (departments), 编排/校对 (editors), 签发 (reviewers), 出刊, 勘误.

Views validate the request and call ``services``; a refusal is shown on the page
as its Chinese message (status 400, or 403 without the permission), never a traceback.
"""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongbao.site.archive.library import LibraryError, library_gazette
from gongbao.site.archive.models import Document, Gazette, Issue
from gongbao.site.production import services
from gongbao.site.production.models import Composition, Correction, NewsItem, Submission
from gongbao.site.production.services import ProductionError

MAX_UPLOAD = 20 * 1024 * 1024


def _can(request: HttpRequest, perm: str) -> bool:
    return request.user.has_perm(f"production.{perm}")


def _need(request: HttpRequest, *perms: str) -> None:
    if not any(_can(request, p) for p in perms):
        raise PermissionDenied("您的账号没有这项权限（编辑出刊：部门报送、编辑编排、审核签发）")


def _upload(request: HttpRequest) -> tuple[bytes, str]:
    file = request.FILES.get("file")
    if file is None:
        raise ProductionError("请选择要上传的文件")
    if file.size > MAX_UPLOAD:
        raise ProductionError("文件过大（不超过 20 MB）")
    return file.read(), file.name


def _gazette(request: HttpRequest) -> Gazette:
    slug = request.POST.get("gazette") or request.GET.get("gazette")
    if slug:
        return get_object_or_404(Gazette, slug=slug)
    try:
        return library_gazette()
    except LibraryError as exc:
        raise ProductionError(str(exc)) from None


@login_required
def index(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    _need(request, "submit_document", "view_submission", "view_composition")
    subs = Submission.objects.select_related("entry", "document")
    if not _can(request, "return_submission") and not _can(request, "sign_off"):
        subs = subs.filter(submitted_by=request.user)
    gazettes = list(Gazette.objects.all())
    try:
        default = library_gazette() if len(gazettes) != 1 else gazettes[0]
    except LibraryError:
        default = gazettes[0] if gazettes else None
    year = timezone.localdate().year
    number = services.next_numbers(default, year) if default is not None else (1, 1)
    context = {
        "error": error,
        "submissions": subs[:200],
        "unit": services.unit_of(request.user),
        "compositions": Composition.objects.select_related("issue__gazette").order_by(
            "-issue__year", "-issue__number"
        )[:50],
        "corrections": Correction.objects.select_related("document__issue").order_by(
            "-requested_at"
        )[:50],
        "gazettes": gazettes,
        "default_gazette": default,
        "year": year,
        "next_number": number[0],
        "next_total": number[1],
        "default_sections": "\n".join(
            services.default_sections(default) if default else services.DEFAULT_SECTIONS
        ),
        "can_submit": _can(request, "submit_document"),
        "can_return": _can(request, "return_submission"),
        "can_compose": _can(request, "compose_issue"),
        "can_sign": _can(request, "sign_off"),
        "issues": Issue.objects.filter(kind=Issue.ISSUE).select_related("gazette")[:200],
    }
    return render(request, "production/index.html", context, status=status)


@require_POST
@login_required
def submit(request: HttpRequest) -> HttpResponse:
    _need(request, "submit_document")
    revising = None
    if request.POST.get("revising"):
        revising = get_object_or_404(Submission, pk=request.POST["revising"])
        if revising.submitted_by_id != request.user.pk and revising.unit != services.unit_of(
            request.user
        ):
            raise PermissionDenied("只能修改本单位报送的文件")
    try:
        data, name = _upload(request)
        sub = services.submit(data, name, request.user, revising=revising)
    except ProductionError as exc:
        return index(request, str(exc), 400)
    messages.success(request, f"已报送《{sub.title}》{sub.doc_number}（第{sub.revision}稿）")
    return redirect("production:index")


@require_POST
@login_required
def return_submission(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "return_submission")
    sub = get_object_or_404(Submission, pk=pk)
    try:
        services.return_submission(sub, request.user, request.POST.get("note", ""))
    except ProductionError as exc:
        return index(request, str(exc), 400)
    messages.success(request, f"已退改《{sub.title}》")
    return redirect("production:index")


@require_POST
@login_required
def new_issue(request: HttpRequest) -> HttpResponse:
    _need(request, "compose_issue")
    try:
        gazette = _gazette(request)
        year = _int(request.POST.get("year"), "年份")
        number = _int(request.POST.get("number"), "期号") if request.POST.get("number") else None
        sections = request.POST.get("sections", "").splitlines()
        comp = services.create_issue(
            gazette, year, number, request.user, sections=sections or None,
            issue_date=_date(request.POST.get("issue_date")),
        )  # fmt: skip
    except ProductionError as exc:
        return index(request, str(exc), 400)
    return redirect("production:issue", ident=comp.issue.ident)


@require_POST
@login_required
def issue_date(request: HttpRequest) -> HttpResponse:
    """The editor enters the date an imported issue came out (the site's 发布日期)."""
    _need(request, "compose_issue")
    found = Issue.objects.filter(ident=request.POST.get("issue", ""), kind=Issue.ISSUE).first()
    try:
        if found is None:
            raise ProductionError("没有这一期")
        services.set_issue_date(found, _date(request.POST.get("issue_date")), request.user)
    except ProductionError as exc:
        return index(request, str(exc), 400)
    messages.success(request, f"{found} 的出版日期已改为 {found.issue_date or '（空）'}")
    return redirect("production:index")


def _int(value, label: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ProductionError(f"{label}须为数字") from None


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ProductionError("日期格式应为 2025-06-30") from None


def _comp(ident: str) -> Composition:
    return get_object_or_404(
        Composition.objects.select_related("issue__gazette"), issue__ident=ident
    )


@login_required
def issue(request: HttpRequest, ident: str, error: str = "", status: int = 200) -> HttpResponse:
    _need(request, "view_composition")
    comp = _comp(ident)
    q = request.GET.get("q", "").strip()[:100]
    placed = set(comp.placements.values_list("document_id", flat=True))
    library = [
        d for d in services.library_documents(comp.issue.gazette, q)[:100] if d.pk not in placed
    ]
    units = dict(Submission.objects.filter(document__in=library).values_list("document_id", "unit"))
    checks = services.report(comp)
    signed = services.active_signoff(comp)
    context = {
        "error": error,
        "comp": comp,
        "issue": comp.issue,
        "toc": services.toc(comp),
        "library": [(d, units.get(d.pk, "")) for d in library],
        "q": q,
        "checks": checks,
        "errors": sum(1 for c in checks if c.severity == "error"),
        "signed": signed,
        "signoffs": comp.signoffs.select_related("reviewer"),
        "edition": comp.editions.first(),
        "notices": Correction.objects.filter(
            status=Correction.APPLIED, placed_in__isnull=True
        ).select_related("document__issue"),
        "can_compose": _can(request, "compose_issue") and not comp.issue.is_published,
        "can_sign": _can(request, "sign_off") and not comp.issue.is_published,
        "can_publish": _can(request, "publish_composition") and not comp.issue.is_published,
        "hash": services.composition_hash(comp),
    }
    return render(request, "production/issue.html", context, status=status)


@require_POST
@login_required
def action(request: HttpRequest, ident: str, name: str) -> HttpResponse:
    """Every change on the composing page: one POST each, then back to the page."""
    comp = _comp(ident)
    handlers = {
        "place": _place,
        "remove": _remove,
        "order-rule": lambda r, c: services.order_by_rule(c, r.user),
        "news": _news,
        "news-remove": _news_remove,
        "sections": lambda r, c: services.set_sections(
            c, r.POST.get("sections", "").splitlines(), r.user
        ),
        "date": _issue_date,
        "notice": _notice,
        "signoff": _signoff,
        "publish": _publish,
    }
    handler = handlers.get(name)
    if handler is None:
        raise Http404("没有这个操作")
    try:
        note = handler(request, comp)
    except ProductionError as exc:
        return issue(request, ident, str(exc), 400)
    if isinstance(note, str) and note:
        messages.warning(request, note)
    return redirect(reverse("production:issue", args=[ident]) + _anchor(name))


def _anchor(name: str) -> str:
    return "#signoff" if name in ("signoff", "publish") else "#toc"


def _place(request, comp) -> str:
    doc = get_object_or_404(Document, pk=request.POST.get("document"))
    services.place(comp, doc, request.POST.get("section", ""), request.user)
    return ""


def _remove(request, comp) -> str:
    doc = get_object_or_404(Document, pk=request.POST.get("document"))
    return services.remove(comp, doc, request.user)


def _news(request, comp) -> str:
    services.add_news(
        comp, request.POST.get("title", ""), request.POST.get("text", ""), request.user,
        section=request.POST.get("section", ""),
    )  # fmt: skip
    return ""


def _news_remove(request, comp) -> str:
    item = get_object_or_404(NewsItem, pk=request.POST.get("item"), composition=comp)
    return services.remove_news(comp, item, request.user)


def _issue_date(request, comp) -> str:
    services.set_issue_date(comp.issue, _date(request.POST.get("issue_date")), request.user)
    return ""


def _notice(request, comp) -> str:
    correction = get_object_or_404(Correction, pk=request.POST.get("correction"))
    services.place_notice(comp, correction, request.user)
    return ""


def _signoff(request, comp) -> str:
    services.sign_off(comp, request.user)
    messages.success(request, "已签发")
    return ""


def _publish(request, comp) -> str:
    edition = services.publish(comp, request.user)
    messages.success(request, f"已出刊，内容哈希 {edition.content_hash}")
    return ""


@require_POST
@login_required
def reorder(request: HttpRequest, ident: str) -> JsonResponse:
    """The drag-and-drop order from the page's script: {section: [document id, …]}."""
    _need(request, "compose_issue")
    comp = _comp(ident)
    try:
        order = json.loads(request.body or b"{}")
        if not isinstance(order, dict) or not all(isinstance(v, list) for v in order.values()):
            raise ValueError
        note = services.reorder(comp, order, request.user)
    except (ValueError, TypeError):
        return JsonResponse({"error": "排序数据格式不正确，请刷新页面后重试"}, status=400)
    except ProductionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"ok": True, "note": note, "hash": services.composition_hash(comp)})


@login_required
def print_pdf(request: HttpRequest, ident: str) -> FileResponse:
    _need(request, "view_composition")
    edition = _comp(ident).editions.first()
    if edition is None or not edition.pdf_path:
        raise Http404("本期还没有印刷版 PDF")
    response = FileResponse(open(edition.pdf_path, "rb"), content_type="application/pdf")  # noqa: SIM115
    response["Content-Disposition"] = f'inline; filename="{ident}.pdf"'
    return response


@login_required
def correction(request: HttpRequest, pk: int) -> HttpResponse:
    """勘误 of a published document: the editor's form, then the reviewer's decision."""
    _need(request, "request_correction", "approve_correction")
    doc = get_object_or_404(Document.objects.select_related("issue"), pk=pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("decision") in ("approve", "reject"):
                row = get_object_or_404(Correction, pk=request.POST.get("correction"), document=doc)
                if request.POST["decision"] == "approve":
                    services.approve_correction(row, request.user)
                    messages.success(request, "勘误已批准，文件已更正")
                else:
                    services.reject_correction(row, request.user, request.POST.get("note", ""))
            else:
                data, name = _upload(request)
                services.request_correction(
                    doc, data, name, request.user, reason=request.POST.get("reason", ""),
                    notice=request.POST.get("notice", ""),
                )  # fmt: skip
                messages.success(request, "勘误已提交，等待审核人批准")
            return redirect("production:correction", pk=doc.pk)
        except ProductionError as exc:
            error, status = str(exc), 400
    context = {
        "doc": doc,
        "error": error,
        "corrections": doc.corrections.select_related("requested_by", "decided_by"),
        "can_request": _can(request, "request_correction"),
        "can_approve": _can(request, "approve_correction"),
    }
    return render(request, "production/correction.html", context, status=status)
