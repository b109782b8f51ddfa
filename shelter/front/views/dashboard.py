import datetime
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import Substr
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shelter.notices.models import NoticeAlert
from shelter.records import access, tallies
from shelter.records.models import CaseStatus, Deadline, Incident, LegalProcess, ProcessKind, ProcessStatus

from ..charts import bar_chart, country_label

HORIZON_DAYS = 60
SHOWN = 12
# A process deadline has no "done" box: a month after it passed, the process page tells what came of it.
OVERDUE_DAYS = 30
FINISHED = (ProcessStatus.CLOSED, ProcessStatus.DELETED)
CCF_KINDS = (ProcessKind.CCF, ProcessKind.CCF_ACCESS, ProcessKind.CCF_DELETION)
# After a decision (or in an appeal), the next date is the last day to appeal it.
APPEAL_STATUSES = (ProcessStatus.GRANTED, ProcessStatus.REFUSED, ProcessStatus.APPEAL)


@login_required
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    cases = access.visible_cases(user)
    incidents = Incident.objects.visible_to(user)
    dates = agenda(Deadline.objects.visible_to(user), LegalProcess.objects.visible_to(user), today,
                   horizon=today + datetime.timedelta(days=HORIZON_DAYS))
    by_origin, by_year = Counter(), Counter()
    for origin, year, n in tallies.remembered(user, "incidents by origin and year", lambda: origins_and_years(incidents)):
        by_origin[origin] += n
        by_year[year] += n
    context = {
        "open_cases": cases.filter(status=CaseStatus.OPEN)[:10],
        "open_count": tallies.remembered(user, "open cases", cases.filter(status=CaseStatus.OPEN).count),
        "incident_count": by_origin.total(),
        "deadlines": dates[:SHOWN],
        "deadline_count": len(dates),
        "overdue_count": sum(1 for d in dates if d["overdue"]),
        "horizon_days": HORIZON_DAYS,
        "today": today,
        "recent": incidents.prefetch_related("tactics")[:8],
        "origin_chart": bar_chart(sorted(by_origin.items(), key=lambda o: (-o[1], o[0]))[:10], link="origin",
                                  label=country_label),
        "year_chart": bar_chart(sorted(by_year.items()), link="year"),
        "alerts_to_triage": alerts_to_triage(user),
        "campaign_count": _campaign_count(user),
        "open_link_count": _open_link_count(user),
    }
    return render(request, "front/dashboard.html", context)


def origins_and_years(incidents) -> list[tuple]:
    """(origin, year, incidents) of the visible incidents: one GROUP BY in SQL (no ordering, each
    incident once, no join) for both charts and the total."""
    counted = incidents.order_by().annotate(year=Substr("date", 1, 4))
    return list(counted.values_list("origin_state", "year").annotate(n=Count("pk")))


def agenda(deadlines, processes, today: datetime.date, horizon: datetime.date | None = None) -> list[dict]:
    """What falls due before ``horizon`` (everything ahead when None), soonest first: open case
    deadlines (overdue ones too, until ticked off), legal-process deadlines (overdue for a month)
    and hearings. ``deadlines`` and ``processes`` are querysets the caller has already narrowed to
    what the user may see; a crypto-erased case has nothing left to act on and is left out."""
    deadlines = deadlines.filter(done=False).exclude(case__wrapped_key=None).select_related("case")
    processes = processes.exclude(status__in=FINISHED).exclude(case__wrapped_key=None).select_related("case")
    if horizon is not None:
        deadlines = deadlines.filter(due_on__lte=horizon)
    from_alerts = set(NoticeAlert.objects.filter(task__in=deadlines).values_list("task_id", flat=True))
    items = [
        entry(d.due_on, today, d.case, d.title,
              _("Task from a confirmed alert") if d.pk in from_alerts else _("Case deadline"))
        for d in deadlines
    ]
    due = processes.filter(deadline__gte=today - datetime.timedelta(days=OVERDUE_DAYS))
    heard = processes.filter(hearing_on__gte=today)
    if horizon is not None:
        due, heard = due.filter(deadline__lte=horizon), heard.filter(hearing_on__lte=horizon)
    items += [entry(p.deadline, today, p.case, p.get_kind_display(), deadline_label(p), process=p) for p in due]
    items += [entry(p.hearing_on, today, p.case, p.get_kind_display(), _("Hearing"), process=p) for p in heard]
    items.sort(key=lambda item: (item["on"], item["label"]))
    return items


def entry(on: datetime.date, today: datetime.date, case, title, label: str, process=None) -> dict:
    days = (on - today).days
    return {"on": on, "days": days, "overdue": days < 0, "when": when(days), "case": case, "title": title,
            "label": label, "process": process}


def deadline_label(process) -> str:
    if process.kind in CCF_KINDS:
        return _("CCF answer expected (estimate)")
    if process.kind == ProcessKind.APPEAL or process.status in APPEAL_STATUSES:
        return _("Appeal limit")
    return _("Next deadline")


def when(days: int) -> str:
    if days < 0:
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}


def alerts_to_triage(user) -> int | None:
    """Alerts on the user's cases waiting for a decision; None for roles that do not see alerts."""
    if not user.reads_identity:
        return None
    return access.visible(user, NoticeAlert).to_decide().count()


def _campaign_count(user) -> int | None:
    """Campaigns of suspicious messages across cases: for coordinators, who see every case."""
    if not user.sees_all_cases:
        return None
    from shelter.artefacts.models import Campaign

    return Campaign.objects.count()


def _open_link_count(user) -> int | None:
    """Links between cases waiting for a decision: for coordinators, who see both sides."""
    if not user.sees_all_cases:
        return None
    from shelter.actors.models import Link, LinkStatus

    return Link.objects.filter(status=LinkStatus.OPEN).count()
