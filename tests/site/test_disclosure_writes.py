"""Staff writes on the disclosure pages go through the services, each with its audit entry."""

from __future__ import annotations

import pytest

from gongbao.site.archive.models import Document
from gongbao.site.disclosure.models import AuditEntry, CatalogItem, DisclosureRecord
from tests.site.disclosure_helpers import staff

pytestmark = pytest.mark.django_db(transaction=True)
DOC = "guanzhengbanfa-2018-50"


def test_filing_a_document_in_the_catalog_is_audited(client, sample_issue) -> None:
    editor = staff("ed", "editor")
    client.force_login(editor)
    doc = Document.objects.get(ident=DOC)
    url = f"/xxgk/staff/documents/{doc.gazette.slug}/{DOC}/"
    huanbao = CatalogItem.objects.get(code="HB")
    form = {"attribute": "public", "category": "normative", "is_policy": "on",
            "catalog_items": [huanbao.pk]}  # fmt: skip
    assert client.post(url, form).status_code == 302
    record = DisclosureRecord.objects.get(gazette=doc.gazette, ident=DOC)
    assert record.category == "normative" and record.is_policy
    assert list(record.catalog_items.all()) == [huanbao]
    entry = AuditEntry.objects.get(
        subject=f"document:{doc.gazette_id}/{DOC}", action="变更目录信息"
    )
    assert entry.actor == editor and "HB" in entry.after and "行政规范性文件" in entry.after
    # the same filing again changes nothing and writes no second entry
    assert client.post(url, form).status_code == 302
    assert AuditEntry.objects.filter(action="变更目录信息").count() == 1


def test_saving_and_publishing_the_annual_report_is_audited(client) -> None:
    reviewer = staff("rv", "reviewer")
    client.force_login(reviewer)
    client.post("/xxgk/staff/report/2030/", {"overview": "总体情况"})
    client.post("/xxgk/staff/report/2030/", {"overview": "总体情况", "publish": "on"})
    entries = AuditEntry.objects.filter(subject="report:2030").order_by("id")
    assert [(e.after, e.actor) for e in entries] == [("草稿", reviewer), ("已公布", reviewer)]
    # a table cell that is not a number: a Chinese message, nothing saved, nothing audited
    bad = client.post("/xxgk/staff/report/2030/", {"overview": "改", "t4_review_upheld": "多"})
    assert bad.status_code == 400 and "表格中只能填写数字" in bad.content.decode()
    assert AuditEntry.objects.filter(subject="report:2030").count() == 2
