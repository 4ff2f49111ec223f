"""Imports never destroy: what hangs off a document survives every new version of its issue.

Tasks, confirmations, corrections, progress and evidence (tracker), 公开属性 and
privacy decisions (disclosure) belong to the document's identity. A version
that would drop documents or replace a published issue is refused unless
confirmed, and the refusal names what would go.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongbao.core import parse_file
from gongbao.site import access
from gongbao.site.archive.models import Document, ImportRecord, Issue, IssueVersion, Redirect
from gongbao.site.archive.services import HELD, import_file
from gongbao.site.disclosure import services as disclosure
from gongbao.site.disclosure.models import DisclosureRecord
from gongbao.site.review import services as review
from gongbao.site.review.models import Publication
from gongbao.site.tracker import services as tracker
from gongbao.site.tracker.models import Correction, Progress, Task

pytestmark = pytest.mark.django_db(transaction=True)

WATER, FOOD = "guanzhengbanfa-2018-50", "guanzhengbanfa-2018-57"
KEPT = 5  # documents the truncated file still holds


@pytest.fixture
def editor() -> User:
    user = User.objects.create_user("editor1", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def reviewer() -> User:
    user = User.objects.create_user("reviewer1", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="reviewer"))
    return user


def _corrected(path: Path, reviewer: User) -> ImportRecord:
    """A correction of a published issue: it waits as 勘误 until a reviewer approves it."""
    held = import_file(path, allow_removals=True, note="勘误", reason="原文有误")
    assert held.outcome == HELD, held.message
    review.approve(Publication.objects.get(status=Publication.PENDING), reviewer)
    return ImportRecord.objects.latest("pk")


def _tracked(ident: str, editor: User) -> tuple[Task, Progress]:
    """A document's task confirmed with a correction, and progress with evidence."""
    doc = Document.objects.get(ident=ident)
    tracker.extract_for_document(doc)
    task = doc.tasks.order_by("id").first()
    lead = tracker.accountable_units(task)[0]
    tracker.correct_task(task, editor, title=task.title + "（更正）")
    row = tracker.record_progress(
        task, lead, Progress.IN_PROGRESS, day=date(2018, 8, 20), note="已开工",
        evidence=SimpleUploadedFile("现场.pdf", b"%PDF-1.4 evidence"), user=editor,
    )  # fmt: skip
    return Task.objects.get(pk=task.pk), row


def _survives(task: Task, progress: Progress) -> Task:
    """The task, its confirmation, correction, progress and evidence file are all still there."""
    after = Task.objects.get(pk=task.pk)
    assert after.status == Task.CONFIRMED and after.title == task.title
    assert Correction.objects.filter(task=after, field="title").count() == 1
    row = Progress.objects.get(pk=progress.pk)
    assert row.task_id == after.pk and row.note == "已开工"
    assert row.evidence.storage.exists(row.evidence.name)
    return after


def _variant(source: Path, tmp_path: Path, text: str) -> Path:
    path = tmp_path / "variant" / source.name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _truncated(source: Path, tmp_path: Path, keep: int) -> Path:
    """The issue cut after its first ``keep`` documents, like a PDF holding only its first pages."""
    start = parse_file(source).documents[keep].lines[0]
    lines = source.read_text("utf-8").splitlines(keepends=True)
    return _variant(source, tmp_path, "".join(lines[: start - 1]))


