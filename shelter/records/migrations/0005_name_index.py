"""One home for name indexing (``records.name_index``): the BlockingKey model moves from the
screening app to records — in Django's state only, its table keeps its name and its rows — and the
index gets a version marker.

A database without names is stamped with the index version this release builds (2), as its index is
complete; one with names with version 1, so ``name_index.stale()`` says the search tokens, built with
the old keys, must be rebuilt (``shelter screening reindex``: it needs the master key, which a
migration may not have). A later release that changes the keys raises ``name_index.VERSION`` and
stamps name-less databases current the same way.
"""

import django.db.models.deletion
from django.db import migrations, models

VERSION, OLD_VERSION = 2, 1


def stamp(apps, schema_editor):
    version = OLD_VERSION if apps.get_model("records", "PersonName").objects.exists() else VERSION
    apps.get_model("records", "NameIndexVersion").objects.update_or_create(pk=1, defaults={"version": version})


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0004_legal_process_hearing_and_ccf_kinds"),
        ("screening", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BlockingKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(db_index=True, max_length=64)),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="records.case")),
                        ("name", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="records.personname")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="records.person")),
                    ],
                    options={"db_table": "screening_blockingkey"},
                ),
            ],
        ),
        migrations.CreateModel(
            name="NameIndexVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveIntegerField()),
            ],
        ),
        migrations.RunPython(stamp, migrations.RunPython.noop),
    ]
