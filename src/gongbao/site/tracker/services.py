"""Tracker services: the only code that writes the tracker's tables.

Used alike by the views, the admin, the command line and the tests. Each write
runs in one transaction. Extraction makes *proposals*; ``confirm_task`` and
``correct_task`` turn them into tracked tasks, and every correction is kept as
a ``Correction`` row against the extractor's snapshot (``Task.extracted``).
"""

from __future__ import annotations

import calendar
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongbao.core.tasks import extract_from_dict
from gongbao.core.units import (
    REASONS,
    ROLES,
    STAFF,
    Assignment,
    Registry,
    clean,
    is_group,
    load_profile,
)
from gongbao.core.workdays import CalendarUnknown, add_days
from gongbao.site.access import public_documents
from gongbao.site.actors import Actor, staff_member
from gongbao.site.archive.models import Document
from gongbao.site.tracker.models import Correction, Progress, Task, TaskUnit, Unit

MAX_EVIDENCE = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = {
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ofd",
    ".txt",
    ".zip",
}
ACCOUNTABLE = ("lead", "responsible")  # whose "done" makes the task done (else every unit's)


class TrackerError(Exception):
    """A request the tracker refuses; the message is for the user (Chinese)."""


# --------------------------------------------------------------------------- units


def registry() -> Registry:
    """Generic rules, the county's unit profile (settings), and staff's own aliases."""
    staff = {u.name: list(u.aliases) for u in Unit.objects.exclude(aliases=[])}
    return Registry(staff, profile=unit_profile())


def unit_profile() -> dict[str, list[str]]:
    """The county's unit names: ``GONGBAO_UNIT_PROFILE`` (re-read when the file changes),
    else the ``[units]`` of the gazette profile (``gongbao.site.gazettes``)."""
    path = getattr(settings, "GONGBAO_UNIT_PROFILE", "")
    if not path:
        from gongbao.site.gazettes.services import ProfileError, site_profile

        try:
            profile = site_profile()
        except ProfileError as exc:
            raise TrackerError(str(exc)) from exc
        return dict(profile.unit_aliases) if profile else {}
    try:
        return _profile(str(path), Path(path).stat().st_mtime)
    except (OSError, ValueError) as exc:
        raise TrackerError(f"单位名录无法读取：{path}（{exc}）") from exc


@lru_cache(maxsize=4)
def _profile(path: str, mtime: float) -> dict[str, list[str]]:
    return load_profile(path)


def unit_for(name: str, reg: Registry | None = None) -> Unit:
    canonical = (reg or registry()).canonical(name)
    unit, _ = Unit.objects.get_or_create(name=canonical, defaults={"is_group": is_group(canonical)})
    return unit


def unit_as_printed(assignment: Assignment, reg: Registry) -> Unit:
    """The unit an extracted assignment is filed under.

    A match staff have confirmed (their aliases) or a group name (generic rules for
    各乡镇（街道）…, never ranked) is applied; any other renaming (the built-in table,
    an added 县) stays a proposal: the unit keeps its printed name until staff
    confirm the merge (``merge_proposals``, ``confirm_merge``).
    """
    if assignment.reason in ("", REASONS[STAFF]) or assignment.group:
        return unit_for(assignment.unit, reg)
    unit, _ = Unit.objects.get_or_create(
        name=clean(assignment.printed), defaults={"is_group": is_group(assignment.printed)}
    )
    return unit


@dataclass
class MergeProposal:
    unit: Unit  # as printed
    target: str  # the registry's canonical name
    reason: str


def merge_proposals(reg: Registry | None = None) -> list[MergeProposal]:
    """Units kept as printed whose name the registry would rename, with the reason."""
    reg = reg or registry()
    out = []
    for unit in Unit.objects.filter(is_group=False):
        match = reg.match(unit.name)
        if match.name != unit.name and match.source != STAFF:
            out.append(MergeProposal(unit, match.name, match.reason))
    return out


def confirm_merge(unit: Unit, target: str, user: Actor = None) -> Unit:
    """Staff confirm that ``unit`` (as printed) is ``target``: merged, kept as an alias."""
    from gongbao.site.disclosure.services import audit

    with transaction.atomic():
        merged = add_alias(unit_for(target), unit.name)
        audit(f"unit:{merged.name}", "确认单位合并", user, before=unit.name, after=merged.name)
    return merged


