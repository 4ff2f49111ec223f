"""The tracker: proposals from the archive, review and corrections, progress, overdue, the 季度通报."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongbao.site.archive.models import Document
from gongbao.site.archive.services import unpublish_issue
from gongbao.site.tracker import services
from gongbao.site.tracker.models import Correction, Progress, Task, Unit
from gongbao.site.tracker.pdf import chromium

pytestmark = pytest.mark.django_db(transaction=True)

DISCLOSURE, WATER, FOOD = (
    "guanzhengbanfa-2018-41",
    "guanzhengbanfa-2018-50",
    "guanzhengbanfa-2018-57",
)


@pytest.fixture
def docs(sample_issue) -> dict[str, Document]:
    out = {}
    for ident in (DISCLOSURE, WATER, FOOD):
        out[ident] = Document.objects.get(ident=ident)
        services.extract_for_document(out[ident])
    return out


@pytest.fixture
def editor() -> User:
    user = User.objects.create_user("editor1", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


def _task(doc: Document, key: str) -> Task:
    return Task.objects.get(document=doc, key=key)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def test_extraction_creates_proposals(docs) -> None:
    assert Task.objects.filter(document=docs[DISCLOSURE]).count() == 59
    assert Task.objects.filter(document=docs[WATER]).count() == 28
    assert set(Task.objects.values_list("status", flat=True)) == {Task.PROPOSAL}
    task = _task(docs[DISCLOSURE], "1")
    assert services.task_units(task)["lead"] == ["县发改局"]
    assert task.extracted["units"][0]["unit"] == "县发改局"
    assert _unit("各乡镇（街道）").is_group and not _unit("县发改局").is_group
    # refreshing keeps reviewed tasks as the editor left them
    services.confirm_task(task)
    outcome = services.extract_for_document(docs[DISCLOSURE])
    assert (outcome.kept, outcome.updated, outcome.created) == (1, 58, 0)


def test_corrections_are_kept_and_counted(docs, editor) -> None:
    task = _task(docs[WATER], "2")
    made = services.correct_task(
        task, editor, units={"lead": ["县环保局"], "cooperate": ["定远寨镇", "市环保局"]},
        deadlines=["2018-08-31"],
    )  # fmt: skip
    assert [c.field for c in made] == ["units.cooperate"]
    assert made[0].before == ["定远寨镇"] and made[0].after == ["定远寨镇", "市环保局"]
    task.refresh_from_db()
    assert task.status == Task.CONFIRMED
    assert task.extracted["units"][1]["unit"] == "定远寨镇"  # the proposal as it was
    services.confirm_task(_task(docs[WATER], "1"), editor)
    services.reject_task(_task(docs[WATER], "3"), editor)
    stats = services.correction_stats(docs[WATER])
    assert stats == {
        "reviewed": 3, "corrected": 2, "accepted_unchanged": 1, "corrections": 2,
        "per_field": {"status": 1, "units.cooperate": 1},
    }  # fmt: skip
    assert Correction.objects.count() == 2


def test_alias_merges_units(docs) -> None:
    spelled = services.unit_for("县环境保护局")
    assert spelled.name == "县环保局"
    other = Unit.objects.create(name="县生态环境分局")
    services.add_alias(_unit("县环保局"), "县生态环境分局")
    assert not Unit.objects.filter(pk=other.pk).exists()
    assert "县生态环境分局" in _unit("县环保局").aliases


def test_units_kept_as_printed_until_staff_confirm_the_merge(client, docs, editor) -> None:
    printed = _unit("县政务服务中心办公室")  # the sample's own words, not silently renamed
    assert printed.assignments.get().printed == "县政务服务中心办公室"
    proposals = {p.unit.name: p for p in services.merge_proposals()}
    assert proposals["县政务服务中心办公室"].target == "县政务服务中心管理办公室"
    assert proposals["县政务服务中心办公室"].reason == "本地单位名录"  # the sample's profile
    client.force_login(editor)
    page = client.get("/tasks/").content.decode()
    assert "建议并入 县政务服务中心管理办公室（依据：本地单位名录）" in page
    response = client.post(reverse("tracker:merge_unit", args=[printed.name]))
    assert response.status_code == 302
    merged = _unit("县政务服务中心管理办公室")
    assert "县政务服务中心办公室" in merged.aliases
    assert not Unit.objects.filter(name="县政务服务中心办公室").exists()
    # the printed form stays on the task
    assert merged.assignments.filter(printed="县政务服务中心办公室").count() == 1
    assert "县政务服务中心办公室" not in {p.unit.name for p in services.merge_proposals()}
    # a re-extraction files the printed name under the confirmed unit
    services.extract_for_document(docs[DISCLOSURE])
    assert not Unit.objects.filter(name="县政务服务中心办公室").exists()
    from gongbao.site.disclosure.models import AuditEntry

    assert AuditEntry.objects.filter(action="确认单位合并", actor=editor).count() == 1


def test_progress_updates_and_evidence(docs, editor) -> None:
    task = services.confirm_task(_task(docs[WATER], "2"))
    lead = _unit("县环保局")
    services.record_progress(task, lead, Progress.IN_PROGRESS, day=date(2018, 8, 1), user=editor)
    row = services.record_progress(
        task, lead, Progress.DONE, day=date(2018, 8, 20), note="已建成",
        evidence=SimpleUploadedFile("验收.pdf", b"%PDF-1.4 test"), user=editor,
    )  # fmt: skip
    assert row.evidence.name.endswith(".pdf")
    assert services.latest_status(task, lead, date(2018, 8, 10)) == Progress.IN_PROGRESS
    assert services.latest_status(task, lead, date(2018, 8, 31)) == Progress.DONE
    with pytest.raises(services.TrackerError, match="10 MB"):
        big = SimpleUploadedFile("a.pdf", b"0" * (services.MAX_EVIDENCE + 1))
        services.record_progress(task, lead, Progress.DONE, evidence=big)
    with pytest.raises(services.TrackerError, match="格式"):
        services.record_progress(
            task, lead, Progress.DONE, evidence=SimpleUploadedFile("a.exe", b"MZ")
        )
    with pytest.raises(services.TrackerError, match="不是这项任务"):
        services.record_progress(task, _unit("县住建局"), Progress.DONE)
    with pytest.raises(services.TrackerError, match="尚未确认"):
        services.record_progress(_task(docs[WATER], "3"), _unit("县住建局"), Progress.DONE)


def test_standing_rule_cases_in_working_days_across_national_day(docs) -> None:
    """A case under 在5个工作日内 registered 2018-09-28: 9/29, 9/30 (调休), 10/8, 10/9, 10/10."""
    rule = {
        "kind": "within",
        "text": "在5个工作日内",
        "date": None,
        "within": 5,
        "unit": "working_day",
    }
    assert services.rule_due(rule, date(2018, 9, 28)).date == date(2018, 10, 10)
    # plain days where the text does not say 工作日: 2018-10-03
    assert services.rule_due({**rule, "unit": "day"}, date(2018, 9, 28)).date == date(2018, 10, 3)
    # a year the calendar does not know: said plainly, no date guessed
    due = services.rule_due(rule, date(2099, 12, 20))
    assert due.date is None and "2099年" in due.problem


STANDING = {"34": "在2个工作日内", "38": "3个工作日内", "39": "1个工作日内"}


def test_standing_rules_are_never_overdue(docs) -> None:
    """（34）（38）（39） run from each case's event: no due date, so overdue on no date."""
    tasks = [services.confirm_task(_task(docs[DISCLOSURE], key)) for key in STANDING]
    for task in tasks:
        rules = services.standing_rules(task)
        assert STANDING[task.key] in rules[0]["text"]
        assert services.due_dates(task) == [] and services.first_due(task) is None
    day = date(2018, 7, 1)
    while day <= date(2019, 12, 31):
        assert not [o for o in services.overdue(day) if o.task in tasks], day
        day += timedelta(days=1)
    report = services.quarterly_report("2018Q4")
    assert report.tasks == 3 and report.tasks_overdue == 0


