# The return-risk assessment moved here from the notices app (label "wanted"): the table it created
# stays as it is, so this migration only tells Django's state that the model now lives here.

import django.db.models.deletion
import django.utils.timezone
import shelter.records.fields
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('records', '0004_legal_process_hearing_and_ccf_kinds'),
        ('wanted', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RiskAssessment',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('destination', models.CharField(max_length=2, verbose_name='destination state')),
                        ('number', models.PositiveIntegerField(default=1)),
                        ('method_version', models.CharField(max_length=40)),
                        ('level', shelter.records.fields.SealedField(editable=True, verbose_name='level')),
                        ('result', shelter.records.fields.SealedField(editable=True, long=True)),
                        ('manual_factors', shelter.records.fields.SealedField(editable=True, long=True)),
                        ('assessed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='records.case', verbose_name='case')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risk_assessments', to='records.person')),
                    ],
                    options={
                        'db_table': 'wanted_riskassessment',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(fields=('person', 'destination', 'number'), name='one_risk_assessment_number')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
