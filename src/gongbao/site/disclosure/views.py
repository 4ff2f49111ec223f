"""Disclosure pages: public (apply, status, catalog, 公开目录, 解读, 留言, reports) and staff.

Views validate and call ``services``; they never write rows themselves. Public
pages that carry a form or a requester's data are ``no-store``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from gongbao.site import access, limits
from gongbao.site.archive.models import Document, Gazette, Issue
from gongbao.site.disclosure import catalog, deadlines, forms, outcomes, report, services, signals
from gongbao.site.disclosure.letters import reply_letter
from gongbao.site.disclosure.models import (
    AnnualReport,
    AuditEntry,
    CatalogItem,
    Config,
    DisclosureRecord,
    Interpretation,
    Message,
    PrivacyDecision,
    Request,
)
from gongbao.site.disclosure.services import DisclosureError

RATE_LIMIT = 5  # submissions per client and hour (applications and messages each)
LOOKUP_LIMIT = 20  # status lookups per client and hour
MAX_BODY = forms.MAX_ATTACHMENT + 512 * 1024

View = Callable[..., HttpResponse]


def no_store(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _client(request: HttpRequest) -> str:
    ip = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:24]


def _over_limit(request: HttpRequest, bucket: str, limit: int) -> bool:
    """Counted in the database every worker shares: the limit holds across workers and restarts."""
    return limits.hit(bucket, _client(request), 3600).count > limit


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"disclosure/{template}", {"nav": "xxgk", **context}, status=status)


# -- public --------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    reports = AnnualReport.objects.filter(published_at__isnull=False).order_by("-year")
    return _page(request, "index.html", {"config": Config.get(), "reports": reports})


@no_store
def apply(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = forms.RequestForm(initial={"stamp": forms.new_stamp(services.new_token())})
        return _page(request, "apply.html", {"form": form})
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        form = forms.RequestForm(initial={"stamp": forms.new_stamp(services.new_token())})
        return _page(
            request,
            "apply.html",
            {"form": form, "error": "附件不能超过 5MB，请压缩后重新提交（未保存任何内容）。"},
            413,
        )
    form = forms.RequestForm(request.POST, request.FILES)
    if not form.is_valid():
        form.data = form.data.copy()
        form.data["stamp"] = forms.new_stamp(services.new_token())
        return _page(request, "apply.html", {"form": form}, 400)
    data = form.cleaned_data
    token = data["token"]
    if not services.Request.objects.filter(token=token).exists() and _over_limit(
        request, "apply", RATE_LIMIT
    ):
        return _page(
            request,
            "apply.html",
            {"form": form, "error": "提交次数过多，请一小时后再试，或通过邮寄、当面方式提交。"},
            429,
        )
    try:
        req, code, _created = services.file_request(
            data, token=token, attachment=data.get("attachment")
        )
    except DisclosureError as exc:
        return _page(request, "apply.html", {"form": form, "error": str(exc)}, 400)
    due_note = services.public_due_note(req)
    return _page(request, "applied.html", {"req": req, "code": code, "due_note": due_note})


@no_store
def status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "status.html", {"form": forms.LookupForm()})
    form = forms.LookupForm(request.POST)
    if _over_limit(request, "lookup", LOOKUP_LIMIT):
        return _page(
            request, "status.html", {"form": form, "error": "查询次数过多，请一小时后再试。"}, 429
        )
    req = (
        services.lookup(request.POST.get("number", ""), request.POST.get("code", ""))
        if form.is_valid()
        else None
    )
    if req is None:
        return _page(
            request,
            "status.html",
            {"form": forms.LookupForm(), "error": "登记编号或查询码不正确。"},
        )
    docs = [(d, access.public_documents().filter(pk=d.pk).exists()) for d in req.documents.all()]
    context = {"req": req, "letter": reply_letter(req), "docs": docs}
    return _page(
        request, "status_result.html", {**context, "due_note": services.public_due_note(req)}
    )


def catalog_page(request: HttpRequest) -> HttpResponse:
    return _page(request, "catalog.html", {"items": CatalogItem.objects.all()})


def directory(request: HttpRequest) -> HttpResponse:
    """Art 12 公开目录: 索引号, 名称, 内容概述, 生成日期 of every public document."""
    records = {
        (r.gazette_id, r.ident): r for r in DisclosureRecord.objects.exclude(index_number="")
    }
    rows = []
    docs = access.public_documents().select_related("gazette").order_by("-date", "-id")[:500]
    for doc in docs:
        rec = records.get((doc.gazette_id, doc.ident))
        rows.append({"doc": doc, "index": rec.index_number if rec else "", "url": _doc_url(doc)})
    return _page(request, "directory.html", {"rows": rows})


def _doc_url(doc: Document) -> str:
    from django.urls import reverse

    return reverse("web:g-document", args=[doc.gazette.slug, doc.ident])


def _public_interpretations():
    public = set(access.public_documents().values_list("gazette_id", "ident"))
    return [
        i for i in Interpretation.objects.filter(approved=True) if (i.gazette_id, i.ident) in public
    ]


def interpretations(request: HttpRequest) -> HttpResponse:
    return _page(request, "interpretations.html", {"items": _public_interpretations()})


def interpretation(request: HttpRequest, pk: int) -> HttpResponse:
    item = next((i for i in _public_interpretations() if i.pk == pk), None)
    if item is None:
        raise Http404("没有这篇解读")
    doc = (
        access.public_documents()
        .filter(gazette_id=item.gazette_id, ident=item.ident)
        .select_related("gazette")
        .first()
    )
    return _page(
        request,
        "interpretation.html",
        {"item": item, "doc": doc, "doc_url": _doc_url(doc) if doc else ""},
    )


def interpretation_image(request: HttpRequest, pk: int) -> HttpResponse:
    item = next((i for i in _public_interpretations() if i.pk == pk), None)
    if item is None or not item.image:
        raise Http404("没有图片")
    return FileResponse(
        item.image.open("rb"),
        content_type="image/png" if item.image.name.endswith(".png") else "image/jpeg",
    )


@no_store
def messages_page(request: HttpRequest) -> HttpResponse:
    answered = Message.objects.filter(published=True).exclude(answer="")[:50]
    form = forms.MessageForm(initial={"stamp": forms.new_stamp(services.new_token())})
    context: dict[str, Any] = {"answered": answered, "form": form}
    if request.method == "POST":
        posted = forms.MessageForm(request.POST)
        if not posted.is_valid():
            context["form"] = posted
            posted.data = posted.data.copy()
            posted.data["stamp"] = forms.new_stamp(services.new_token())
            return _page(request, "messages.html", context, 400)
        if _over_limit(request, "message", RATE_LIMIT):
            context["error"] = "提交次数过多，请一小时后再试。"
            return _page(request, "messages.html", context, 429)
        # A double click posts once, whichever worker gets the second click.
        if limits.hit("message-token", posted.cleaned_data["token"], forms.MAX_FORM_AGE).count == 1:
            d = posted.cleaned_data
            services.leave_message(d["text"], d.get("name", ""), d.get("contact", ""))
        context["sent"] = True
    return _page(request, "messages.html", context)


def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    item = AnnualReport.objects.filter(year=year).first()
    staff = request.user.is_authenticated and request.user.has_perm("disclosure.view_annualreport")
    if item is None or (item.published_at is None and not staff):
        raise Http404("该年度报告尚未公布")
    response = _page(
        request, "report.html", {**report.context(item), "draft": item.published_at is None}
    )
    if staff:
        response["Cache-Control"] = "private, no-store"
    return response


# -- staff -------------------------------------------------------------------------------


def staff_view(perm: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        return login_required(permission_required(perm, raise_exception=True)(no_store(view)))

    return decorate


@staff_view("disclosure.view_request")
def dashboard(request: HttpRequest) -> HttpResponse:
    today = services.today()
    soon, soon_note = services.due_soon(today)
    late, late_notes = services.late_publications()
    year = today.year - 1
    last_report = AnnualReport.objects.filter(year=year).first()
    policy = DisclosureRecord.objects.filter(is_policy=True, attribute=DisclosureRecord.PUBLIC)
    explained = set(Interpretation.objects.values_list("gazette_id", "ident"))
    public = {
        (g, i): t
        for g, i, t in access.public_documents().values_list("gazette_id", "ident", "title")
    }
    lacking = [
        (r, public[(r.gazette_id, r.ident)])
        for r in policy
        if (r.gazette_id, r.ident) in public and (r.gazette_id, r.ident) not in explained
    ]
    context = {
        "today": today,
        "overdue": services.overdue(today),
        "due_soon": soon,
        "soon_note": soon_note,
        "unknown_due": services.unknown_due(),
        # 40 working days (a reply with its extension) reach about two months ahead.
        "calendar_note": services.calendar_problem(today)
        or services.calendar_problem(today + timedelta(days=62)),
        "open": Request.objects.filter(state__in=Request.OPEN_STATES).order_by("due_on"),
        "recent": Request.objects.exclude(state__in=Request.OPEN_STATES)[:20],
        "report_year": year,
        "report_deadline": report.deadline(year),
        "report": last_report,
        "report_late": (last_report is None or last_report.published_at is None)
        and today > report.deadline(year),
        "late": late[:50],
        "late_notes": late_notes,
        "repeats": services.repeat_candidates(),
        "lacking": lacking[:50],
        "messages_due": Message.objects.filter(answer="").order_by("due_on"),
        "coverage": catalog.coverage(),
        "drafts": Issue.objects.filter(status=Issue.DRAFT).order_by("-year", "-number")[:20],
        "audit": AuditEntry.objects.select_related("actor")[:30],
    }
    return _page(request, "staff/dashboard.html", context)


@staff_view("disclosure.handle_request")
def register(request: HttpRequest) -> HttpResponse:
    """Staff register an application received in person, by post or by fax."""
    if request.method == "POST":
        form = forms.StaffRequestForm(request.POST, request.FILES)
        if form.is_valid():
            d = {**form.cleaned_data}
            try:
                req, _code, _ = services.file_request(
                    d, token=services.new_token(), channel=d["channel"], received_on=d["received_on"],
                    attachment=d.get("attachment"), user=request.user,
                )  # fmt: skip
            except DisclosureError as exc:
                return _page(request, "staff/register.html", {"form": form, "error": str(exc)}, 400)
            context = {"req": req, "code": _code, "duplicates": services.possible_duplicates(req)}
            return _page(request, "staff/registered.html", context)
        return _page(request, "staff/register.html", {"form": form}, 400)
    form = forms.StaffRequestForm(initial={"received_on": services.today()})
    return _page(request, "staff/register.html", {"form": form})


def _request_context(req: Request, error: str = "") -> dict:
    return {
        "req": req,
        "actions": services.allowed_actions(req),
        "labels": services.ACTION_LABELS,
        "reply_form": forms.ReplyForm(),
        "letter": reply_letter(req),
        "events": AuditEntry.objects.filter(subject=f"request:{req.number}").select_related(
            "actor"
        ),
        "error": error,
        "today": services.today(),
        "duplicates": services.possible_duplicates(req),
        "extension_requests": req.extension_requests.select_related("requested_by", "decided_by"),
    }


@staff_view("disclosure.view_request")
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    req = get_object_or_404(Request, number=number)
    return _page(request, "staff/request.html", _request_context(req))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@require_POST
@staff_view("disclosure.handle_request")
def request_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    req = get_object_or_404(Request, number=number)
    p = request.POST
    on = _date(p.get("on"))
    user = request.user
    try:
        if action == "request_correction":
            deadline = _date(p.get("deadline"))
            if deadline is None:
                raise DisclosureError("请填写补正期限（日期）")
            services.request_correction(req, user, p.get("text", ""), deadline, on)
        elif action == "receive_correction":
            services.receive_correction(req, user, on)
        elif action == "correction_lapsed":
            services.correction_lapsed(req, user, on)
        elif action == "start_consultation":
            services.start_consultation(req, user, p.get("third_party", ""), on)
        elif action == "end_consultation":
            services.end_consultation(req, user, p.get("note", ""), on)
        elif action == "fee_notice":
            qty = int(p.get("quantity") or 0)
            services.fee_notice(req, user, method=p.get("method", ""), quantity=qty, on=on)
        elif action == "fee_paid":
            services.fee_paid(req, user, on)
        elif action == "fee_lapsed":
            services.fee_lapsed(req, user, on)
        elif action == "extend":
            days, notice = int(p.get("days") or 0), p.get("notice", "")
            if user.has_perm("disclosure.approve_extension"):
                services.extend(req, user, days, notice)
            else:  # the handling officer asks; another person, a reviewer, approves
                signals.request_extension(req, user, days, notice, p.get("reason", ""))
        elif action == "reply":
            idents = [
                s.strip() for s in p.get("documents", "").replace("，", ",").split(",") if s.strip()
            ]
            docs = list(Document.objects.filter(ident__in=idents))
            if len(docs) < len(set(idents)):
                raise DisclosureError(
                    "随答复提供的文件标识有误："
                    + "、".join(sorted(set(idents) - {d.ident for d in docs}))
                )
            services.reply(req, user, outcome=p.get("outcome", ""), reason=p.get("reason", ""),
                           text=p.get("text", ""), documents=docs,
                           competent_organ=p.get("competent_organ", ""), on=on)  # fmt: skip
        elif action == "withdraw":
            services.withdraw(req, user, on)
        else:
            raise Http404("没有这个操作")
    except (DisclosureError, ValueError) as exc:
        message = str(exc) if isinstance(exc, DisclosureError) else "填写的数字或日期有误"
        return _page(request, "staff/request.html", _request_context(req, message), 400)
    return redirect("disclosure:request", number=req.number)


@staff_view("disclosure.view_request")
def letter(request: HttpRequest, number: str) -> HttpResponse:
    req = get_object_or_404(Request, number=number)
    found = reply_letter(req)
    if found is None:
        raise Http404("尚未答复")
    return _page(request, "staff/letter.html", {"req": req, "letter": found})


@staff_view("disclosure.view_privacydecision")
def privacy_review(request: HttpRequest, issue_pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue, pk=issue_pk)
    error = ""
    if request.method == "POST":
        if not request.user.has_perm("disclosure.review_privacy"):
            error = "只有审核人可以作出去标识化决定"
        else:
            if request.POST.get("scan"):
                services.scan_issue(issue)
            else:
                pk = int(request.POST.get("decision") or 0)
                decision = get_object_or_404(PrivacyDecision, pk=pk)
                services.decide(decision, request.POST.get("choice") == "accept", request.user)
            return redirect("disclosure:privacy", issue_pk=issue.pk)
    # Reading the page records nothing: findings not yet recorded are counted and
    # recorded by the reviewer's POST (or by the publish check).
    rows = services.recorded_findings(issue)
    unrecorded = services.unrecorded_findings(issue)
    titles = dict(issue.documents.values_list("ident", "title"))
    pending = sum(r.decision == PrivacyDecision.PENDING for r in rows)
    return _page(
        request,
        "staff/privacy.html",
        {
            "issue": issue,
            "rows": rows,
            "titles": titles,
            "pending": pending,
            "error": error,
            "unrecorded": unrecorded,
        },
        403 if error else 200,
    )


@staff_view("disclosure.view_disclosurerecord")
def document_record(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    g = get_object_or_404(Gazette, slug=gazette)
    doc = get_object_or_404(Document, gazette=g, ident=ident)
    record = DisclosureRecord.objects.filter(gazette=g, ident=ident).first()
    initial = {"attribute": DisclosureRecord.PUBLIC, "category": DisclosureRecord.OTHER}
    if record:
        initial = {"attribute": record.attribute, "legal_ground": record.legal_ground, "ground_note": record.ground_note,
                   "category": record.category, "is_policy": record.is_policy, "repealed_on": record.repealed_on,
                   "catalog_items": list(record.catalog_items.all())}  # fmt: skip
    form = forms.AttributeForm(initial=initial)
    error, status_code = "", 200
    if request.method == "POST":
        form = forms.AttributeForm(request.POST)
        if not request.user.has_perm("disclosure.set_attribute"):
            error, status_code = "没有认定公开属性的权限", 403
        elif form.is_valid():
            d = form.cleaned_data
            try:
                record = services.set_attribute(
                    doc, d["attribute"], d["legal_ground"], d["ground_note"], request.user
                )
            except DisclosureError as exc:
                error, status_code = str(exc), 400
            else:
                services.classify(
                    record,
                    category=d["category"],
                    is_policy=d["is_policy"],
                    repealed_on=d["repealed_on"],
                    catalog_items=d["catalog_items"],
                    user=request.user,
                )
                return redirect("disclosure:record", gazette=g.slug, ident=ident)
    events = AuditEntry.objects.filter(subject=f"document:{g.pk}/{ident}").select_related("actor")
    return _page(
        request,
        "staff/record.html",
        {"doc": doc, "record": record, "form": form, "error": error, "events": events},
        status_code,
    )


@staff_view("disclosure.answer_message")
def message_answer(request: HttpRequest, pk: int) -> HttpResponse:
    msg = get_object_or_404(Message, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.answer_message(
                msg,
                request.user,
                request.POST.get("answer", ""),
                request.POST.get("publish") == "on",
            )
            return redirect("disclosure:dashboard")
        except DisclosureError as exc:
            error = str(exc)
    return _page(request, "staff/message.html", {"msg": msg, "error": error}, 400 if error else 200)


@staff_view("disclosure.view_annualreport")
def report_edit(request: HttpRequest, year: int) -> HttpResponse:
    # Opening the page writes nothing: a year without a row gets one on the first save.
    item = AnnualReport.objects.filter(year=year).first() or AnnualReport(year=year)
    error = ""
    if request.method == "POST":
        if not request.user.has_perm("disclosure.change_annualreport"):
            raise PermissionDenied("没有编辑年度报告的权限")  # the Chinese refusal page
        item.overview = request.POST.get("overview", "")
        item.problems = request.POST.get("problems", "")
        item.other = request.POST.get("other", "")
        try:
            table2 = {k: float(request.POST.get(f"t2_{k}") or 0) for k in report.TABLE2_EXTRA}
            table4 = {k: int(request.POST.get(f"t4_{k}") or 0) for k in report.TABLE4_KEYS}
        except ValueError:
            error = "表格中只能填写数字"
        if not error:
            services.save_annual_report(
                year,
                overview=item.overview,
                problems=item.problems,
                other=item.other,
                table2_extra=table2,
                table4=table4,
                publish=request.POST.get("publish") == "on"
                and request.user.has_perm("disclosure.publish_report"),
                user=request.user,
            )
            return redirect("disclosure:report-edit", year=year)
    context = {
        **report.context(item),
        "error": error,
        "table2_keys": report.TABLE2_EXTRA,
        "table4_keys": report.TABLE4_KEYS,
        "table4_labels": report.TABLE4_LABELS,
    }
    return _page(request, "staff/report_edit.html", context, 400 if error else 200)


def report_print_html(item: AnnualReport) -> str:
    """The report as one self-contained page for printing (stylesheet inlined)."""
    from django.contrib.staticfiles import finders

    css_path = finders.find("disclosure/report-print.css")
    css = Path(css_path).read_text(encoding="utf-8") if css_path else ""
    return render_to_string("disclosure/report_print.html", {**report.context(item), "css": css})


@staff_view("disclosure.view_annualreport")
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    item = get_object_or_404(AnnualReport, year=year)
    try:
        pdf = report.html_to_pdf(report_print_html(item))
    except report.PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="xxgk-report-{year}.pdf"'
    return response


@staff_view("disclosure.add_calendarday")
def calendar_load(request: HttpRequest) -> HttpResponse:
    """Staff enter a year's State Council notice: rest days and make-up working days."""
    error = done = ""
    if request.method == "POST":
        try:
            done = _load_calendar(request)
        except DisclosureError as exc:
            error = str(exc)
    return _page(
        request, "staff/calendar.html", {"error": error, "done": done}, 400 if error else 200
    )