def test_overdue_per_unit_and_done(docs) -> None:
    task = services.confirm_task(_task(docs[WATER], "2"))  # 2018年8月底前, 县环保局 leads
    as_of = date(2018, 9, 3)
    assert [o.task for o in services.overdue(as_of)] == [task]
    assert services.overdue(as_of, unit=_unit("定远寨镇"))  # cooperating, not done either
    services.record_progress(task, _unit("县环保局"), Progress.DONE, day=date(2018, 9, 1))
    assert services.overdue(as_of) == []  # done by the lead: the task is done
    # "as of" is the end of the day: the deadline day itself counts once it is over
    assert [o.task for o in services.overdue(date(2018, 8, 31))] == [task]
    assert services.overdue(date(2018, 8, 30)) == []


def test_quarterly_report_reconciles_with_records(docs) -> None:
    water = docs[WATER]
    tasks = {k: services.confirm_task(_task(water, k)) for k in ("1", "2", "11", "20")}
    env, housing = _unit("县环保局"), _unit("县住建局")
    services.record_progress(tasks["1"], env, Progress.DONE, day=date(2018, 9, 10))
    services.record_progress(tasks["2"], env, Progress.IN_PROGRESS, day=date(2018, 8, 1))
    services.record_progress(tasks["20"], env, Progress.DONE, day=date(2018, 10, 2))  # next quarter
    services.record_progress(tasks["11"], housing, Progress.DONE, day=date(2018, 9, 30))
    services.record_progress(tasks["1"], housing, Progress.BLOCKED, day=date(2018, 7, 5))
    report = services.quarterly_report("2018Q3")
    assert (report.start, report.end) == (date(2018, 7, 1), date(2018, 9, 30))
    rows = {r.unit.name: r for r in report.rows}
    # 县环保局: lead of 1, 2, 20; cooperates on 11 → 4 tasks; done by 9/30 only task 1
    e = rows["县环保局"]
    assert (e.assigned, e.done, e.in_progress, e.not_reported) == (4, 1, 1, 2)
    assert e.overdue == 3  # 2 (8/31), 11 (8/31), 20 (7/31) past and not done by the env office
    assert e.rate_text == "25.0%"
    h = rows["县住建局"]
    assert (h.assigned, h.done, h.blocked, h.overdue) == (2, 1, 1, 0)
    assert h.rate == 0.5
    # every count reconciles with the progress records
    for row in report.rows:
        assert row.done + row.in_progress + row.blocked + row.not_reported == row.assigned
        latest = [services.latest_status(t, row.unit, report.end) for t in tasks.values()
                  if t.assignments.filter(unit=row.unit).exists()]  # fmt: skip
        assert row.done == latest.count(Progress.DONE)
    assert [r.rank for r in report.rows] == list(range(1, len(report.rows) + 1))
    assert report.rows[0].rate >= report.rows[-1].rate
    assert "各乡镇（街道）" in report.groups and "各乡镇（街道）" not in rows
    assert (report.tasks, report.tasks_done) == (4, 2)  # 1 (lead done) and 11 (lead done)
    with pytest.raises(services.TrackerError):
        services.quarterly_report("2018Q5")


