"""依申请公开: the public form and its bad inputs, the lookup, the state machine, the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from gongbao.site.disclosure import services
from gongbao.site.disclosure.models import AuditEntry, Request
from gongbao.site.disclosure.services import TRANSITIONS, DisclosureError
from tests.conftest import morning_of
from tests.site.disclosure_helpers import APPLICATION, filed, old_stamp, staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def post_form(client, **changes):
    data = {**APPLICATION, "stamp": old_stamp(), "website": "", **changes}
    return client.post("/xxgk/apply/", data)


# -- the public form -----------------------------------------------------------------------


def test_form_page_has_article_29_fields_and_no_captcha(client) -> None:
    html = client.get("/xxgk/apply/").content.decode()
    for label in (
        "姓名或名称",
        "身份证明",
        "联系电话",
        "所需政府信息的名称或内容描述",
        "信息的载体形式",
        "获取信息的方式",
        "法人或其他组织",
    ):
        assert label in html
    assert "captcha" not in html.lower()
    assert 'name="website"' in html  # the honeypot


def test_filing_returns_number_and_code_and_lookup_shows_status(client) -> None:
    response = post_form(client)
    assert response.status_code == 200
    req = Request.objects.get()
    html = response.content.decode()
    assert req.number in html
    code = response.context["code"]
    assert len(code) == 12 and code in html
    assert req.due_on is not None and req.channel == "online"
    assert response["Cache-Control"] == "private, no-store"
    found = client.post("/xxgk/status/", {"number": req.number, "code": code})
    assert "办理中" in found.content.decode()
    assert AuditEntry.objects.filter(subject=f"request:{req.number}", action="登记申请").exists()


def test_double_submit_registers_once_and_shows_the_same_code(client) -> None:
    data = {**APPLICATION, "stamp": old_stamp(), "website": ""}
    first = client.post("/xxgk/apply/", data)
    second = client.post("/xxgk/apply/", data)
    assert Request.objects.count() == 1
    assert first.context["code"] == second.context["code"]
    assert first.context["req"].number == second.context["req"].number


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required"),
        ({"description": ""}, ""),
        ({"id_number": ""}, ""),
        ({"description": "<script>alert(1)</script>请公开"}, "网页代码"),
        ({"website": "http://spam.example"}, "提交未被接受"),
        ({"stamp": "forged"}, "表单已失效"),
        ({"applicant_type": "legal", "org_type": ""}, "组织类型"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(client, changes, message) -> None:
    response = post_form(client, **changes)
    assert response.status_code == 400
    assert Request.objects.count() == 0
    html = response.content.decode()
    assert "field-error" in html or "notice-error" in html
    if message and "required" not in message:
        assert message in html


def test_submitted_too_fast_is_refused(client) -> None:
    response = post_form(client, stamp=old_stamp(seconds=0))
    assert response.status_code == 400 and "提交过快" in response.content.decode()
    assert Request.objects.count() == 0


def test_20mb_attachment_is_refused(client) -> None:
    big = SimpleUploadedFile(
        "id.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024), content_type="application/pdf"
    )
    data = {**APPLICATION, "stamp": old_stamp(), "website": "", "attachment": big}
    response = client.post("/xxgk/apply/", data)
    assert response.status_code in (400, 413)
    assert "5MB" in response.content.decode()
    assert Request.objects.count() == 0


def test_small_attachment_is_kept(client) -> None:
    small = SimpleUploadedFile("id.pdf", b"%PDF-1.4 tiny", content_type="application/pdf")
    response = post_form(client, attachment=small)
    assert response.status_code == 200
    assert Request.objects.get().attachment.name.endswith(".pdf")


def test_rate_limit(client) -> None:
    for _ in range(5):
        assert post_form(client).status_code == 200
    response = post_form(client)
    assert response.status_code == 429 and "次数过多" in response.content.decode()
    assert Request.objects.count() == 5


def test_lookup_with_wrong_code_says_nothing_about_the_number(client) -> None:
    req = filed()
    wrong_code = client.post("/xxgk/status/", {"number": req.number, "code": "AAAAAAAAAAAA"})
    no_number = client.post("/xxgk/status/", {"number": "2099-9999", "code": "AAAAAAAAAAAA"})
    assert wrong_code.status_code == no_number.status_code == 200
    strip = lambda r: r.content.decode().replace("csrfmiddlewaretoken", "")  # noqa: E731
    assert "登记编号或查询码不正确" in strip(wrong_code)
    # The two pages differ only in the CSRF token.
    import re

    token = re.compile(r'value="[A-Za-z0-9]{64}"')
    assert token.sub("", strip(wrong_code)) == token.sub("", strip(no_number))
    assert req.name not in strip(wrong_code)


def test_requester_data_never_on_public_pages(client) -> None:
    req = filed()
    for path in ("/xxgk/", "/xxgk/directory/", "/xxgk/catalog/", "/xxgk/liuyan/", "/xxgk/jiedu/"):
        html = client.get(path).content.decode()
        assert req.name not in html and req.phone not in html and req.number not in html


# -- the state machine -----------------------------------------------------------------------


def in_state(state: str, editor) -> Request:
    req = filed()
    on = date(2025, 9, 26)
    if state == Request.CORRECTION:
        services.request_correction(req, editor, "请写明文号", date(2025, 10, 20), on)
    elif state == Request.CONSULTING:
        services.start_consultation(req, editor, "某公司", on)
    elif state == Request.FEE:
        services.fee_notice(req, editor, method="pages", quantity=120, on=on)
    elif state == Request.REPLIED:
        services.reply(req, editor, outcome="disclosed", on=on)
    elif state == Request.WITHDRAWN:
        services.withdraw(req, editor, on)
    req.refresh_from_db()
    assert req.state == state
    return req


def run_action(action: str, req: Request, editor, reviewer) -> Request:
    late = date(2025, 12, 1)
    calls = {
        "request_correction": lambda: services.request_correction(
            req, editor, "补正", date(2025, 10, 20), date(2025, 9, 26)
        ),
        "receive_correction": lambda: services.receive_correction(req, editor, date(2025, 10, 9)),
        "correction_lapsed": lambda: services.correction_lapsed(req, editor, late),
        "start_consultation": lambda: services.start_consultation(
            req, editor, "某公司", date(2025, 9, 26)
        ),
        "end_consultation": lambda: services.end_consultation(
            req, editor, "同意", date(2025, 10, 10)
        ),
        "fee_notice": lambda: services.fee_notice(
            req, editor, method="pages", quantity=120, on=date(2025, 9, 26)
        ),
        "fee_paid": lambda: services.fee_paid(req, editor, date(2025, 10, 10)),
        "fee_lapsed": lambda: services.fee_lapsed(req, editor, late),
        "extend": lambda: services.extend(req, reviewer, 20, "因情况复杂延长答复期限"),
        "reply": lambda: services.reply(req, editor, outcome="disclosed", on=date(2025, 10, 9)),
        "withdraw": lambda: services.withdraw(req, editor, date(2025, 10, 9)),
    }
    return calls[action]()


STATES = [s for s, _ in Request.STATES]


@pytest.mark.parametrize("state", STATES)
def test_every_transition_allowed_or_refused(state: str) -> None:
    editor, reviewer = staff("ed", "editor"), staff("rv", "reviewer")
    for action, (sources, target) in TRANSITIONS.items():
        req = in_state(state, editor)
        before = (req.state, req.due_on, AuditEntry.objects.count())
        if state in sources:
            result = run_action(action, req, editor, reviewer)
            assert result.state == (target or state), action
            assert AuditEntry.objects.filter(subject=f"request:{req.number}").count() > 0
        else:
            with pytest.raises(DisclosureError):
                run_action(action, req, editor, reviewer)
            req.refresh_from_db()
            assert (req.state, req.due_on, AuditEntry.objects.count()) == before, action
        req.delete()


def test_correction_restarts_clock_and_only_once() -> None:
    editor = staff("ed", "editor")
    req = filed(date(2025, 9, 24))
    assert req.due_on == date(2025, 10, 28)
    services.request_correction(req, editor, "请写明文号", date(2025, 10, 20), date(2025, 9, 26))
    req = services.receive_correction(req, editor, date(2025, 10, 9))
    assert req.clock_start == date(2025, 10, 9) and req.due_on == date(2025, 11, 5)
    services.start_consultation(req, editor, "某公司", date(2025, 10, 10))
    req = services.end_consultation(req, editor, "", date(2025, 10, 10))
    with pytest.raises(DisclosureError, match="一次性"):
        services.request_correction(req, editor, "再补正", date(2025, 11, 20), date(2025, 10, 13))


def test_correction_after_7_working_days_is_refused() -> None:
    editor = staff("ed", "editor")
    req = filed(date(2025, 9, 24))
    with pytest.raises(DisclosureError, match="7个工作日"):
        services.request_correction(req, editor, "补正", date(2025, 11, 1), date(2025, 10, 13))
    assert Request.objects.get(pk=req.pk).state == Request.RECEIVED


def test_consultation_pause_moves_the_due_date() -> None:
    editor = staff("ed", "editor")
    req = filed(date(2025, 5, 29))
    assert req.due_on == date(2025, 6, 27)
    services.start_consultation(req, editor, "第三方企业", date(2025, 6, 3))
    req = services.end_consultation(req, editor, "不同意公开", date(2025, 6, 10))
    assert req.due_on == date(2025, 7, 4)


def test_extension_needs_a_reviewer_and_happens_once() -> None:
    editor, reviewer = staff("ed", "editor"), staff("rv", "reviewer")
    req = filed(date(2025, 9, 24))
    with pytest.raises(DisclosureError, match="负责人"):
        services.extend(req, editor, 20, "延长")
    with pytest.raises(DisclosureError, match="告知"):
        services.extend(req, reviewer, 20, "")
    req = services.extend(req, reviewer, 20, "因需检索大量档案，延长20个工作日")
    assert req.due_on == date(2025, 11, 25)
    with pytest.raises(DisclosureError, match="一次"):
        services.extend(req, reviewer, 5, "再延长")


def test_refusal_without_ground_is_refused() -> None:
    editor = staff("ed", "editor")
    req = filed()
    for outcome in ("secret", "third_party", "partial", "not_held", "repeat"):
        with pytest.raises(DisclosureError, match="理由"):
            services.reply(req, editor, outcome=outcome, reason="  ")
    assert Request.objects.get(pk=req.pk).state == Request.RECEIVED
    with pytest.raises(DisclosureError):
        services.reply(req, editor, outcome="correction_lapsed")


def test_fee_notice_refuses_free_amounts_and_lapses_to_withdrawn() -> None:
    editor = staff("ed", "editor")
    req = filed(date(2024, 4, 29))
    with pytest.raises(DisclosureError, match="不收费"):
        services.fee_notice(req, editor, method="pages", quantity=30, on=date(2024, 4, 30))
    req = services.fee_notice(req, editor, method="pages", quantity=150, on=date(2024, 4, 30))
    assert req.fee_amount == 1700 and req.fee_deadline == date(2024, 5, 30)
    with pytest.raises(DisclosureError, match="尚未届满"):
        services.fee_lapsed(req, editor, date(2024, 5, 30))
    req = services.fee_lapsed(req, editor, date(2024, 5, 31))
    assert req.state == Request.WITHDRAWN and req.outcome == "fee_lapsed"


def test_reply_letter_carries_basis_and_remedies(client) -> None:
    editor = staff("ed", "editor")
    req = filed()
    code = services.lookup_code(req.token)
    services.reply(
        req,
        editor,
        outcome="third_party",
        reason="涉及个人隐私，第三方不同意公开",
        on=date(2025, 10, 9),
    )
    html = client.post("/xxgk/status/", {"number": req.number, "code": code}).content.decode()
    assert "政府信息公开申请答复书" in html
    assert "第十五条" in html and "60日" in html and "先向行政复议机关申请行政复议" in html
    other = filed()
    services.reply(
        other,
        editor,
        outcome="not_held",
        reason="经检索未找到",
        competent_organ="冠县民政局，电话0635-5000000",
    )
    html = client.post(
        "/xxgk/status/", {"number": other.number, "code": services.lookup_code(other.token)}
    ).content.decode()
    assert "6个月" in html and "冠县民政局" in html and "先向行政复议机关" not in html


# -- dashboard, lists and the unknown calendar ------------------------------------------------


def test_overdue_and_due_soon_lists() -> None:
    a = filed(date(2025, 9, 1))  # due 2025-09-29
    b = filed(date(2025, 9, 24))  # due 2025-10-28
    assert [r.pk for r in services.overdue(date(2025, 10, 1))] == [a.pk]
    soon, note = services.due_soon(date(2025, 10, 23))  # 10/24, 10/27, 10/28
    assert [r.pk for r in soon] == [b.pk] and note == ""


def test_unknown_year_is_said_plainly_until_staff_load_it(client, clock) -> None:
    clock.move_to(morning_of(date(2026, 12, 28)))
    req = filed(date(2026, 12, 15))
    assert req.due_on is None and "2027" in req.calendar_note and "无法计算" in req.calendar_note
    editor = staff("ed", "editor")
    client.force_login(editor)
    html = client.get("/xxgk/staff/").content.decode()
    assert "日历缺失" in html and "2027" in html and "无法计算" in html
    # Staff load the 2027 notice (here: only New Year's Day off) and the due date appears.
    response = client.post(
        "/xxgk/staff/calendar/", {"year": "2027", "holidays": "2027-01-01", "workdays": ""}
    )
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.due_on == date(2027, 1, 13) and req.calendar_note == ""
    bad = client.post("/xxgk/staff/calendar/", {"year": "2027", "holidays": "2028-01-01"})
    assert bad.status_code == 400 and "不在2027年内" in bad.content.decode()


def test_public_pages_say_when_an_unknown_due_date_will_be_set(client, clock) -> None:
    clock.move_to(morning_of(date(2026, 12, 4)))  # 20 working days reach into 2027
    response = post_form(client)
    req = Request.objects.get()
    assert req.due_on is None and "chinesecalendar" in req.calendar_note  # the staff's detail
    found = client.post("/xxgk/status/", {"number": req.number, "code": response.context["code"]})
    for page in (response.content.decode(), found.content.decode()):
        assert "答复期限将在国务院办公厅公布2027年节假日安排后确定" in page
        assert "chinesecalendar" not in page and "无法计算" not in page
    client.force_login(staff("ed", "editor"))
    staff_page = client.get(f"/xxgk/staff/requests/{req.number}/").content.decode()
    assert "chinesecalendar" in staff_page


def test_dashboard_needs_permission(client) -> None:
    assert client.get("/xxgk/staff/").status_code == 302
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("x", password="pass-word-123", is_staff=True)
    client.force_login(nobody)
    assert client.get("/xxgk/staff/").status_code == 403


def test_staff_handle_request_through_pages(client, clock) -> None:
    clock.move_to(morning_of(date(2025, 9, 26)))
    editor = staff("ed", "editor")
    client.force_login(editor)
    req = filed(date(2025, 9, 24))
    page = client.get(f"/xxgk/staff/requests/{req.number}/").content.decode()
    assert "告知补正" in page and "答复" in page
    bad = client.post(
        f"/xxgk/staff/requests/{req.number}/reply/", {"outcome": "secret", "reason": ""}
    )
    assert bad.status_code == 400 and "理由" in bad.content.decode()
    ok = client.post(
        f"/xxgk/staff/requests/{req.number}/reply/", {"outcome": "disclosed", "text": "见附件"}
    )
    assert ok.status_code == 302
    req.refresh_from_db()
    assert req.state == Request.REPLIED and req.closed_on == date(2025, 9, 26)
    assert client.get(f"/xxgk/staff/requests/{req.number}/letter/").status_code == 200
    # Registering a letter received by post: the signed-for day is the receipt day.
    data = {**APPLICATION, "channel": "post", "received_on": "2025-09-30", "delivery": "post"}
    response = client.post("/xxgk/staff/register/", data)
    assert response.status_code == 200
    posted = Request.objects.get(channel="post")
    assert posted.received_on == date(2025, 9, 30) and posted.due_on == date(2025, 11, 4)


def test_repeat_requests_are_flagged_for_proactive_release() -> None:
    from gongbao.site.disclosure.models import Config

    config = Config.get()
    config.repeat_threshold = 2
    config.save()
    for _ in range(2):
        r = filed()
        r.subject = "2018年低保资金发放"
        r.save()
    labels = [c.label for c in services.repeat_candidates()]
    assert "2018年低保资金发放" in labels
