"""依申请公开: filing a request, its states and deadlines (补正, 征求意见, 收费, 延期, 答复), repeats."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from gongbao.core.workdays import CalendarUnknown
from gongbao.site.actors import Actor
from gongbao.site.archive.models import Document
from gongbao.site.disclosure import deadlines, outcomes
from gongbao.site.disclosure.models import (
    Config,
    DisclosureRecord,
    Request,
)
from gongbao.site.disclosure.services.calendar import schedule
from gongbao.site.disclosure.services.common import DisclosureError, audit, today

# action: (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "request_correction": ((Request.RECEIVED,), Request.CORRECTION),
    "receive_correction": ((Request.CORRECTION,), Request.RECEIVED),
    "correction_lapsed": ((Request.CORRECTION,), Request.WITHDRAWN),
    "start_consultation": ((Request.RECEIVED,), Request.CONSULTING),
    "end_consultation": ((Request.CONSULTING,), Request.RECEIVED),
    "fee_notice": ((Request.RECEIVED,), Request.FEE),
    "fee_paid": ((Request.FEE,), Request.RECEIVED),
    "fee_lapsed": ((Request.FEE,), Request.WITHDRAWN),
    "extend": ((Request.RECEIVED, Request.CONSULTING), ""),  # "" = the state stays
    "reply": ((Request.RECEIVED,), Request.REPLIED),
    "withdraw": (
        (Request.RECEIVED, Request.CORRECTION, Request.CONSULTING, Request.FEE),
        Request.WITHDRAWN,
    ),
}
ACTION_LABELS = {
    "request_correction": "告知补正",
    "receive_correction": "收到补正",
    "correction_lapsed": "逾期未补正（视为放弃）",
    "start_consultation": "征求第三方意见",
    "end_consultation": "第三方意见已收到",
    "fee_notice": "发出收费通知",
    "fee_paid": "已缴费",
    "fee_lapsed": "逾期未缴费（视为放弃）",
    "extend": "延长答复期限",
    "reply": "答复",
    "withdraw": "申请人撤回",
}


def allowed_actions(req: Request) -> list[str]:
    return [a for a, (sources, _) in TRANSITIONS.items() if req.state in sources]


def lookup_code(token: str) -> str:
    """The requester's secret code, derived from the form's one-time token (shown once)."""
    mac = hmac.new(settings.SECRET_KEY.encode(), f"ysq-lookup:{token}".encode(), hashlib.sha256)
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    n = int.from_bytes(mac.digest()[:10], "big")
    return "".join(alphabet[(n >> (5 * i)) % len(alphabet)] for i in range(12))


def _code_hash(code: str) -> str:
    return hashlib.sha256(f"ysq:{code.strip().upper()}".encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _next_number(year: int) -> str:
    last = Request.objects.filter(number__startswith=f"{year}-").aggregate(m=Max("number"))["m"]
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{seq:04d}"


APPLICANT_FIELDS = (
    "applicant_type", "org_type", "name", "id_type", "id_number", "legal_rep", "contact_name",
    "phone", "email", "address", "postcode", "description", "doc_number", "purpose", "form",
    "delivery",
)  # fmt: skip
REQUIRED = {
    "applicant_type": "申请人类型",
    "name": "姓名或名称",
    "id_type": "身份证明",
    "id_number": "证件号码",
    "phone": "联系电话",
    "description": "所需信息的名称或描述",
    "form": "信息载体形式",
    "delivery": "获取方式",
}


def _resubmitted(existing: Request, values: dict[str, str]) -> Request:
    """The same form posted again: the first registration, only for the very same application.

    The form's stamp is a one-time token and the lookup code derives from it. A
    double click posts the same content twice and gets the same answer; anyone
    re-posting an old stamp with other content (a page left in a browser's history,
    a copied form) must learn nothing about the request already made with it.
    """
    if any(getattr(existing, k) != v for k, v in values.items()):
        raise DisclosureError(
            "这份表单已经提交过，不能再用来提交其他内容。请重新打开申请页面填写新的申请。"
        )
    return existing


def file_request(
    data: dict,
    *,
    token: str,
    channel: str = deadlines.ONLINE,
    received_on: date | None = None,
    attachment: UploadedFile | None = None,
    user: Actor = None,
) -> tuple[Request, str, bool]:
    """Register an application. Returns (request, lookup code, created); the same token twice
    (a double click) returns the first registration unchanged."""
    missing = [label for key, label in REQUIRED.items() if not str(data.get(key) or "").strip()]
    if missing:
        raise DisclosureError("请填写：" + "、".join(missing))
    if data["applicant_type"] == Request.LEGAL and not data.get("org_type"):
        raise DisclosureError("法人或其他组织请选择组织类型")
    code = lookup_code(token)
    values = {k: str(data.get(k) or "").strip() for k in APPLICANT_FIELDS}
    existing = Request.objects.filter(token=token).first()
    if existing is not None:
        return _resubmitted(existing, values), code, False
    received = received_on or today()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                req = Request(
                    **values,
                    token=token,
                    code_hash=_code_hash(code),
                    channel=channel,
                    received_on=received,
                    clock_start=received,
                    number=_next_number(received.year),
                )
                if attachment is not None:
                    req.attachment = attachment
                _recompute(req)
                req.save()
                audit(f"request:{req.number}", "登记申请", user, after=req.get_state_display(),
                      note=f"渠道：{req.get_channel_display()}；收到日期：{received}")  # fmt: skip
            return req, code, True
        except IntegrityError:  # the same token at the same moment, or a number just taken
            existing = Request.objects.filter(token=token).first()
            if existing is not None:
                return _resubmitted(existing, values), code, False
    raise DisclosureError("登记繁忙，请稍后再试")


def possible_duplicates(req: Request) -> list[Request]:
    """Other applications with the same applicant and the same wording, filed within a
    day of this one: flagged to staff (a double submission or a resend), never refused,
    since applying twice is the applicant's right."""
    window = timedelta(days=1)
    same = Request.objects.filter(
        name=req.name,
        id_number=req.id_number,
        description=req.description,
        created_at__gte=req.created_at - window,
        created_at__lte=req.created_at + window,
    )
    return list(same.exclude(pk=req.pk).order_by("created_at"))