QUARTERS_2018 = ("2018Q1", "2018Q2", "2018Q3", "2018Q4")


def test_report_overdue_list_pages_and_export_agree_on_every_quarter_of_2018(docs) -> None:
    """One "as of" everywhere: a quarter ends at the end of its last day."""
    tasks = [services.confirm_task(t) for t in Task.objects.all()]
    # progress on the boundary days themselves: done on a deadline's last day is on time
    dated = [(t, services.first_due(t)) for t in tasks if services.first_due(t)]
    for n, (task, due) in enumerate(dated[:12]):
        day = due.date if n % 2 else due.date + timedelta(days=1)
        for u in services.accountable_units(task):
            services.record_progress(task, u, Progress.DONE, day=day)
    from gongbao.site.tracker.views import _task_rows

    for quarter in QUARTERS_2018:
        report = services.quarterly_report(quarter)
        for day in (report.end - timedelta(days=1), report.end, report.end + timedelta(days=1)):
            listed = services.overdue(day)
            rows = _task_rows(Task.objects.filter(status=Task.CONFIRMED), day)
            exported = services.export_rows(Task.objects.filter(status=Task.CONFIRMED), day)
            assert (
                len(listed)
                == sum(r["overdue"] for r in rows)
                == sum(r["overdue"] for r in exported)
            ), (quarter, day)
        assert report.tasks_overdue == len(services.overdue(report.end)), quarter
        for row in report.rows[:6]:
            assert row.overdue == len(services.overdue(report.end, unit=row.unit)), row.unit
    q4 = services.quarterly_report("2018Q4")
    assert q4.tasks_overdue > 0
    assert q4.tasks_overdue == len(services.overdue(date(2018, 12, 31)))


