"""Tracker pages: dashboards per document and per unit, review, progress, the quarterly report.

Visibility comes from ``gongbao.site.access``: the public sees only confirmed tasks
of published documents (read-only); staff see everything, and write according to
their permissions (``tracker.confirm_task``, ``tracker.record_progress``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongbao.site.access import visible_documents
from gongbao.site.archive.models import Document, Redirect
from gongbao.site.tracker import services
from gongbao.site.tracker.models import Progress, Task, Unit
from gongbao.site.tracker.pdf import PdfUnavailable, chromium, html_to_pdf


def _staff(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.is_staff


def _tasks_for(request: HttpRequest):
    if _staff(request):
        return Task.objects.all()
    return services.public_tasks()


def _as_of(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def _current_quarter() -> str:
    today = timezone.localdate()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def index(request: HttpRequest) -> HttpResponse:
    tasks = _tasks_for(request)
    docs = (
        _documents(request)
        .filter(pk__in=tasks.values("document"))
        .select_related("issue", "gazette")
        .order_by("-date", "seq")
    )
    rows = []
    for doc in docs:
        mine = tasks.filter(document=doc)
        rows.append(
            {
                "document": doc,
                "tasks": mine.count(),
                "proposals": mine.filter(status=Task.PROPOSAL).count(),
                "confirmed": mine.filter(status=Task.CONFIRMED).count(),
            }
        )
    units = Unit.objects.filter(
        assignments__task__in=tasks.filter(status=Task.CONFIRMED)
    ).distinct()
    return render(
        request,
        "tracker/index.html",
        {"rows": rows, "units": units, "staff": _staff(request), "quarter": _current_quarter(),
         "stats": services.correction_stats() if _staff(request) else None,
         "merges": services.merge_proposals() if _staff(request) else [],
         # the same figure as the overdue list and the report, as of the end of today
         "overdue": len(services.overdue(timezone.localdate())) if _staff(request) else None,
         "today": timezone.localdate()},
    )  # fmt: skip


def _task_rows(tasks, as_of: date):
    rows = []
    for task in tasks.prefetch_related(*services.STATE_PREFETCH):
        units = []
        for a in task.assignments.all():
            units.append({"unit": a.unit, "role": a.get_role_display(), "role_key": a.role,
                          "status": services.latest_status(task, a.unit, as_of)})  # fmt: skip
        state = services.task_state(task, as_of)
        rows.append(
            {
                "task": task,
                "units": units,
                "due": state.due,
                "done": state.done,
                "overdue": state.overdue,
                "rules": services.standing_rules(task),
                "next": services.next_occurrence(task, as_of),
            }
        )
    return rows


def _check_case(request: HttpRequest, rows: list[dict]) -> None:
    """One case under a task's standing rules (``?task=34&event=2018-09-28``): when it
    falls due. A check on the page only; nothing is stored."""
    key, event = request.GET.get("task", ""), request.GET.get("event", "")
    try:
        day = date.fromisoformat(event)
    except ValueError:
        return
    for row in rows:
        if row["task"].key == key and row["rules"]:
            row["case"] = {"event": day, "dues": [services.rule_due(r, day) for r in row["rules"]]}


def _documents(request: HttpRequest):
    """Staff also reach documents a new version dropped: their tasks wait for review there."""
    return Document.objects.all() if _staff(request) else visible_documents(request.user)


def _document_or_redirect(request: HttpRequest, gazette: str, ident: str, view: str):
    """The document by its identifier; an identifier from before a corrected 文号 redirects."""
    docs = _documents(request).select_related("gazette", "issue")
    doc = docs.filter(gazette__slug=gazette, ident=ident).first()
    if doc is not None:
        return doc
    moved = Redirect.objects.filter(
        gazette__slug=gazette, old_ident=ident, document__in=docs
    ).first()
    if moved is None:
        raise Http404("没有这份文件")
    return redirect(f"tracker:{view}", gazette=gazette, ident=moved.document.ident)


def _document_url(doc: Document, anchor: str = "") -> str:
    url = reverse("tracker:document", args=[doc.gazette.slug, doc.ident])
    return url + (f"#task-{anchor}" if anchor else "")


def document(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = _document_or_redirect(request, gazette, ident, "document")
    if not isinstance(doc, Document):
        return doc
    tasks = _tasks_for(request).filter(document=doc)
    if not _staff(request):
        tasks = tasks.filter(status=Task.CONFIRMED)
    as_of = _as_of(request)
    can_record = _staff(request) and request.user.has_perm("tracker.record_progress")
    rows = _task_rows(tasks, as_of)
    _check_case(request, rows)
    return render(
        request,
        "tracker/document.html",
        {
            "doc": doc,
            "rows": rows,
            "as_of": as_of,
            "staff": _staff(request),
            "can_record": can_record,
            "can_review": _staff(request) and request.user.has_perm("tracker.confirm_task"),
            "statuses": Progress.STATUS,
            "today": timezone.localdate(),
            "error": request.GET.get("error", ""),
        },
    )


def unit(request: HttpRequest, name: str) -> HttpResponse:
    obj = get_object_or_404(Unit, name=name)
    tasks = _tasks_for(request).filter(assignments__unit=obj).distinct().select_related("document")
    if not _staff(request):
        tasks = tasks.filter(status=Task.CONFIRMED)
    as_of = _as_of(request)
    rows = _task_rows(tasks, as_of)
    for row in rows:
        row["mine"] = [u for u in row["units"] if u["unit"].pk == obj.pk]
    if not rows and not _staff(request):
        raise Http404
    return render(
        request,
        "tracker/unit.html",
        {"unit": obj, "rows": rows, "as_of": as_of, "staff": _staff(request)},
    )


@login_required
@permission_required("tracker.confirm_task", raise_exception=True)
def review(request: HttpRequest, gazette: str, ident: str) -> HttpResponse:
    doc = _document_or_redirect(request, gazette, ident, "review")
    if not isinstance(doc, Document):
        return doc
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "extract":
            services.extract_for_document(doc)
        else:
            ids = request.POST.getlist("task")
            chosen = Task.objects.filter(document=doc, pk__in=ids)
            if action == "confirm_all":
                chosen = Task.objects.filter(document=doc, status=Task.PROPOSAL)
            for task in chosen:
                if action == "reject":
                    services.reject_task(task, request.user)
                else:
                    services.confirm_task(task, request.user)
        return redirect("tracker:review", gazette=gazette, ident=doc.ident)
    tasks = Task.objects.filter(document=doc).prefetch_related("assignments__unit")
    return render(
        request,
        "tracker/review.html",
        {"doc": doc, "tasks": tasks, "staff": True,
         "proposals": tasks.filter(status=Task.PROPOSAL).count(),
         "stats": services.correction_stats(doc)},
    )  # fmt: skip


@require_POST
@login_required
def progress(request: HttpRequest, gazette: str, ident: str, key: str) -> HttpResponse:
    if not (request.user.is_staff and request.user.has_perm("tracker.record_progress")):
        raise PermissionDenied
    task = get_object_or_404(
        Task.objects.select_related("document__gazette"),
        document__gazette__slug=gazette,
        document__ident=ident,
        key=key,
    )
    unit_obj = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
    try:
        day = date.fromisoformat(request.POST.get("date", "")) if request.POST.get("date") else None
        services.record_progress(
            task, unit_obj, request.POST.get("status", ""), day=day,
            note=request.POST.get("note", "")[:2000], evidence=request.FILES.get("evidence"),
            user=request.user,
        )  # fmt: skip
    except (services.TrackerError, ValueError) as exc:
        message = str(exc) if isinstance(exc, services.TrackerError) else "日期格式应为 YYYY-MM-DD"
        return redirect(_document_url(task.document).split("#")[0] + "?" + _query(error=message))
    return redirect(_document_url(task.document, task.key))


def _query(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@require_POST
@login_required
def merge_unit(request: HttpRequest, name: str) -> HttpResponse:
    """Staff confirm a proposed merge of a unit kept as printed into the registry's name."""
    if not (request.user.is_staff and request.user.has_perm("tracker.confirm_task")):
        raise PermissionDenied
    unit_obj = get_object_or_404(Unit, name=name)
    proposals = {p.unit.pk: p for p in services.merge_proposals()}
    if unit_obj.pk not in proposals:
        raise Http404("这个单位没有待确认的合并建议")
    merged = services.confirm_merge(unit_obj, proposals[unit_obj.pk].target, request.user)
    return redirect("tracker:unit", name=merged.name)


