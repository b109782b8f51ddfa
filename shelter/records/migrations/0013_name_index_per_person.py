"""Name index version 3: 64-bit digests, one row per person and digest (issue 17: at a million persons
the rows of one per name and 64-character digests took 25 GB).

The digests cannot be converted (that needs the names, so the master key, which migrate may not have):
the rows go, and ``name_index.stale()`` says ``shelter screening reindex`` must rebuild them. A
database without names is stamped current, as in 0005."""

import django.db.models.deletion
from django.db import migrations, models

VERSION = 3


def drop_rows(apps, schema_editor):
    for model in ("NameToken", "BlockingKey"):
        apps.get_model("records", model).objects.all().delete()
    if not apps.get_model("records", "PersonName").objects.exists():
        apps.get_model("records", "NameIndexVersion").objects.update_or_create(pk=1, defaults={"version": VERSION})


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0012_scale_indexes'),
    ]

    operations = [
        migrations.RunPython(drop_rows, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='blockingkey',
            name='name',
        ),
        migrations.RemoveField(
            model_name='nametoken',
            name='name',
        ),
        migrations.AlterField(
            model_name='blockingkey',
            name='digest',
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name='nametoken',
            name='digest',
            field=models.BigIntegerField(),
        ),
    ]