def test_public_views_and_api(client, docs, editor) -> None:
    services.confirm_task(_task(docs[WATER], "2"))
    response = client.get("/tasks/api/tasks.json", {"document": WATER})
    data = json.loads(response.content)
    assert [t["key"] for t in data["tasks"]] == ["2"]  # confirmed only
    assert data["tasks"][0]["lead"] == ["县环保局"]
    assert data["tasks"][0]["deadlines"][0]["date"] == "2018-08-31"
    csv_text = client.get("/tasks/api/tasks.csv", {"document": WATER}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith(f"{WATER},")
    page = client.get(f"/tasks/document/guanxian/{WATER}/")
    assert page.status_code == 200 and "县环保局" in page.content.decode()
    assert "登记进展" not in page.content.decode()
    assert client.get(f"/tasks/document/guanxian/{DISCLOSURE}/").status_code == 200
    assert client.get("/tasks/report/2018Q3/").status_code == 302  # staff only
    # withdrawn issue: nothing public any more
    unpublish_issue(docs[WATER].issue)
    assert json.loads(client.get("/tasks/api/tasks.json").content)["tasks"] == []
    assert client.get(f"/tasks/document/guanxian/{WATER}/").status_code == 404
    client.force_login(editor)
    assert client.get(f"/tasks/document/guanxian/{WATER}/").status_code == 200


def test_staff_review_progress_and_report_pages(client, docs, editor) -> None:
    client.force_login(editor)
    doc = docs[WATER]
    assert client.get(f"/tasks/document/guanxian/{doc.ident}/review/").status_code == 200
    client.post(f"/tasks/document/guanxian/{doc.ident}/review/", {"action": "confirm_all"})
    assert not Task.objects.filter(document=doc, status=Task.PROPOSAL).exists()
    task = _task(doc, "2")
    env = _unit("县环保局")
    response = client.post(
        f"/tasks/task/guanxian/{doc.ident}/{task.key}/progress/",
        {"unit": env.pk, "status": "done", "date": "2018-08-20", "note": "完成",
         "evidence": SimpleUploadedFile("照片.png", b"\x89PNG")},
    )  # fmt: skip
    assert response.status_code == 302
    row = Progress.objects.get(task=task)
    assert row.user == editor and row.evidence
    assert client.get(f"/tasks/evidence/{row.evidence.name}").status_code == 200
    bad = client.post(
        f"/tasks/task/guanxian/{doc.ident}/{task.key}/progress/",
        {"unit": env.pk, "status": "done", "evidence": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert "error=" in bad["Location"]
    page = client.get("/tasks/report/2018Q3/").content.decode()
    assert "季度通报" in page and "县环保局" in page
    assert client.get(reverse("tracker:unit", args=[env.name])).status_code == 200


def test_reviewer_cannot_write(client, docs) -> None:
    user = User.objects.create_user("rev", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="reviewer"))
    client.force_login(user)
    doc = docs[WATER]
    assert (
        client.post(
            f"/tasks/document/guanxian/{doc.ident}/review/", {"action": "confirm_all"}
        ).status_code
        == 403
    )
    task = services.confirm_task(_task(doc, "2"))
    response = client.post(
        f"/tasks/task/guanxian/{doc.ident}/{task.key}/progress/",
        {"unit": _unit("县环保局").pk, "status": "done"},
    )
    assert response.status_code == 403


def test_admin_correction_is_counted(client, docs) -> None:
    admin = User.objects.create_superuser("boss", password="x" * 12)
    client.force_login(admin)
    task = _task(docs[FOOD], "16.4")
    response = client.post(
        f"/admin/tracker/task/{task.pk}/change/",
        {"title": task.title, "lead": "县经信和商务局", "cooperate": "县农业局、县发改局", "implement": "",
         "responsible": "", "deadline_dates": "2018-12-31", "assigned_on": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    fields = sorted(Correction.objects.filter(task=task).values_list("field", flat=True))
    assert fields == ["deadlines", "units.cooperate"]
    task.refresh_from_db()
    assert task.status == Task.CONFIRMED


def test_admin_assigned_day_is_a_correction_too(client, docs) -> None:
    """The day a task was assigned is changed through the service, kept as a correction."""
    admin = User.objects.create_superuser("boss", password="x" * 12)
    client.force_login(admin)
    task = _task(docs[FOOD], "16.4")
    before = task.assigned_on
    response = client.post(
        f"/admin/tracker/task/{task.pk}/change/",
        {"title": task.title, "lead": "县经信和商务局", "cooperate": "", "implement": "",
         "responsible": "", "deadline_dates": "", "assigned_on": "2018-09-03"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    task.refresh_from_db()
    assert task.assigned_on == date(2018, 9, 3)
    row = Correction.objects.get(task=task, field="assigned_on")
    assert row.before == (before.isoformat() if before else None) and row.after == "2018-09-03"
    assert row.user == admin


def test_quarterly_pdf(client, docs) -> None:
    if chromium() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PDF 导出需要 Chromium")
        pytest.skip("没有 Chromium")
    admin = User.objects.create_superuser("boss", password="x" * 12)
    client.force_login(admin)
    services.confirm_task(_task(docs[WATER], "2"))
    response = client.get("/tasks/report/2018Q3/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_cli_extract_and_export(docs, capsys, tmp_path) -> None:
    from gongbao.cli import main
    from gongbao.site.tracker.services import confirm_task

    assert main(["tasks", "extract", WATER]) == 0
    assert "任务 28 项" in capsys.readouterr().out
    confirm_task(_task(docs[WATER], "11"))
    out = tmp_path / "t.json"
    assert (
        main(["tasks", "export", "--format", "json", "--document", WATER, "--out", str(out)]) == 0
    )
    data = json.loads(out.read_text("utf-8"))
    assert [(t["key"], t["lead"]) for t in data["tasks"]] == [("11", ["县住建局"])]
    # the export's overdue column on the same day boundary as the overdue list
    for day in ("2018-08-30", "2018-08-31"):
        args = ["tasks", "export", "--format", "json", "--document", WATER, "--as-of", day]
        assert main([*args, "--out", str(out)]) == 0
        (row,) = json.loads(out.read_text("utf-8"))["tasks"]
        listed = services.overdue(date.fromisoformat(day))
        assert row["overdue"] == bool(listed) and row["as_of"] == day
    assert main(["tasks", "export", "--as-of", "31/08/2018"]) == 2
    assert main(["tasks", "report", "--quarter", "2018Q3"]) == 0
    assert "县住建局" in capsys.readouterr().out
    assert main(["tasks", "extract", "no-such-doc"]) == 1


def test_recurrences_fall_due_each_period(docs) -> None:
    """（15）of the water plan (dated 2018-08-30): 每月5日前 until its 9月底前."""
    rec = {"period": "monthly", "day": 5, "month": None, "text": "每月5日前"}
    assert services.occurrences(rec, date(2018, 7, 20), date(2018, 10, 31)) == [
        date(2018, 8, 5), date(2018, 9, 5), date(2018, 10, 5),
    ]  # fmt: skip
    quarterly = {"period": "quarterly", "day": None, "month": None, "text": "每季度"}
    assert services.occurrences(quarterly, date(2018, 7, 20), date(2019, 1, 1)) == [
        date(2018, 9, 30), date(2018, 12, 31),
    ]  # fmt: skip
    yearly = {"period": "yearly", "day": None, "month": 7, "text": "每年7月底前"}
    assert services.occurrences(yearly, date(2018, 7, 20), date(2020, 1, 1)) == [
        date(2018, 7, 31), date(2019, 7, 31),
    ]  # fmt: skip
    task = services.confirm_task(_task(docs[WATER], "15"))
    assert task.start == date(2018, 8, 30)
    assert services.next_occurrence(task, date(2018, 8, 31)) == date(2018, 9, 5)
    # before the first occurrence nothing is due; from it on, the month's report is
    assert not services.task_state(task, date(2018, 9, 4)).overdue
    state = services.task_state(task, date(2018, 9, 5))
    assert state.overdue and state.due.date == date(2018, 9, 5)
    assert [o.task for o in services.overdue(date(2018, 9, 6))] == [task]
    for u in services.accountable_units(task):
        services.record_progress(task, u, Progress.DONE, day=date(2018, 9, 3))
    assert not services.task_state(task, date(2018, 9, 6)).overdue  # reported in time
    # after the dated deadline (9/30) the deadline governs, not October's report
    assert not services.task_state(task, date(2018, 10, 8)).overdue
    # the quarterly report and the overdue list still agree
    report = services.quarterly_report("2018Q3")
    assert report.tasks_overdue == len(services.overdue(report.end))


def test_staff_check_one_case_under_a_standing_rule(client, docs, editor) -> None:
    """（34）在2个工作日内: a complaint passed on 2018-09-28 is due 2018-09-30 (调休)."""
    services.confirm_task(_task(docs[DISCLOSURE], "34"))
    client.force_login(editor)
    url = f"/tasks/document/guanxian/{DISCLOSURE}/"
    page = client.get(url).content.decode()
    assert "常态要求：在2个工作日内" in page and "计算办结期限" in page
    page = client.get(url, {"task": "34", "event": "2018-09-28"}).content.decode()
    assert "事项发生于2018年9月28日，应于2018年9月30日前办结" in page


def test_index_shows_the_overdue_count_of_the_overdue_list(client, docs, editor) -> None:
    import time_machine

    services.confirm_task(_task(docs[WATER], "2"))  # 2018年8月底前
    client.force_login(editor)
    with time_machine.travel(date(2018, 12, 31), tick=False):
        page = client.get("/tasks/").content.decode()
        count = len(services.overdue(date(2018, 12, 31)))
    assert count == 1 and f"逾期未完成的任务 {count} 项" in page