def lookup(number: str, code: str) -> Request | None:
    """The request for (number, code), or None; the same work whether or not the number exists."""
    req = Request.objects.filter(number=number.strip()).first()
    expected = req.code_hash if req is not None else _code_hash("not-a-code-" + number)
    ok = hmac.compare_digest(expected, _code_hash(code))
    return req if req is not None and ok else None


def _pauses(req: Request, until: date | None = None) -> list[tuple[date, date]]:
    spans = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in req.pauses]
    if req.paused_since is not None:
        spans.append((req.paused_since, until or today()))
    return spans


def _reply_due(req: Request) -> date:
    """The reply due date; raises ``CalendarUnknown`` for a year without a schedule."""
    return deadlines.reply_due(
        req.clock_start,
        extension_days=req.extension_days,
        pauses=_pauses(req),
        schedule=schedule(),
    )


def correction_note(req: Request) -> str:
    """Why a request waiting for 补正 has no due date (条例第三十条: the 20 working days
    start again when the corrected application arrives)."""
    d = req.correction_deadline
    until = f"（补正期限{d.year}年{d.month}月{d.day}日）" if d else ""
    return f"等待申请人补正{until}，收到补正材料之日起重新计算20个工作日"


def _recompute(req: Request) -> None:
    """The reply due date from the clock start, extension and pauses; or a plain note."""
    if req.state == Request.CORRECTION:
        req.due_on, req.calendar_note = None, correction_note(req)
        return
    try:
        req.due_on = _reply_due(req)
        req.calendar_note = "计时暂停中（征求意见或待缴费期间不计入）" if req.paused_since else ""
    except CalendarUnknown as exc:
        req.due_on = None
        req.calendar_note = f"无法计算答复期限：{exc}"


def public_due_note(req: Request) -> str:
    """What the applicant's pages say when the due date is not known yet, else ''.

    Staff see why (``calendar_note`` names the package and the form to update); the
    applicant is only told when the date will be set.
    """
    if req.due_on is not None:
        return ""
    if req.state == Request.CORRECTION:
        return correction_note(req) + "。"
    try:
        _reply_due(req)
    except CalendarUnknown as exc:
        return f"答复期限将在国务院办公厅公布{exc.year}年节假日安排后确定。"
    return "答复期限将在国务院办公厅公布节假日安排后确定。"


def refresh_open_requests() -> None:
    for req in Request.objects.filter(state__in=Request.OPEN_STATES):
        _recompute(req)
        req.save(update_fields=["due_on", "calendar_note"])


