"""An issue's 出版日期: the date printed on it, never the time it was imported.

Existing issues get it from their current version's parse: the latest date of
their documents (and of the plans they promulgate), as the import now records it.
"""

from datetime import date

from django.db import migrations, models


def _dates(doc: dict) -> list[date]:
    out = []
    for item in (doc, doc.get("promulgated_document") or {}):
        value = item.get("date") if isinstance(item, dict) else None
        if value:
            try:
                out.append(date.fromisoformat(value))
            except ValueError:
                pass
    return out


def backfill(apps, schema_editor):
    Issue = apps.get_model("archive", "Issue")
    for issue in Issue.objects.filter(kind="issue", issue_date__isnull=True):
        version = issue.versions.order_by("-number").first()
        if version is None:
            continue
        dates = [d for doc in version.parsed.get("documents", []) for d in _dates(doc)]
        if dates:
            Issue.objects.filter(pk=issue.pk).update(issue_date=max(dates))


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_document_library")]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="issue_date",
            field=models.DateField(blank=True, null=True, verbose_name="出版日期"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
