"""The external reference (a UNHCR or passport number) becomes identity data: sealed with the case's
key, found again by a keyed digest. The plaintext column is kept as ``external_id_legacy``;
sealing it needs the master key, which a migration may not have, so
``records.external_ids.seal_legacy`` does it after ``migrate`` (a post_migrate handler), before
every ``shelter persons import`` and in ``shelter screening reindex``, and empties it.
"""

from django.db import migrations, models

import shelter.records.fields


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0006_process_kinds_include_interstate_list"),
    ]

    operations = [
        migrations.RenameField(model_name="person", old_name="external_id", new_name="external_id_legacy"),
        migrations.AlterField(
            model_name="person", name="external_id_legacy",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="person", name="external_id",
            field=shelter.records.fields.SealedField(verbose_name="external reference"),
        ),
        migrations.AddField(
            model_name="person", name="external_id_index",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
    ]