def _transition(req: Request, action: str, user: Actor, note: str = "", **changes: Any) -> Request:
    sources, target = TRANSITIONS[action]
    with transaction.atomic():
        fresh = Request.objects.select_for_update().get(pk=req.pk)
        if fresh.state not in sources:
            raise DisclosureError(
                f"当前状态为“{fresh.get_state_display()}”，不能“{ACTION_LABELS[action]}”"
            )
        before = fresh.get_state_display()
        for key, value in changes.items():
            setattr(fresh, key, value)
        if target:
            fresh.state = target
        if fresh.state in (Request.REPLIED, Request.WITHDRAWN) and fresh.closed_on is None:
            fresh.closed_on = changes.get("closed_on") or today()
        _recompute(fresh)
        fresh.save()
        audit(f"request:{fresh.number}", ACTION_LABELS[action], user, before=before,
              after=fresh.get_state_display(), note=note)  # fmt: skip
    req.refresh_from_db()
    return req


def request_correction(
    req: Request, user: Actor, text: str, deadline: date, on: date | None = None
) -> Request:
    """Art 30: one notice, within 7 working days of receipt, listing everything to correct."""
    on = on or today()
    if not text.strip():
        raise DisclosureError("请一次性写明需要补正的全部事项")
    if req.correction_requested_on is not None:
        raise DisclosureError("补正只能一次性告知，本申请已告知过补正")
    try:
        last = deadlines.correction_notice_due(req.received_on, schedule())
    except CalendarUnknown as exc:
        raise DisclosureError(str(exc)) from exc
    if on > last:
        raise DisclosureError(f"补正告知应在收到申请之日起7个工作日内（即{last}前）发出，已超过")
    if deadline <= on:
        raise DisclosureError("补正期限应晚于告知日期")
    return _transition(req, "request_correction", user, note=text, correction_requested_on=on,
                       correction_deadline=deadline, correction_text=text)  # fmt: skip


def receive_correction(req: Request, user: Actor, on: date | None = None) -> Request:
    """The corrected application arrived: the 20 working days start again from that day."""
    on = on or today()
    if req.correction_deadline and on > req.correction_deadline:
        raise DisclosureError("已超过补正期限；如有正当理由请先延长补正期限，否则按逾期未补正处理")
    return _transition(req, "receive_correction", user, note=f"补正后申请收到日期：{on}",
                       clock_start=on, pauses=[], paused_since=None, extension_days=0)  # fmt: skip


def correction_lapsed(req: Request, user: Actor, on: date | None = None) -> Request:
    on = on or today()
    if req.correction_deadline is None or on <= req.correction_deadline:
        raise DisclosureError("补正期限尚未届满")
    return _transition(req, "correction_lapsed", user, note="逾期未补正，视为放弃申请",
                       outcome="correction_lapsed", closed_on=on)  # fmt: skip


def start_consultation(
    req: Request, user: Actor, third_party: str, on: date | None = None
) -> Request:
    if not third_party.strip():
        raise DisclosureError("请填写被征求意见的第三方")
    on = on or today()
    return _transition(req, "start_consultation", user, note=f"书面征求{third_party}意见（15个工作日内答复）",
                       paused_since=on)  # fmt: skip


def _end_pause(req: Request, on: date) -> list:
    if req.paused_since is None:
        return req.pauses
    if on < req.paused_since:
        raise DisclosureError("结束日期不能早于开始日期")
    return [*req.pauses, [req.paused_since.isoformat(), on.isoformat()]]


def end_consultation(req: Request, user: Actor, note: str = "", on: date | None = None) -> Request:
    on = on or today()
    return _transition(req, "end_consultation", user, note=note or "第三方意见已收到",
                       pauses=_end_pause(req, on), paused_since=None)  # fmt: skip


def fee_notice(
    req: Request, user: Actor, *, method: str, quantity: int, on: date | None = None
) -> Request:
    """109号: by item (per applicant per month) or by page; free amounts are refused."""
    on = on or today()
    if method == "items":
        month = Request.objects.filter(
            id_number=req.id_number, received_on__year=req.received_on.year,
            received_on__month=req.received_on.month, received_on__lt=req.received_on,
        ).count()  # fmt: skip
        amount = deadlines.fee_by_items(month, quantity)
    elif method == "pages":
        amount = deadlines.fee_by_pages(quantity)
    else:
        raise DisclosureError("计费方式只能是按件或按量")
    if amount <= 0:
        raise DisclosureError("按国办函〔2020〕109号的标准，本申请不收费")
    try:
        due = deadlines.fee_payment_due(on, schedule())
    except CalendarUnknown as exc:
        raise DisclosureError(str(exc)) from exc
    return _transition(req, "fee_notice", user, note=f"收费{amount}元，缴费期限{due}",
                       fee_amount=amount, fee_method=method, fee_deadline=due, paused_since=on)  # fmt: skip