def add_alias(unit: Unit, alias: str) -> Unit:
    """Staff add a printed variant to a unit; a unit of that name is merged into it."""
    alias = clean(alias)
    with transaction.atomic():
        other = Unit.objects.filter(name=alias).exclude(pk=unit.pk).first()
        if other is not None:
            for row in TaskUnit.objects.filter(unit=other):
                if not TaskUnit.objects.filter(task=row.task, unit=unit, role=row.role).exists():
                    TaskUnit.objects.create(
                        task=row.task, unit=unit, role=row.role, printed=row.printed
                    )
                row.delete()
            Progress.objects.filter(unit=other).update(unit=unit)
            unit.aliases = sorted({*unit.aliases, *other.aliases, other.name})
            other.delete()
        elif alias not in unit.aliases:
            unit.aliases = [*unit.aliases, alias]
        unit.save()
    return unit


# --------------------------------------------------------------------------- extraction and review


@dataclass
class ExtractOutcome:
    document: str
    created: int = 0
    updated: int = 0
    kept: int = 0  # reviewed tasks left as the editor left them
    removed: int = 0


def extract_for_document(document: Document) -> ExtractOutcome:
    """Create or refresh the proposals of a document. Reviewed tasks are never overwritten."""
    reg = registry()
    found = extract_from_dict(document.data, reg)
    outcome = ExtractOutcome(document.ident)
    with transaction.atomic():
        # Ordered by pk: the default order joins the document's (nullable) issue, and
        # PostgreSQL refuses FOR UPDATE across an outer join.
        locked = Task.objects.select_for_update().filter(document=document).order_by("pk")
        existing = {t.key: t for t in locked}
        for item in found:
            snapshot = item.to_dict()
            task = existing.pop(item.key, None)
            if task is not None and task.status != Task.PROPOSAL:
                outcome.kept += 1
                continue
            values = dict(
                number=item.number, anchor=item.anchor, block=item.block,
                heading_path=item.heading_path, title=item.title[:300], text=item.text,
                units_text=item.units_text, style=item.style, deadlines=snapshot["deadlines"],
                recurrences=snapshot["recurrences"], targets=snapshot["targets"], extracted=snapshot,
            )  # fmt: skip
            if task is None:
                task = Task.objects.create(document=document, key=item.key, **values)
                outcome.created += 1
            else:
                for name, value in values.items():
                    setattr(task, name, value)
                task.save()
                task.assignments.all().delete()
                outcome.updated += 1
            for a in item.units:
                TaskUnit.objects.get_or_create(
                    task=task,
                    unit=unit_as_printed(a, reg),
                    role=a.role,
                    defaults={"printed": a.printed},
                )
        for task in existing.values():
            if task.status == Task.PROPOSAL:
                task.delete()
                outcome.removed += 1
    return outcome


REVIEW_FIELDS = ["status", "reviewed_by", "reviewed_at", "review_flag", "review_note", "updated_at"]


def confirm_task(task: Task, user: Actor = None) -> Task:
    """Confirm a task; a review asked for by a new version of its document is thereby done."""
    with transaction.atomic():
        task.status = Task.CONFIRMED
        task.reviewed_by = staff_member(user)
        task.reviewed_at = timezone.now()
        task.review_flag, task.review_note = "", ""
        task.save(update_fields=REVIEW_FIELDS)
    return task


def reject_task(task: Task, user: Actor = None) -> Task:
    with transaction.atomic():
        Correction.objects.create(
            task=task,
            field="status",
            before=task.status,
            after=Task.REJECTED,
            user=staff_member(user),
        )
        task.status = Task.REJECTED
        task.reviewed_by, task.reviewed_at = staff_member(user), timezone.now()
        task.review_flag, task.review_note = "", ""
        task.save(update_fields=REVIEW_FIELDS)
    return task


def task_units(task: Task) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {role: [] for role in ROLES}
    for row in task.assignments.select_related("unit"):
        out[row.role].append(row.unit.name)
    return out


