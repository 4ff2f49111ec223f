from django.db import migrations, models


class Migration(migrations.Migration):
    """Salts that open the commitments of gongbao-manifest/2 (docs/integrity.md)."""

    dependencies = [
        ("opendata", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="manifest",
            name="salts",
            field=models.JSONField(default=dict, verbose_name="盐值"),
        ),
    ]
