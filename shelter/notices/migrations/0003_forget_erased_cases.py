# Cases erased before erasure removed their alerts and requests left them behind: remove them now, as
# Case.erase does (``forget_erased_case`` in shelter/notices/models.py).

from django.db import migrations
from django.db.models import Q


def forget_erased_cases(apps, schema_editor):
    Case = apps.get_model("records", "Case")
    Notice = apps.get_model("wanted", "Notice")
    NoticeAlert = apps.get_model("wanted", "NoticeAlert")
    erased = Case.objects.filter(wrapped_key=None).values("pk")
    NoticeAlert.objects.filter(Q(case__in=erased) | Q(notice__case__in=erased)).delete()
    Notice.objects.filter(case__in=erased).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('wanted', '0002_risk_assessment_moved_to_returns'),
        ('records', '0006_process_kinds_include_interstate_list'),
    ]

    operations = [
        migrations.RunPython(forget_erased_cases, migrations.RunPython.noop),
    ]
