# The return-risk assessment moved to the returns app, which took over its table as it is: only
# Django's state forgets the model here; the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('wanted', '0001_initial'),
        ('returns', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='RiskAssessment')],
            database_operations=[],
        ),
    ]