def test_confirmed_task_with_progress_survives_a_corrected_reimport(
    sample_issue: Issue, sample_path: Path, tmp_path: Path, editor: User, reviewer: User, client
) -> None:
    task, progress = _tracked(WATER, editor)
    food_task, _ = _tracked(FOOD, editor)
    water = Document.objects.get(ident=WATER)
    disclosure.set_attribute(water, "withheld", "state_secret", "涉及国家秘密", editor)
    text = sample_path.read_text("utf-8")
    assert "冠政办发〔2018〕50号" in text and "冠政办发〔2018〕52号" not in text
    corrected = _variant(
        sample_path, tmp_path, text.replace("冠政办发〔2018〕50号", "冠政办发〔2018〕52号")
    )

    outcome = _corrected(corrected, reviewer)  # the issue is published: confirmed, reviewed

    assert outcome.outcome == ImportRecord.UPDATED and outcome.version == 2
    after = _survives(task, progress)
    renamed = Document.objects.get(pk=water.pk)  # the same row: the same document
    assert renamed.ident == "guanzhengbanfa-2018-52" and renamed.doc_number.endswith("52号")
    assert after.document_id == renamed.pk
    assert after.review_flag == Document.CHANGED and "第2版" in after.review_note
    assert Redirect.objects.get(old_ident=WATER).document == renamed
    # Its 公开属性 moved with it: a withheld document does not surface under its new 文号.
    record = DisclosureRecord.objects.get(ident="guanzhengbanfa-2018-52")
    assert record.attribute == DisclosureRecord.WITHHELD
    assert not DisclosureRecord.objects.filter(ident=WATER).exists()
    assert not access.public_documents().filter(pk=renamed.pk).exists()
    # Tracker pages are addressed by identifiers; the old one leads to the new.
    client.force_login(editor)
    old = client.get(f"/tasks/document/guanxian/{WATER}/")
    assert old.status_code == 302
    assert old["Location"] == "/tasks/document/guanxian/guanzhengbanfa-2018-52/"
    # An unchanged document's task is not flagged.
    assert Task.objects.get(pk=food_task.pk).review_flag == ""
    assert Document.objects.filter(issue=sample_issue).count() == 18


def test_truncated_file_does_not_replace_a_published_issue_unless_confirmed(
    sample_issue: Issue, sample_path: Path, tmp_path: Path, editor: User, reviewer: User
) -> None:
    task, progress = _tracked(FOOD, editor)
    food = Document.objects.get(ident=FOOD)
    assert food.seq > KEPT
    before = sorted(Document.objects.values_list("pk", "ident"))
    truncated = _truncated(sample_path, tmp_path, KEPT)

    refused = import_file(truncated)

    assert refused.outcome == ImportRecord.REFUSED
    assert f"删除 {18 - KEPT} 篇文件" in refused.message and "--allow-removals" in refused.message
    assert "已发布" in refused.message
    assert f"《{food.title}》（{food.doc_number}）" in refused.message
    assert sorted(Document.objects.values_list("pk", "ident")) == before
    assert IssueVersion.objects.filter(issue=sample_issue).count() == 1
    assert access.public_documents().count() == 18

    confirmed = _corrected(truncated, reviewer)

    assert confirmed.outcome == ImportRecord.UPDATED
    assert sample_issue.documents.count() == KEPT
    assert access.public_documents().count() == KEPT
    food = Document.objects.get(pk=food.pk)  # detached, not deleted
    assert food.issue_id is None and food.review_flag == Document.REMOVED
    after = _survives(task, progress)
    assert after.review_flag == Document.REMOVED and "已无此文件" in after.review_note
    assert not tracker.public_tasks().filter(pk=task.pk).exists()

    # The complete file again: the same document comes back with everything attached.
    restored = _corrected(sample_path, reviewer)
    assert restored.outcome == ImportRecord.UPDATED
    assert Document.objects.get(pk=food.pk).issue_id == sample_issue.pk
    assert sample_issue.documents.count() == 18
    assert _survives(task, progress).review_flag == Document.CHANGED


def test_a_draft_loses_documents_only_when_confirmed(sample_path: Path, tmp_path: Path) -> None:
    assert import_file(sample_path).outcome == ImportRecord.IMPORTED  # a draft
    truncated = _truncated(sample_path, tmp_path, KEPT)
    refused = import_file(truncated)
    assert refused.outcome == ImportRecord.REFUSED and "已发布" not in refused.message
    # A draft corrected without removals goes in as before.
    text = sample_path.read_text("utf-8").replace("县环保局", "县环境保护局", 1)
    assert import_file(_variant(sample_path, tmp_path, text)).outcome == ImportRecord.UPDATED


