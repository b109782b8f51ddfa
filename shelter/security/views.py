"""The security pages: lockdown switch and insider alerts (administrators), two-person export
approvals (coordinators and administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelter.accounts import reauth
from shelter.records.models import Case

from . import alerts, approvals, lockdown
from .models import Alert, ExportApproval, Lockdown

MAX_REASON = 500


def administrator_only(request):
    if not request.user.manages_users:
        raise PermissionDenied


@login_required
def overview(request):
    administrator_only(request)
    context = {
        "lockdown": Lockdown.current(),
        "open_alerts_list": Alert.objects.filter(acknowledged_at=None).select_related("user"),
        "acknowledged": Alert.objects.exclude(acknowledged_at=None).select_related("user", "acknowledged_by")[:20],
        "nav": "security",
    }
    return render(request, "security/overview.html", context)


@login_required
@require_POST
def lockdown_switch(request):
    """Exempt from the lockdown itself, so that an administrator can lift it."""
    administrator_only(request)
    state = request.POST.get("state")
    if state == "on":
        lockdown.turn_on(request.user, request=request)
        # Every session was revoked, this one included: the administrator logs in again.
        return redirect("login")
    if state == "off":
        # Turning it on never waits; lifting it is what an attacker holding the session would want.
        if refusal := reauth.confirm_first(request, reverse("security")):
            return refusal
        lockdown.turn_off(request.user, request=request)
        messages.success(request, _("Lockdown lifted: Shelter accepts changes again."))
        return redirect("security")
    messages.error(request, _("Choose whether to turn lockdown on or off."))
    return redirect("security")


@login_required
@require_POST
def alert_acknowledge(request, pk):
    administrator_only(request)
    alert = get_object_or_404(Alert, pk=pk)
    if alerts.acknowledge(alert, request.user, request=request):
        messages.success(request, _("Alert acknowledged."))
    return redirect("security")


def approver_only(request):
    if not approvals.may_handle(request.user):
        raise PermissionDenied


@login_required
def export_approvals(request):
    approver_only(request)
    errors = {}
    if request.method == "POST":
        errors = _request_export(request)
        if not errors:
            return redirect("security-exports")
    context = {
        "approvals": ExportApproval.objects.select_related("requested_by", "approved_by")[:50],
        "errors": errors,
        "form": request.POST if errors else {},
        "nav": "security",
    }
    return render(request, "security/exports.html", context, status=400 if errors else 200)


def _request_export(request) -> dict:
    reason = request.POST.get("reason", "").strip()
    references = request.POST.get("cases", "").split()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why this export is needed.")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("Keep the reason under 500 characters.")
    known = set(Case.objects.filter(reference__in=references).values_list("reference", flat=True))
    unknown = [ref for ref in references if ref not in known]
    if unknown:
        errors["cases"] = _("No case with reference %(refs)s.") % {"refs": ", ".join(unknown)[:200]}
    if not errors:
        approval = approvals.request_export(request.user, reason, list(dict.fromkeys(references)), request=request)
        messages.success(request, _("Export requested. Another coordinator or administrator must approve request %(id)s.")
                         % {"id": approval.pk})
    return errors


@login_required
@require_POST
def export_approve(request, pk):
    approver_only(request)
    approval = get_object_or_404(ExportApproval, pk=pk)
    if refusal := reauth.confirm_first(request, reverse("security-exports")):
        return refusal
    try:
        approvals.approve(approval, request.user, request=request)
    except ValueError as e:
        messages.error(request, str(e))
        return redirect("security-exports")
    messages.success(request, _("Export approved: it can be run once within 24 hours of the request."))
    return redirect("security-exports")
