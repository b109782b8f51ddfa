"""Notices and requests, and the triage of the alerts they raise.

An alert belongs to the matched person's case: only that case's users see it, and only those who
may edit the case decide it. Its notice shows only as far as ``Notice.objects.visible_to`` allows:
an alert raised by a request entered on another case says that something matched, no more, and can
only be escalated to a coordinator. Decisions go through ``shelter.notices.triage``, which audits them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shelter.notices import abuse, importing, triage
from shelter.notices.models import TO_DECIDE, AlertStatus, Notice, NoticeAlert, RequestKind, RequestSource
from shelter.records import access

from ..charts import svg_length
from ..notice_forms import RequestForm
from .common import page
from .screening import SCORE_WIDTH, explain_features, scale


def require_reader(request):
    if not request.user.reads_identity:
        raise PermissionDenied


def visible_notice_or_404(user, pk) -> Notice:
    try:
        return Notice.objects.visible_to(user).get(pk=pk)
    except (Notice.DoesNotExist, ValueError):
        raise Http404("not found") from None


def card(alert: NoticeAlert) -> dict:
    """What ``_screen_alert.html`` draws: the registered person, the score and why."""
    return {
        "person": alert.person, "score": alert.score, "score_width": svg_length(alert.score, SCORE_WIDTH),
        "explanation": explain_features(alert.explanation_features(), alert.score),
    }


@never_cache
@login_required
def alert_list(request):
    require_reader(request)
    alerts = access.visible(request.user, NoticeAlert).with_readable_notice(request.user)
    alerts = alerts.select_related("notice", "person", "case")
    status = request.GET.get("status", "")
    alerts = alerts.filter(status=status) if status in AlertStatus.values else alerts.to_decide()
    return render(request, "front/alert_list.html", {
        "page": page(request, alerts.prefetch_related("person__names")), "status": status,
        "statuses": AlertStatus.choices, "nav": "notices", "score_width": SCORE_WIDTH,
    })


@never_cache
@login_required
def alert_detail(request, pk):
    require_reader(request)
    alert = access.get_visible_or_404(request.user, NoticeAlert, pk)
    reads_notice = triage.reads_notice(request.user, alert)
    return render(request, "front/alert_detail.html", {
        "alert": alert, "notice": alert.notice, "reads_notice": reads_notice,
        "card": card(alert) if reads_notice else None,  # the explanation quotes the notice's names
        "scale": scale(), "nav": "notices",
        "can_triage": triage.may_triage(request.user, alert) and alert.status in TO_DECIDE,
        "can_decide": triage.may_decide(request.user, alert),
        "can_escalate": alert.status in triage.ALLOWED_FROM["escalate"],
    })


@require_POST
@login_required
def alert_decide(request, pk, decision):
    require_reader(request)
    alert = access.get_visible_or_404(request.user, NoticeAlert, pk)
    if not triage.may_triage(request.user, alert):
        raise PermissionDenied
    if decision in ("confirm", "dismiss") and not triage.reads_notice(request.user, alert):
        raise PermissionDenied
    if decision == "confirm" and request.POST.get("sure") != "yes" and alert.status in TO_DECIDE:
        # Confirming copies the request into the case and opens a task: it is asked once more.
        return render(request, "front/alert_confirm.html", {
            "alert": alert, "task_days": triage.TASK_DAYS, "kind": RequestKind(alert.notice.kind).label, "nav": "notices",
        })
    try:
        if decision == "confirm":
            triage.confirm(request.user, alert, request=request)
            messages.success(request, _("Confirmed: the notice is recorded as a legal process and a task is open."))
        elif decision == "dismiss":
            triage.dismiss(request.user, alert, request.POST.get("reason", ""), request=request)
            messages.success(request, _("Dismissed."))
        elif decision == "escalate":
            triage.escalate(request.user, alert, request.POST.get("note", ""), request=request)
            messages.success(request, _("Escalated to a coordinator."))
        else:
            raise Http404("unknown decision")
    except triage.TriageRefused as e:
        messages.error(request, " ".join(e.messages))
    return redirect("alert", alert.pk)


@never_cache
@login_required
def notice_list(request):
    require_reader(request)
    notices = Notice.objects.visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in RequestKind.values:
        notices = notices.filter(kind=kind)
    return render(request, "front/notice_list.html", {
        "page": page(request, notices), "kind": kind, "kinds": RequestKind.choices, "nav": "notices",
        "to_triage": access.visible(request.user, NoticeAlert).to_decide().count(),
    })


@never_cache
@login_required
def notice_detail(request, pk):
    require_reader(request)
    notice = visible_notice_or_404(request.user, pk)
    alerts = access.visible(request.user, NoticeAlert).filter(notice=notice).select_related("person", "case")
    subject = abuse.notice_subject(notice, request.user)
    assessment = abuse.indicators(notice, person=subject)
    return render(request, "front/notice_detail.html", {
        "notice": notice, "alerts": alerts.prefetch_related("person__names"), "versions": notice.versions.all(),
        "subject": subject, "assessment": assessment, "nav": "notices",
        "max_weight": max([i["weight"] for i in assessment["indicators"]] + [1]),
    })


@never_cache
@login_required
def notice_new(request):
    """Enter a request by hand. It is screened at once; the alerts it raises are shown on its page."""
    if not (request.user.reads_identity and request.user.edits_records):
        raise PermissionDenied
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        report = importing.import_notices(
            [form.parsed()], source=RequestSource.MANUAL, kind=form.cleaned_data["kind"], user=request.user,
            extra=form.extra(), case=form.cleaned_data["case"],
        )
        messages.success(request, _("Saved and screened against the registry."))
        return redirect("notice", report.created[0].pk)
    return render(request, "front/form.html", {"form": form, "title": _("Enter a request"), "nav": "notices"})