def _load_calendar(request: HttpRequest) -> str:
    """Load the notice pasted in full, or else the dates typed in; say what was loaded."""
    raw_year = request.POST.get("year", "").strip()
    if raw_year and not (raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4):
        raise DisclosureError(f"年份“{raw_year[:10]}”应为四位数字，如 2027")
    year = int(raw_year or 0)
    text = request.POST.get("notice", "")
    if text.strip():
        notice, n = services.load_notice(text, year or None, request.user)
        return f"已按通知录入{notice.year}年放假调休安排（{n}天）。"
    holidays = _dates(request.POST.get("holidays", ""))
    workdays = _dates(request.POST.get("workdays", ""))
    n = services.load_calendar(year, holidays, workdays, request.user)
    return f"已录入{year}年放假调休安排（{n}天）。"


def _dates(text: str) -> list[date]:
    out = []
    for item in re.split(r"[,，\s]+", text.strip()):
        if item:
            try:
                out.append(date.fromisoformat(item))
            except ValueError:
                raise DisclosureError(f"日期“{item[:20]}”格式有误，应为 YYYY-MM-DD") from None
    return out


def outcome_label(code: str) -> str:
    o = outcomes.BY_CODE.get(code)
    return f"{o.group}{o.label}" if o else ""


__all__ = ["deadlines"]
