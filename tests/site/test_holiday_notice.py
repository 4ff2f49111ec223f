"""A year's holiday schedule loaded from the State Council's notice: command and staff page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gongbao.cli import main
from gongbao.site.disclosure import services
from gongbao.site.disclosure.models import CalendarDay
from tests.conftest import morning_of
from tests.site.disclosure_helpers import filed, staff

pytestmark = pytest.mark.django_db(transaction=True)

# Invented for the test: 2027 is a year chinesecalendar does not know.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：2026年12月31日至2027年1月2日放假调休，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月13日（周六）上班。
"""


def test_command_loads_the_notice_and_the_due_date_appears(tmp_path: Path, capsys, clock) -> None:
    clock.move_to(morning_of(date(2026, 12, 15)))
    req = filed(date(2026, 12, 15))
    assert req.due_on is None
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="gb18030")
    assert main(["disclosure", "calendar", "2027", "--notice", str(notice)]) == 0
    out = capsys.readouterr().out
    assert "春节：放假 2/5、2/6、2/7、2/8、2/9、2/10、2/11；上班 2/13" in out
    assert "2026-12-31 不在2027年内，未录入" in out
    req.refresh_from_db()
    # 12/16–31 give 12 working days (12/31 is 2026's, a working day), 1/1–2 off,
    # 1/4–8 (13–17), 1/11–13 (18–20).
    assert req.due_on == date(2027, 1, 13) and req.calendar_note == ""
    rows = dict(CalendarDay.objects.values_list("day", "is_working"))
    assert rows[date(2027, 2, 13)] is True and rows[date(2027, 2, 5)] is False


def test_staff_page_and_command_load_the_same_schedule(client, tmp_path: Path) -> None:
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    assert main(["disclosure", "calendar", "2027", "--notice", str(notice)]) == 0
    from_command = services.schedule()
    CalendarDay.objects.all().delete()
    client.force_login(staff("ed", "editor"))
    response = client.post("/xxgk/staff/calendar/", {"year": "", "notice": NOTICE_2027})
    assert response.status_code == 200
    assert "已按通知录入2027年放假调休安排（10天）" in response.content.decode()
    assert services.schedule() == from_command


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "2028", "notice": NOTICE_2027}, "这是2027年的放假安排，不是2028年的"),
        ({"year": "二〇二七", "notice": NOTICE_2027}, "应为四位数字"),
        ({"year": "2027", "holidays": "2027-13-01"}, "日期“2027-13-01”格式有误"),
        ({"year": "2027", "notice": "一、春节：2月5日至11日放假，共8天。"}, "共8天"),
    ],
)
def test_staff_page_refuses_a_bad_notice(client, data: dict, message: str) -> None:
    client.force_login(staff("ed", "editor"))
    response = client.post("/xxgk/staff/calendar/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_command_refuses_a_bad_notice_in_one_line(tmp_path: Path, capsys) -> None:
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    assert main(["disclosure", "calendar", "2028", "--notice", str(notice)]) == 2
    assert capsys.readouterr().err.strip() == "这是2027年的放假安排，不是2028年的"
    assert main(["disclosure", "calendar", "2027", "--notice", str(tmp_path / "none.txt")]) == 2
    assert capsys.readouterr().err.startswith("无法读取：")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["disclosure", "calendar", "2027", "--notice", str(empty)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not CalendarDay.objects.exists()