@login_required
def evidence(request: HttpRequest, name: str) -> FileResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    row = Progress.objects.filter(evidence=name).exclude(evidence="").first()
    if row is None:
        raise Http404("没有这份佐证材料")
    return FileResponse(
        row.evidence.open("rb"), as_attachment=True, filename=row.evidence.name.rsplit("/", 1)[-1]
    )


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    as_of = _as_of(request)
    return render(
        request,
        "tracker/overdue.html",
        {"items": services.overdue(as_of), "as_of": as_of, "staff": True},
    )


def _report_context(request: HttpRequest, quarter: str) -> dict:
    if not _staff(request):
        raise PermissionDenied
    try:
        report = services.quarterly_report(quarter)
    except services.TrackerError as exc:
        raise Http404(str(exc)) from exc
    return {"report": report, "staff": True, "pdf_available": chromium() is not None}


@login_required
def report_current(request: HttpRequest) -> HttpResponse:
    return redirect("tracker:report", quarter=_current_quarter())


@login_required
def report(request: HttpRequest, quarter: str) -> HttpResponse:
    return render(request, "tracker/report.html", _report_context(request, quarter))


@login_required
def report_pdf(request: HttpRequest, quarter: str) -> HttpResponse:
    context = _report_context(request, quarter)
    path = finders.find("tracker/tracker.css")
    context["inline_css"] = Path(path).read_text(encoding="utf-8") if path else ""
    html = render_to_string("tracker/report_print.html", context, request=request)
    try:
        data = html_to_pdf(html)
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{context["report"].quarter}.pdf"'
    return response


def _api_tasks(request: HttpRequest):
    tasks = _tasks_for(request).filter(status=Task.CONFIRMED)
    ident = request.GET.get("document", "").strip()
    if ident:
        tasks = tasks.filter(document__ident=ident)
    return tasks


def api_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        services.export_json(_api_tasks(request), _as_of(request)),
        content_type="application/json; charset=utf-8",
    )


def api_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + services.export_csv(_api_tasks(request), _as_of(request)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="tasks.csv"'
    return response
