"""Staff pages read, never write: GETs leave every table as it was; staff responses are no-store.

Also the honest redirects of old ``-text`` identifiers (they land on an anchor the
page has) and the report's wording about split numbering labels.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gongbao.site.archive.models import Document
from gongbao.site.disclosure import services as disclosure
from gongbao.site.disclosure.models import Message
from gongbao.site.tracker import services as tracker
from tests.site.disclosure_helpers import filed

pytestmark = pytest.mark.django_db(transaction=True)
DOC = "guanzhengbanfa-2018-50"


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _staff_urls(sample) -> list[str]:
    doc = Document.objects.get(ident=DOC)
    tracker.extract_for_document(doc)
    tracker.confirm_task(doc.tasks.first())
    unit = doc.tasks.first().units.first()
    req = filed(on=date(2025, 9, 24))
    message = Message.objects.first()
    urls = [
        "/tasks/", f"/tasks/document/{doc.gazette.slug}/{DOC}/",
        f"/tasks/document/{doc.gazette.slug}/{DOC}/review/", reverse("tracker:unit", args=[unit.name]),
        "/tasks/overdue/?as_of=2018-12-31", "/tasks/report/2018Q4/",
        "/tasks/api/tasks.json", "/tasks/api/tasks.csv",
        "/xxgk/", "/xxgk/staff/", "/xxgk/staff/register/", f"/xxgk/staff/requests/{req.number}/",
        f"/xxgk/staff/privacy/{sample.pk}/", f"/xxgk/staff/documents/{doc.gazette.slug}/{DOC}/",
        "/xxgk/staff/report/2018/", "/xxgk/staff/report/2031/", "/xxgk/staff/calendar/",
        f"/doc/{DOC}/", "/admin/",
    ]  # fmt: skip
    if message is not None:
        urls.append(f"/xxgk/staff/messages/{message.pk}/")
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


def test_get_of_every_staff_page_writes_nothing_and_is_no_store(sample_issue) -> None:
    client = Client()
    boss = get_user_model().objects.create_superuser("boss", password="x" * 12)
    client.force_login(boss)
    urls = _staff_urls(sample_issue)
    before = _counts()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Cache-Control"] == "private, no-store", url
    after = _counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


def test_staff_paths_are_no_store_even_for_the_login_redirect(client) -> None:
    for url in ("/xxgk/staff/", "/admin/"):
        assert client.get(url)["Cache-Control"] == "private, no-store"


def test_annual_report_page_for_a_new_year_saves_only_on_post(client) -> None:
    from gongbao.site.disclosure.models import AnnualReport
    from tests.site.disclosure_helpers import staff

    client.force_login(staff("rv", "reviewer"))
    assert client.get("/xxgk/staff/report/2030/").status_code == 200
    assert not AnnualReport.objects.filter(year=2030).exists()
    client.post("/xxgk/staff/report/2030/", {"overview": "总体情况"})
    assert AnnualReport.objects.get(year=2030).overview == "总体情况"


def test_text_redirects_land_on_anchors_the_page_has(client, sample_issue) -> None:
    for doc in Document.objects.filter(issue=sample_issue):
        response = client.get(f"/doc/{doc.ident}-text/")
        if response.status_code == 404:
            continue
        assert response.status_code == 301
        url, _, anchor = response["Location"].partition("#")
        page = client.get(url).content.decode()
        if anchor:
            assert re.search(rf'id="{re.escape(anchor)}"', page), (doc.ident, anchor)
    # the 经济普查 notice has no promulgated plan: its list is the attachment
    location = client.get("/doc/guanzhengfa-2018-64-text/")["Location"]
    assert location.endswith("/guanzhengfa-2018-64/#attachment-1"), location


def test_privacy_page_counts_unrecorded_findings_and_records_them_on_post(client) -> None:
    from pathlib import Path

    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file
    from gongbao.site.disclosure.models import PrivacyDecision
    from tests.site.disclosure_helpers import staff

    outcome = import_file(Path(__file__).parents[1] / "data" / "disclosure" / "shixian-2020-01.md")
    issue = Issue.objects.get(ident=outcome.issue)
    client.force_login(staff("rv", "reviewer"))
    page = client.get(f"/xxgk/staff/privacy/{issue.pk}/").content.decode()
    assert "另有 6 处尚未登记为待审查项" in page
    assert PrivacyDecision.objects.count() == 0
    client.post(f"/xxgk/staff/privacy/{issue.pk}/", {"scan": "1"})
    assert PrivacyDecision.objects.count() == 6 == len(disclosure.recorded_findings(issue))
    assert disclosure.unrecorded_findings(issue) == 0


def test_split_label_blamed_on_ocr_only_when_ocr_read_it(sample_path) -> None:
    from gongbao.core import parse_file
    from gongbao.core.parse import parse_stream
    from gongbao.core.readers.text import read_bytes

    def message(encoding: str | None) -> str:
        if encoding is None:
            result = parse_file(sample_path)
        else:
            stream = read_bytes(sample_path.read_bytes(), sample_path.name)
            stream.encoding = encoding
            result = parse_stream(stream)
        (finding,) = [f for f in result.findings if f.code == "ocr-numbering"]
        return finding.message

    assert "OCR" not in message(None) and "2.2. → 22." in message(None)  # Markdown
    assert "OCR" not in message("pdf")  # a PDF's text layer
    assert message("pdf+ocr").startswith("编号疑为OCR错误")


def test_codes_on_staff_pages_are_named_in_chinese(client) -> None:
    from gongbao.site.disclosure.models import AuditEntry
    from gongbao.site.tracker.admin import correction_field_label
    from tests.site.disclosure_helpers import staff

    client.force_login(staff("rv", "reviewer"))
    html = client.get("/xxgk/staff/report/2018/").content.decode()
    assert "行政复议：结果维持" in html and "行政诉讼·复议后起诉：总计" in html
    assert ">review_upheld<" not in html
    assert correction_field_label("units.lead") == "牵头单位"
    assert correction_field_label("units.responsible") == "责任单位"
    assert correction_field_label("deadlines") == "期限"
    AuditEntry.objects.create(subject="issue:guanxian-2018-03", action="import.version")
    boss = get_user_model().objects.create_superuser("boss", password="x" * 12)
    client.force_login(boss)
    page = client.get("/admin/disclosure/auditentry/").content.decode()
    assert "导入新版本" in page and "期 guanxian-2018-03" in page and "import.version" not in page


def test_task_admin_names_the_printed_style(client, sample_issue) -> None:
    doc = Document.objects.get(ident=DOC)
    tracker.extract_for_document(doc)
    task = doc.tasks.first()
    client.force_login(get_user_model().objects.create_superuser("boss", password="x" * 12))
    page = client.get(reverse("admin:tracker_task_change", args=[task.pk])).content.decode()
    assert "条目后括注责任单位" in page and ">bracket<" not in page
    listing = client.get(reverse("admin:tracker_task_changelist")).content.decode()
    assert "逐句括注责任单位" in listing
