"""The annual report (2021 format) for a generated year: tables reconcile with the records."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client

from gongbao.site.disclosure import outcomes, report, services
from gongbao.site.disclosure.models import AnnualReport, Request
from tests.conftest import morning_of
from tests.site.disclosure_helpers import filed, staff

pytestmark = pytest.mark.django_db(transaction=True)
REPLIES = [o.code for o in outcomes.OUTCOMES if o.group != "（六）"]


def generate_year(seed: int = 3) -> list[Request]:
    """60 requests received 2024-10 … 2025-12, handled to every kind of end (or still open)."""
    rng = random.Random(seed)
    editor = staff("ed", "editor")
    made = []
    for _ in range(60):
        received = date(2024, 10, 8) + timedelta(days=rng.randint(0, 440))
        legal = rng.random() < 0.4
        req = filed(received, applicant_type="legal" if legal else "natural",
                    org_type=rng.choice([c for c, _ in outcomes.ORG_TYPES]) if legal else "")  # fmt: skip
        end = rng.random()
        later = received + timedelta(days=rng.randint(1, 30))
        if end < 0.6:
            code = rng.choice(REPLIES)
            services.reply(req, editor, outcome=code, reason="依法说明的理由", on=later)
        elif end < 0.7:
            services.request_correction(
                req, editor, "请补正", received + timedelta(days=20), received + timedelta(days=1)
            )
            services.correction_lapsed(req, editor, received + timedelta(days=21))
        elif end < 0.8:
            services.withdraw(req, editor, later)
        made.append(Request.objects.get(pk=req.pk))
    return made


def test_table3_reconciles_with_the_records() -> None:
    records = generate_year()
    t = report.table3(2025)
    assert t.balanced and all(t.check.values())
    # 22 data rows in block 三: 21 outcomes + （七）总计.
    assert len([r for r in t.rows if r[0] not in ("一", "二", "四")]) == 22
    assert [c for c, _ in t.columns] == [
        "natural",
        "business",
        "research",
        "nonprofit",
        "legal_service",
        "other",
        "total",
    ]
    col = lambda r: "natural" if r.applicant_type == "natural" else r.org_type  # noqa: E731
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    in_scope = [
        r for r in records if r.received_on <= end and (r.closed_on is None or r.closed_on >= start)
    ]
    for key, _label in t.columns[:-1]:
        mine = [r for r in in_scope if col(r) == key]
        assert t.value("一", key) == sum(r.received_on >= start for r in mine)
        assert t.value("二", key) == sum(r.received_on < start for r in mine)
        assert t.value("四", key) == sum(r.closed_on is None or r.closed_on > end for r in mine)
        for o in outcomes.OUTCOMES:
            expected = sum(
                1 for r in mine if r.closed_on and r.closed_on <= end and r.outcome == o.code
            )
            assert t.value(o.code, key) == expected, (o.code, key)
    assert t.value("一", "total") + t.value("二", "total") == t.value("七", "total") + t.value(
        "四", "total"
    )
    assert t.value("correction_lapsed", "total") >= 1


def test_report_page_has_six_sections_and_2021_tables_only(client: Client) -> None:
    generate_year(5)
    item = AnnualReport.objects.create(
        year=2025, overview="本年度……", table4={"review_upheld": 2, "review_total": 2}
    )
    assert client.get("/xxgk/report/2025/").status_code == 404  # not yet published
    client.force_login(staff("rv", "reviewer"))
    client.post(
        "/xxgk/staff/report/2025/",
        {"overview": "总体情况", "t4_review_upheld": "1", "t4_review_total": "1", "publish": "on"},
    )
    item.refresh_from_db()
    assert item.published_at is not None
    html = Client().get("/xxgk/report/2025/").content.decode()
    for section in report.SECTIONS:
        assert section in html
    for label in ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（单位：万元）",
                  "第一项加第二项之和，等于第三项加第四项之和", "结转下年度继续办理", "未经复议直接起诉", "复议后起诉"):  # fmt: skip
        assert label in html, label
    for old in (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "采购总金额",
    ):  # the 2019 format
        assert old not in html
    assert "各列均平衡" in html


def test_dashboard_shows_the_31_january_deadline(client: Client, clock) -> None:
    clock.move_to(morning_of(date(2026, 2, 2)))
    client.force_login(staff("ed", "editor"))
    html = client.get("/xxgk/staff/").content.decode()
    assert "2025年度报告应于2026年1月31日前公布" in html and "已逾期未公布" in html


def test_print_ready_pdf() -> None:
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("找不到 /usr/bin/chromium")
        pytest.skip("找不到 /usr/bin/chromium")
    from gongbao.site.disclosure.views import report_print_html

    generate_year(7)
    item = AnnualReport.objects.create(year=2025, overview="全年共办理申请。")
    html = report_print_html(item)
    assert "@page" in html and "2025年政府信息公开工作年度报告" in html
    pdf = report.html_to_pdf(html)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    out = Path(__file__).resolve().parents[2] / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "annual-report-2025.pdf").write_bytes(pdf)