#: ``correct_task``'s default for a field the editor did not send: leave it as it is.
KEEP = object()


def correct_task(
    task: Task,
    user: Actor = None,
    *,
    units: dict[str, list[str]] | None = None,
    deadlines: list[str] | None = None,
    title: str | None = None,
    assigned_on: date | object | None = KEEP,
    confirm: bool = True,
) -> list[Correction]:
    """Apply an editor's corrections; each changed field is kept as a ``Correction``.

    ``units``: role → unit names (the full new list per given role); ``deadlines``:
    ISO dates (replacing the dated deadlines; relative ones are kept); ``assigned_on``:
    the day the task was assigned (``None`` clears it; ``KEEP`` leaves it).
    """
    made: list[Correction] = []
    with transaction.atomic():
        if units is not None:
            made += _correct_units(task, units, user)
        if deadlines is not None:
            made += _correct_deadlines(task, deadlines, user)
        if title is not None:
            made += _correct_title(task, title, user)
        if assigned_on is not KEEP:
            made += _correct_assigned_on(task, assigned_on, user)
        task.save()
        if confirm:
            confirm_task(task, user)
    return made


def _correction(task: Task, user: Actor, name: str, before: object, after: object) -> Correction:
    return Correction.objects.create(
        task=task, field=name, before=before, after=after, user=staff_member(user)
    )


def _correct_units(task: Task, units: dict[str, list[str]], user: Actor) -> list[Correction]:
    """Each given role's units replaced by the new list, where it differs as a set."""
    reg = registry()
    current = task_units(task)
    made = []
    for role, names in units.items():
        if role not in ROLES:
            raise TrackerError(f"未知职责：{role}")
        new = [reg.canonical(n) for n in names if n.strip()]
        if sorted(new) == sorted(current[role]):
            continue
        made.append(_correction(task, user, f"units.{role}", current[role], new))
        task.assignments.filter(role=role).delete()
        for name in new:
            TaskUnit.objects.get_or_create(
                task=task, unit=unit_for(name, reg), role=role, defaults={"printed": name}
            )
    return made


def _correct_deadlines(task: Task, deadlines: list[str], user: Actor) -> list[Correction]:
    """The dated deadlines replaced by the given dates; relative ones (“30日内”) are kept."""
    try:
        new_dates = sorted({date.fromisoformat(d).isoformat() for d in deadlines if d})
    except ValueError as exc:
        raise TrackerError("期限应为 YYYY-MM-DD 格式的日期") from exc
    old_dates = sorted({d["date"] for d in task.deadlines if d.get("date")})
    if new_dates == old_dates:
        return []
    made = [_correction(task, user, "deadlines", old_dates, new_dates)]
    relative = [d for d in task.deadlines if not d.get("date")]
    task.deadlines = [
        {"kind": "date", "text": "人工更正", "date": d, "within": None, "unit": None}
        for d in new_dates
    ] + relative
    return made


def _correct_title(task: Task, title: str, user: Actor) -> list[Correction]:
    if not title.strip() or title.strip() == task.title:
        return []
    made = [_correction(task, user, "title", task.title, title.strip())]
    task.title = title.strip()[:300]
    return made


def _correct_assigned_on(task: Task, assigned_on: object, user: Actor) -> list[Correction]:
    if assigned_on == task.assigned_on:
        return []
    before = task.assigned_on.isoformat() if task.assigned_on else None
    after = assigned_on.isoformat() if isinstance(assigned_on, date) else None
    made = [_correction(task, user, "assigned_on", before, after)]
    task.assigned_on = assigned_on
    return made


def correction_stats(document: Document | None = None) -> dict:
    """How often editors changed the extractor's proposals, per field (its evaluation data)."""
    tasks = Task.objects.all() if document is None else Task.objects.filter(document=document)
    corrections = Correction.objects.filter(task__in=tasks)
    per_field: dict[str, int] = {}
    for c in corrections:
        per_field[c.field] = per_field.get(c.field, 0) + 1
    reviewed = tasks.exclude(status=Task.PROPOSAL).count()
    corrected = corrections.values("task").distinct().count()
    return {
        "reviewed": reviewed,
        "corrected": corrected,
        "accepted_unchanged": reviewed - corrected,
        "corrections": corrections.count(),
        "per_field": dict(sorted(per_field.items())),
    }