def test_command_refuses_and_lists_then_allows(sample_path: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GONGBAO_HOME"] = str(tmp_path / "home")

    def gongbao(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gongbao.cli", "import", "-q", *args],
            capture_output=True, text=True, env=env, timeout=300,
        )  # fmt: skip

    assert gongbao(str(sample_path), "--publish").returncode == 0
    truncated = _truncated(sample_path, tmp_path, KEPT)
    refused = gongbao(str(truncated))
    assert refused.returncode == 1
    assert "共 1 个文件：新导入 0，已更新 0，未变化 0，失败 0，待确认 1" in refused.stdout
    lines = [line for line in refused.stdout.splitlines() if "--allow-removals" in line]
    assert len(lines) == 1 and "待确认" in lines[0] and "删除 13 篇文件" in lines[0]
    # Confirmed, the correction of a published issue waits for a reviewer (four eyes).
    held = gongbao(str(truncated), "--allow-removals", "--note", "勘误", "--reason", "重排")
    assert held.returncode == 1, held.stdout + held.stderr
    assert "待审核 1" in held.stdout and "已更新 0" in held.stdout


def test_staff_find_the_tasks_of_a_dropped_document_flagged_for_review(
    sample_issue: Issue, sample_path: Path, tmp_path: Path, editor: User, reviewer: User, client
) -> None:
    task, progress = _tracked(FOOD, editor)
    _corrected(_truncated(sample_path, tmp_path, KEPT), reviewer)
    url = f"/tasks/document/guanxian/{FOOD}/"
    assert client.get(url).status_code == 404  # not public: in no issue any more
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "已不在公报的现行版本中" in page and "待复核：新版本中已删除" in page
    assert f'id="task-{task.key}"' in page
    assert f"/tasks/task/guanxian/{FOOD}/{task.key}/progress/" in page
    assert reverse("tracker:evidence", args=[progress.evidence.name]) in page
    index = client.get("/tasks/").content.decode()
    assert url in index and "待复核" in index
    rows = json.loads(client.get("/tasks/api/tasks.json", {"document": FOOD}).content)["tasks"]
    assert [(r["key"], r["issue"]) for r in rows] == [(task.key, "")]
    assert client.get("/tasks/overdue/?as_of=2018-12-31").status_code == 200
    assert client.get("/tasks/report/2018Q4/").status_code == 200
    # The reviewer looks again and confirms: the flag is cleared, nothing else changes.
    tracker.confirm_task(Task.objects.get(pk=task.pk), editor)
    assert Task.objects.get(pk=task.pk).review_flag == ""
    _survives(task, progress)


def test_a_corrected_number_taken_by_a_dropped_document_keeps_both_identities(
    sample_path: Path, tmp_path: Path, editor: User
) -> None:
    """50号 corrected to 57号 while the old 57号 is dropped: neither loses its records."""
    assert import_file(sample_path).outcome == ImportRecord.IMPORTED
    water, food = Document.objects.get(ident=WATER), Document.objects.get(ident=FOOD)
    task, progress = _tracked(FOOD, editor)
    lines = sample_path.read_text("utf-8").splitlines(keepends=True)
    start, end = next(d.lines for d in parse_file(sample_path).documents if d.seq == food.seq)
    text = "".join(lines[: start - 1] + lines[end:])
    text = text.replace("冠政办发〔2018〕50号", "冠政办发〔2018〕57号")
    outcome = import_file(_variant(sample_path, tmp_path, text), allow_removals=True)
    assert outcome.outcome == ImportRecord.UPDATED, outcome.message
    food = Document.objects.get(pk=food.pk)
    assert food.ident == FOOD and food.issue_id is None  # dropped, its identity kept
    water = Document.objects.get(pk=water.pk)
    assert water.doc_number.endswith("57号") and water.ident == f"{FOOD}-2"
    assert Task.objects.get(pk=task.pk).document_id == food.pk
    _survives(task, progress)
