"""BlockingKey now lives in records (``records.name_index`` builds it): removed from the screening
app's state only; the table stays, owned by ``records.BlockingKey``."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0001_initial"),
        ("records", "0005_name_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="BlockingKey")]),
    ]
