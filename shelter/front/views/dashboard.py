import datetime
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shelter.records import access
from shelter.records.models import CaseStatus, Deadline, Incident, LegalProcess

from ..charts import bar_chart, country_label


@login_required
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=60)
    cases = access.visible_cases(user)
    incidents = Incident.objects.visible_to(user)
    deadlines = [
        {"due_on": d.due_on, "title": d.title, "case": d.case, "url": d.case}
        for d in Deadline.objects.visible_to(user).filter(done=False, due_on__lte=horizon).select_related("case")
    ] + [
        {"due_on": p.deadline, "title": p.get_kind_display(), "case": p.case, "process": p}
        for p in LegalProcess.objects.visible_to(user).filter(deadline__gte=today, deadline__lte=horizon).select_related("case")
    ]
    deadlines.sort(key=lambda d: d["due_on"])
    by_origin = Counter(incidents.values_list("origin_state", flat=True))
    by_year = Counter(d[:4] for d in incidents.values_list("date", flat=True))
    context = {
        "open_cases": cases.filter(status=CaseStatus.OPEN)[:10],
        "open_count": cases.filter(status=CaseStatus.OPEN).count(),
        "incident_count": incidents.count(),
        "deadlines": deadlines[:12],
        "today": today,
        "recent": incidents.prefetch_related("tactics")[:8],
        "origin_chart": bar_chart(by_origin.most_common(10), link="origin", label=country_label),
        "year_chart": bar_chart(sorted(by_year.items()), link="year"),
    }
    return render(request, "front/dashboard.html", context)
