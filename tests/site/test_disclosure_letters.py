"""Letters and reports that read right: title marks, the organ's name, due dates, duplicates."""

from __future__ import annotations

from datetime import date

import pytest

from gongbao.site.archive.models import Document
from gongbao.site.disclosure import services
from gongbao.site.disclosure.models import AnnualReport, Config
from tests.site.disclosure_helpers import filed, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_reply_letter_nests_title_marks(client, sample_issue) -> None:
    editor = staff("ed", "editor")
    req = filed(date(2025, 9, 24))
    notice = Document.objects.get(ident="guanzhengbanfa-2018-41")  # 关于印发《…》的通知
    assert "《" in notice.title
    services.reply(req, editor, outcome="disclosed", documents=[notice], on=date(2025, 10, 9))
    client.force_login(editor)
    html = client.get(f"/xxgk/staff/requests/{req.number}/letter/").content.decode()
    inner = notice.title.split("《", 1)[1].split("》", 1)[0]
    assert f"〈{inner}〉" in html and f"《{notice.title}》" not in html


def test_annual_report_is_titled_with_the_organ(client) -> None:
    report = AnnualReport(year=2025)
    assert str(report) == "冠县人民政府办公室2025年政府信息公开工作年度报告"
    Config.objects.create(organ="某县人民政府")
    assert report.title.startswith("某县人民政府2025年")
    client.force_login(staff("rv", "reviewer"))
    html = client.get("/xxgk/staff/report/2025/").content.decode()
    assert html.count("某县人民政府2025年政府信息公开工作年度报告") >= 2  # heading and body title


def test_waiting_for_correction_shows_why_there_is_no_due_date(client) -> None:
    editor = staff("ed", "editor")
    req = filed(date(2025, 9, 24))
    assert req.due_on == date(2025, 10, 28)
    req = services.request_correction(
        req, editor, "请写明文号", date(2025, 10, 20), date(2025, 9, 26)
    )
    assert req.due_on is None
    assert (
        req.calendar_note
        == "等待申请人补正（补正期限2025年10月20日），收到补正材料之日起重新计算20个工作日"
    )
    client.force_login(editor)
    html = client.get(f"/xxgk/staff/requests/{req.number}/").content.decode()
    assert "10月28日" not in html and "等待申请人补正" in html
    public = client.post(
        "/xxgk/status/", {"number": req.number, "code": services.lookup_code(req.token)}
    ).content.decode()
    assert "等待申请人补正" in public
    req = services.receive_correction(req, editor, date(2025, 10, 9))
    assert req.due_on == date(2025, 11, 5) and req.calendar_note == ""


def test_second_identical_application_within_a_day_is_flagged_not_refused(client) -> None:
    first = filed(date(2025, 9, 24))
    second = filed(date(2025, 9, 24))  # the same applicant and wording, a new form
    other = filed(date(2025, 9, 24), description="冠县2019年财政预算")
    assert first.number != second.number  # both registered
    assert services.possible_duplicates(second) == [first]
    assert services.possible_duplicates(other) == []
    client.force_login(staff("ed", "editor"))
    html = client.get(f"/xxgk/staff/requests/{second.number}/").content.decode()
    assert 'id="req-duplicates"' in html and first.number in html
    assert "可能重复" in client.get("/xxgk/staff/").content.decode()
    assert (
        'id="req-duplicates"'
        not in client.get(f"/xxgk/staff/requests/{other.number}/").content.decode()
    )


def test_staff_registering_the_same_letter_twice_are_told(client) -> None:
    from tests.site.disclosure_helpers import APPLICATION

    client.force_login(staff("ed", "editor"))
    data = {**APPLICATION, "channel": "post", "received_on": "2025-09-30", "delivery": "post"}
    first = client.post("/xxgk/staff/register/", data).content.decode()
    assert "可能重复" not in first
    second = client.post("/xxgk/staff/register/", data).content.decode()
    assert "已提交内容相同的申请" in second and "本申请已照常登记" in second
