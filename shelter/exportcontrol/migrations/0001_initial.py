import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import shelter.records.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="ExportRequest",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("reference", models.CharField(max_length=100, verbose_name="reference")),
                ("exporter", models.CharField(blank=True, max_length=300, verbose_name="exporter")),
                ("destination", shelter.records.fields.CountryField(max_length=2, verbose_name="destination")),
                ("request", models.JSONField(verbose_name="request")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                                 to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-updated_at"], "verbose_name": "export request"},
        ),
        migrations.CreateModel(
            name="Screening",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("version", models.PositiveIntegerField()),
                ("recommendation", models.CharField(choices=[("deny", "Deny"), ("licence_with_conditions", "Licence only with conditions"),
                                                             ("licence_required", "Licence required"), ("no_objection_found", "No objection found")],
                                                    max_length=30, verbose_name="recommendation")),
                ("result", models.JSONField()),
                ("screened_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("request", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="screenings",
                                              to="exportcontrol.exportrequest")),
                ("screened_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                                  to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-version"],
                     "constraints": [models.UniqueConstraint(fields=("request", "version"), name="one_screening_per_version")]},
        ),
    ]