def fee_paid(req: Request, user: Actor, on: date | None = None) -> Request:
    on = on or today()
    return _transition(req, "fee_paid", user, pauses=_end_pause(req, on), paused_since=None)


def fee_lapsed(req: Request, user: Actor, on: date | None = None) -> Request:
    on = on or today()
    if req.fee_deadline is None or on <= req.fee_deadline:
        raise DisclosureError("缴费期限尚未届满")
    return _transition(req, "fee_lapsed", user, note="逾期未缴费，视为放弃申请",
                       outcome="fee_lapsed", closed_on=on, paused_since=None)  # fmt: skip


def extend(req: Request, user: Actor, days: int, notice: str) -> Request:
    """Art 33: one extension of at most 20 working days, approved by a reviewer, with notice."""
    if user is None or not user.has_perm("disclosure.approve_extension"):
        raise DisclosureError("延长答复期限须经政府信息公开工作机构负责人（审核人）同意")
    if req.extension_days:
        raise DisclosureError("答复期限只能延长一次")
    if not 1 <= days <= deadlines.MAX_EXTENSION_DAYS:
        raise DisclosureError("延长期限最长不超过20个工作日")
    if not notice.strip():
        raise DisclosureError("延长答复期限须告知申请人，请填写告知内容")
    return _transition(req, "extend", user, note=f"延长{days}个工作日。告知：{notice}",
                       extension_days=days, extension_approved_by=user)  # fmt: skip


def reply(
    req: Request,
    user: Actor,
    *,
    outcome: str,
    reason: str = "",
    text: str = "",
    documents: Iterable[Document] = (),
    competent_organ: str = "",
    on: date | None = None,
) -> Request:
    """Art 36: a reply of one type; refusals and other non-disclosures must give their ground."""
    kind = outcomes.BY_CODE.get(outcome)
    if kind is None or kind.group == "（六）":
        raise DisclosureError("请选择条例第三十六条规定的答复类型")
    if kind.needs_reason and not reason.strip():
        raise DisclosureError(f"“{kind.label}”的答复必须写明理由和法律依据")
    docs = list(documents)
    req = _transition(req, "reply", user, note=f"{kind.group}{kind.label}", outcome=outcome,
                      reason=reason.strip(), reply_text=text.strip(),
                      competent_organ=competent_organ.strip(), closed_on=on or today())  # fmt: skip
    if docs:
        req.documents.set(docs)
    return req


def withdraw(req: Request, user: Actor, on: date | None = None) -> Request:
    return _transition(req, "withdraw", user, note="申请人撤回申请", outcome="other",
                       closed_on=on or today(), paused_since=None)  # fmt: skip


def overdue(on: date | None = None) -> list[Request]:
    on = on or today()
    return list(
        Request.objects.filter(state__in=Request.OPEN_STATES, due_on__lt=on).order_by("due_on")
    )


def due_soon(on: date | None = None) -> tuple[list[Request], str]:
    """Open requests due today or within 3 working days; a note if the calendar cannot say."""
    on = on or today()
    try:
        from gongbao.core.workdays import add_working_days

        horizon = add_working_days(on, deadlines.DUE_SOON_DAYS, schedule())
    except CalendarUnknown as exc:
        return [], f"无法判断“三个工作日内到期”：{exc}"
    rows = Request.objects.filter(
        state__in=Request.OPEN_STATES, due_on__gte=on, due_on__lte=horizon
    ).order_by("due_on")
    return list(rows), ""


def unknown_due() -> list[Request]:
    return list(Request.objects.filter(state__in=Request.OPEN_STATES, due_on__isnull=True))


@dataclass
class RepeatCandidate:
    label: str
    count: int
    document: Document | None = None


def repeat_candidates() -> list[RepeatCandidate]:
    """依申请转主动公开: information asked for at least the configured number of times."""
    threshold = Config.get().repeat_threshold
    out: list[RepeatCandidate] = []
    subjects = Counter(
        s.strip() for s in Request.objects.exclude(subject="").values_list("subject", flat=True)
    )
    out += [RepeatCandidate(s, n) for s, n in subjects.most_common() if n >= threshold]
    per_doc = Counter(Request.documents.through.objects.values_list("document_id", flat=True))
    hidden = {
        (g, i)
        for g, i in DisclosureRecord.objects.filter(
            attribute__in=DisclosureRecord.NON_PUBLIC
        ).values_list("gazette_id", "ident")
    }
    for doc in Document.objects.filter(pk__in=[d for d, n in per_doc.items() if n >= threshold]):
        if (doc.gazette_id, doc.ident) in hidden:
            out.append(RepeatCandidate(doc.title, per_doc[doc.pk], doc))
    return out