# --------------------------------------------------------------------------- progress


def validate_evidence(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    if upload.size > MAX_EVIDENCE:
        raise TrackerError("佐证材料不能超过 10 MB")
    if Path(upload.name).suffix.lower() not in EVIDENCE_SUFFIXES:
        allowed = "、".join(sorted(EVIDENCE_SUFFIXES))
        raise TrackerError(f"佐证材料只接受以下格式：{allowed}")


def record_progress(
    task: Task,
    unit: Unit,
    status: str,
    *,
    day: date | None = None,
    note: str = "",
    evidence: UploadedFile | None = None,
    user: Actor = None,
) -> Progress:
    if task.status != Task.CONFIRMED:
        raise TrackerError("任务尚未确认，不能登记进展")
    if not task.assignments.filter(unit=unit).exists():
        raise TrackerError(f"{unit.name} 不是这项任务的责任单位")
    if status not in dict(Progress.STATUS):
        raise TrackerError(f"未知进展状态：{status}")
    validate_evidence(evidence)
    with transaction.atomic():
        row = Progress(
            task=task,
            unit=unit,
            status=status,
            note=note,
            date=day or timezone.localdate(),
            user=staff_member(user),
        )
        if evidence is not None:
            row.evidence = evidence
        try:
            row.full_clean(exclude=["evidence", "user"])
        except ValidationError as exc:
            raise TrackerError(
                "；".join(m for ms in exc.message_dict.values() for m in ms)
            ) from exc
        row.save()
    return row


# What a task's state reads: lists and reports over many tasks prefetch these
# (``tasks.prefetch_related(*STATE_PREFETCH)``), and the functions below then read
# the prefetched rows instead of asking the database once per task and unit.
STATE_PREFETCH = ("assignments__unit", "progress")


def _prefetched(task: Task, name: str) -> bool:
    return name in getattr(task, "_prefetched_objects_cache", {})


def _progress(task: Task, unit: Unit, after: date | None, until: date) -> list[Progress]:
    """The unit's progress rows dated in (after, until], latest first."""
    if _prefetched(task, "progress"):
        rows = [
            p
            for p in task.progress.all()
            if p.unit_id == unit.pk and p.date <= until and (after is None or p.date > after)
        ]
        return sorted(rows, key=lambda p: (p.date, p.pk), reverse=True)
    query = task.progress.filter(unit=unit, date__lte=until)
    if after is not None:
        query = query.filter(date__gt=after)
    return list(query.order_by("-date", "-id"))


def latest_status(task: Task, unit: Unit, as_of: date) -> str | None:
    rows = _progress(task, unit, None, as_of)
    return rows[0].status if rows else None


def accountable_units(task: Task) -> list[Unit]:
    if _prefetched(task, "assignments"):
        rows = list(task.assignments.all())
    else:
        rows = list(task.assignments.select_related("unit"))
    chosen = [r.unit for r in rows if r.role in ACCOUNTABLE and not r.unit.is_group]
    return chosen or [r.unit for r in rows if not r.unit.is_group]


def task_done(task: Task, as_of: date) -> bool:
    units = accountable_units(task)
    return bool(units) and all(latest_status(task, u, as_of) == Progress.DONE for u in units)


@dataclass
class Deadline:
    """A dated due date: a printed deadline, or a recurrence's occurrence."""

    date: date
    text: str


@dataclass
class Due:
    """A standing rule's due date for one case; ``None`` with the ``problem`` when it
    cannot be counted here (hours, months, a year the holiday calendar does not know)."""

    date: date | None
    text: str
    problem: str = ""


# A task's timing is one of three kinds (docs/tasks.md, "Timing"): a dated
# deadline (2018年8月底前), a recurrence (每月5日前) or a standing rule (在2个工作日内
# of an event such as a complaint being passed on). Only dated deadlines are due
# dates: a standing rule has no date until a case happens, so it is never overdue.
RULE_UNITS = {"working_day": "个工作日", "day": "日", "hour": "小时", "month": "个月"}


def due_dates(task: Task) -> list[Deadline]:
    """The task's dated deadlines (standing rules are not due dates: ``standing_rules``)."""
    return [
        Deadline(date.fromisoformat(d["date"]), d.get("text", ""))
        for d in task.deadlines
        if d.get("date")
    ]


def standing_rules(task: Task) -> list[dict]:
    """Rules such as 在2个工作日内 that run from an event, not from the document's date."""
    return [d for d in task.deadlines if not d.get("date") and d.get("within")]


def rule_due(rule: dict, event_day: date) -> Due:
    """When one case under a standing rule falls due: N (working) days after its event.

    Hours and months are not counted here (a case's clock for those is kept by staff).
    """
    text = rule.get("text", "")
    if rule.get("unit") not in ("working_day", "day"):
        return Due(
            None, text, f"“{text}”按{RULE_UNITS.get(str(rule.get('unit')), '')}计算，请人工核对"
        )
    try:
        return Due(add_days(event_day, int(rule["within"]), rule["unit"] == "working_day"), text)
    except CalendarUnknown as exc:
        return Due(None, text, str(exc))


def first_due(task: Task) -> Deadline | None:
    dated = due_dates(task)
    return min(dated, key=lambda d: d.date) if dated else None


@dataclass
class TaskState:
    """A task (or one unit's share of it) at the end of the day ``as_of``."""

    due: Deadline | None  # the earliest due date passed by then, else the earliest due date
    done: bool
    overdue: bool


def task_state(task: Task, as_of: date, unit: Unit | None = None) -> TaskState:
    """The one definition of "overdue" for every figure (lists, pages, report, export).

    ``as_of`` means the end of that day: a deadline on ``as_of`` has passed, and
    progress recorded on ``as_of`` counts. So a quarter's report (as of its last
    day) and the overdue list for that day always agree.

    A recurrence (每月5日前) falls due in every period: until a dated deadline has
    passed, the task is judged on its latest occurrence, done when every accountable
    unit (or ``unit``) recorded 已完成 since the occurrence before it.
    """
    passed = [d for d in due_dates(task) if d.date <= as_of]
    cycle = None if passed else current_cycle(task, as_of)
    if cycle is not None:
        since, due = cycle
        units = [unit] if unit is not None else accountable_units(task)
        done = bool(units) and all(_done_between(task, u, since, as_of) for u in units)
        return TaskState(due, done, not done)
    if unit is not None:
        done = latest_status(task, unit, as_of) == Progress.DONE
    else:
        done = task_done(task, as_of)
    earliest = min(passed, key=lambda d: d.date) if passed else first_due(task)
    return TaskState(earliest, done, bool(passed) and not done)


def _done_between(task: Task, unit: Unit, after: date, until: date) -> bool:
    return any(p.status == Progress.DONE for p in _progress(task, unit, after, until))


# Recurrences that fall due: at the printed day (每月5日前 → the 5th, 每年7月底前 →
# 31 July) or at the end of each period (每月 → month end, 每季度 → quarter end,
# 每半年 → 30 June and 31 December, 每年 → 31 December). 每周 is shown, not dated.
_PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def occurrences(recurrence: dict, start: date, until: date) -> list[date]:
    """The due dates of one recurrence after ``start`` up to ``until`` (both dates)."""
    step = _PERIOD_MONTHS.get(recurrence.get("period", ""))
    if step is None or until <= start:
        return []
    out = []
    year = start.year
    while date(year, 1, 1) <= until:
        for first in range(1, 13, step):
            due = _occurrence(recurrence, year, first, step)
            if due is not None and start < due <= until:
                out.append(due)
        year += 1
    return sorted(set(out))


def _occurrence(recurrence: dict, year: int, first: int, step: int) -> date | None:
    """The due date in the period of ``step`` months starting with month ``first``."""
    last = first + step - 1
    month = recurrence.get("month")
    if step == 12 and month:  # 每年7月底前
        last = int(month)
    day = recurrence.get("day")
    if step == 1 and day:  # 每月5日前
        try:
            return date(year, first, int(day))
        except ValueError:
            return None
    return date(year, last, calendar.monthrange(year, last)[1])


def current_cycle(task: Task, as_of: date) -> tuple[date, Deadline] | None:
    """(the day the current period began, its due date): the latest occurrence by
    ``as_of`` of the task's recurrences, counted from the task's start and, when the
    task also has dated deadlines, not beyond the last of them."""
    if not task.recurrences:  # most tasks: no need to read the document's date
        return None
    start = task.start
    if start is None:
        return None
    until = as_of
    dated = due_dates(task)
    if dated:
        until = min(until, max(d.date for d in dated))
    best: tuple[date, Deadline] | None = None
    for rec in task.recurrences:
        days = occurrences(rec, start, until)
        if not days:
            continue
        since = days[-2] if len(days) > 1 else start
        if best is None or days[-1] > best[1].date:
            best = (since, Deadline(days[-1], rec.get("text", "")))
    return best


def next_occurrence(task: Task, as_of: date) -> date | None:
    """The next due date of the task's recurrences after ``as_of`` (for display)."""
    if task.start is None:
        return None
    start = max(task.start, as_of)
    found = [
        days[0]
        for rec in task.recurrences
        if (days := occurrences(rec, start, start + timedelta(days=370)))
    ]
    return min(found) if found else None


@dataclass
class Overdue:
    task: Task
    unit: Unit | None
    due: date
    text: str


def overdue(
    as_of: date, *, document: Document | None = None, unit: Unit | None = None
) -> list[Overdue]:
    """Confirmed tasks past a deadline and not done at the end of ``as_of`` (``task_state``).

    With ``unit``: that unit's tasks whose latest progress is not 已完成.
    """
    tasks = (
        Task.objects.filter(status=Task.CONFIRMED)
        .select_related("document")
        .prefetch_related(*STATE_PREFETCH)
    )
    if document is not None:
        tasks = tasks.filter(document=document)
    if unit is not None:
        tasks = tasks.filter(assignments__unit=unit).distinct()
    out: list[Overdue] = []
    for task in tasks:
        state = task_state(task, as_of, unit)
        if state.overdue and state.due is not None:  # an overdue task always has its due date
            out.append(Overdue(task, unit, state.due.date, state.due.text))
    return out


# --------------------------------------------------------------------------- quarterly report


def parse_quarter(text: str) -> tuple[date, date]:
    text = text.strip().upper()
    try:
        year, q = int(text[:4]), int(text[-1])
        if len(text) != 6 or text[4] != "Q" or not 1 <= q <= 4:
            raise ValueError
    except ValueError as exc:
        raise TrackerError("季度的写法应为 2018Q3") from exc
    start = date(year, 3 * q - 2, 1)
    end = (date(year + (q == 4), (3 * q) % 12 + 1, 1)) - timedelta(days=1)
    return start, end


@dataclass
class UnitRow:
    unit: Unit
    assigned: int = 0
    done: int = 0
    in_progress: int = 0
    blocked: int = 0
    not_reported: int = 0
    overdue: int = 0
    rank: int = 0
    updates: int = 0  # progress records dated in the quarter

    @property
    def rate(self) -> float:
        return self.done / self.assigned if self.assigned else 0.0

    @property
    def rate_text(self) -> str:
        return f"{self.rate * 100:.1f}%"


@dataclass
class QuarterlyReport:
    quarter: str
    start: date
    end: date
    rows: list[UnitRow] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    tasks: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    groups: list[str] = field(default_factory=list)

    @property
    def rate_text(self) -> str:
        return f"{(self.tasks_done / self.tasks * 100) if self.tasks else 0:.1f}%"


def quarterly_report(quarter: str, documents: QuerySet[Document] | None = None) -> QuarterlyReport:
    """季度通报: per unit the tasks assigned, done, overdue as of the quarter's last day, ranked.

    A unit's state on a task is its latest progress record dated on or before the
    quarter's end; completion rate = done / assigned; ranking by rate (higher first),
    then fewer overdue, then name. Groups (各乡镇（街道）…) are listed, not ranked.
    """
    start, end = parse_quarter(quarter)
    report = QuarterlyReport(quarter.upper(), start, end)
    tasks = Task.objects.filter(status=Task.CONFIRMED).select_related("document")
    if documents is not None:
        tasks = tasks.filter(document__in=documents)
    rows: dict[int, UnitRow] = {}
    per_doc: dict[int, dict] = {}
    for task in tasks.prefetch_related(*STATE_PREFETCH):
        state = task_state(task, end)
        report.tasks += 1
        report.tasks_done += state.done
        report.tasks_overdue += state.overdue
        doc = per_doc.setdefault(
            task.document_id, {"document": task.document, "tasks": 0, "done": 0, "overdue": 0}
        )
        doc["tasks"] += 1
        doc["done"] += state.done
        doc["overdue"] += state.overdue
        for unit in {a.unit for a in task.assignments.all()}:
            if unit.is_group:
                if unit.name not in report.groups:
                    report.groups.append(unit.name)
                continue
            row = rows.setdefault(unit.pk, UnitRow(unit))
            row.assigned += 1
            status = latest_status(task, unit, end)
            unit_state = task_state(task, end, unit)
            if status == Progress.DONE:
                row.done += 1
            elif status == Progress.IN_PROGRESS:
                row.in_progress += 1
            elif status == Progress.BLOCKED:
                row.blocked += 1
            else:
                row.not_reported += 1
            row.overdue += unit_state.overdue
            row.updates += task.progress.filter(unit=unit, date__gte=start, date__lte=end).count()
    ranked = sorted(rows.values(), key=lambda r: (-r.rate, r.overdue, r.unit.name))
    for n, row in enumerate(ranked, 1):
        row.rank = n
    report.rows = ranked
    for doc in per_doc.values():
        doc["rate_text"] = f"{doc['done'] / doc['tasks'] * 100:.1f}%"
    report.documents = list(per_doc.values())
    report.groups.sort()
    return report


# --------------------------------------------------------------------------- export

EXPORT_FIELDS = [
    "document",
    "issue",
    "key",
    "number",
    "title",
    "lead",
    "cooperate",
    "implement",
    "responsible",
    "deadlines",
    "recurrences",
    "status",
    "anchor",
    "due",
    "overdue",
]


def export_rows(tasks: QuerySet[Task], as_of: date | None = None) -> list[dict]:
    """One row per task; ``due``/``overdue`` as at the end of ``as_of`` (default today)."""
    as_of = as_of or timezone.localdate()
    rows = []
    for task in tasks.select_related("document__issue").prefetch_related(*STATE_PREFETCH):
        state = task_state(task, as_of)
        units: dict[str, list[str]] = {role: [] for role in ROLES}
        for a in task.assignments.all():
            units[a.role].append(a.unit.name)
        rows.append(
            {
                "document": task.document.ident,
                # Empty for a document a new version of its issue dropped (its tasks stay).
                "issue": task.document.issue.ident if task.document.issue else "",
                "key": task.key,
                "number": task.number,
                "title": task.title,
                **units,
                "deadlines": [d for d in task.deadlines],
                "recurrences": [r.get("text", "") for r in task.recurrences],
                "targets": task.targets,
                "text": task.text,
                "status": task.status,
                "anchor": task.anchor,
                "rules": [r.get("text", "") for r in standing_rules(task)],
                "due": state.due.date.isoformat() if state.due else "",
                "overdue": state.overdue,
                "as_of": as_of.isoformat(),
            }
        )
    return rows


def export_json(tasks: QuerySet[Task], as_of: date | None = None) -> str:
    return json.dumps({"tasks": export_rows(tasks, as_of)}, ensure_ascii=False, indent=1)


def export_csv(tasks: QuerySet[Task], as_of: date | None = None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_FIELDS)
    for row in export_rows(tasks, as_of):
        writer.writerow(
            [
                "、".join(row[f]) if f in ROLES or f == "recurrences"
                else "、".join(d.get("date") or d.get("text", "") for d in row[f]) if f == "deadlines"
                else ("是" if row[f] else "否") if f == "overdue"
                else row[f]
                for f in EXPORT_FIELDS
            ]
        )  # fmt: skip
    return buf.getvalue()


def public_tasks() -> QuerySet[Task]:
    """What the public may see: confirmed tasks of published documents (``access``)."""
    return Task.objects.filter(status=Task.CONFIRMED, document__in=public_documents())
