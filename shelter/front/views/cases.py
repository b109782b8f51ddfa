from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shelter.accounts import reauth
from shelter.audit.log import record
from shelter.records import access
from shelter.records.models import Case, CaseAccess, CaseStatus, Deadline, ErasureRefused, ErasureRequest

from ..forms import AccessForm, CaseForm, DeadlineForm
from .common import detail_context, page, require_editor, save_audited
from .dashboard import agenda


@login_required
def case_list(request):
    cases = access.visible_cases(request.user).prefetch_related("handlers")
    status = request.GET.get("status", "")
    if status in CaseStatus.values:  # anything else is ignored, not sent to the database
        cases = cases.filter(status=status)
    return render(request, "front/case_list.html", {"page": page(request, cases), "status": status})


@login_required
def case_new(request):
    if not request.user.opens_cases:
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            case = save_audited(request, form)
            _access, granted = CaseAccess.objects.get_or_create(case=case, user=request.user)
            if granted:
                record(request.user, "grant", case, request=request, grantee=request.user.username)
        messages.success(request, _("Case opened."))
        return redirect("case", case.pk)
    return render(request, "front/form.html", {"form": form, "title": _("Open a case")})


@login_required
def case_detail(request, pk):
    case = access.get_visible_or_404(request.user, Case, pk)
    context = detail_context(
        request,
        case,
        persons=case.person_set.prefetch_related("names"),
        incidents=case.incident_set.prefetch_related("tactics"),
        actors=case.actor_set.prefetch_related("names").select_related("organisation"),
        processes=case.legalprocess_set.select_related("person", "notice_alert__notice"),
        sources=case.source_set.all(),
        evidence=case.evidencefile_set.select_related("artefact"),
        deadlines=case.deadline_set.all(),
        # Everything ahead, not only the dashboard's 60 days: a case has few dates.
        agenda=agenda(case.deadline_set.all(), case.legalprocess_set.all(), timezone.localdate()),
        handlers=case.access.select_related("user"),
        deadline_form=DeadlineForm(),
        access_form=AccessForm() if access.can_manage_access(request.user) else None,
        erasure_requests=case.erasure_requests.pending().select_related("requested_by"),
        may_erase=may_erase(request.user),
        erasure_form=ErasureRequestForm() if may_erase(request.user) and not case.erased else None,
    )
    return render(request, "front/case_detail.html", context)


@login_required
def case_edit(request, pk):
    case = access.get_visible_or_404(request.user, Case, pk)
    require_editor(request, case)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        save_audited(request, form)
        messages.success(request, _("Case saved."))
        return redirect("case", case.pk)
    return render(request, "front/form.html", {"form": form, "title": _("Edit case"), "case": case})


@login_required
@require_POST
def deadline_add(request, pk):
    case = access.get_visible_or_404(request.user, Case, pk)
    require_editor(request, case)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        save_audited(request, form, case=case)
        messages.success(request, _("Deadline added."))
    else:
        messages.error(request, _("The deadline was not added: %(errors)s") % {"errors": _errors(form)})
    return redirect("case", case.pk)


@login_required
@require_POST
def deadline_done(request, pk, deadline_pk):
    case = access.get_visible_or_404(request.user, Case, pk)
    require_editor(request, case)
    deadline = get_object_or_404(Deadline, pk=deadline_pk, case=case)
    deadline.done = True
    deadline.save(update_fields=["done", "updated_at"])
    record(request.user, "update", deadline, request=request, fields=["done"])
    return redirect("case", case.pk)


@login_required
@require_POST
def access_grant(request, pk):
    case = access.get_visible_or_404(request.user, Case, pk)
    if not access.can_manage_access(request.user):
        raise PermissionDenied
    # Granting opens a case's identity data to someone: the password must be fresh.
    if refusal := reauth.confirm_first(request, reverse("case", args=[case.pk])):
        return refusal
    form = AccessForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["user"]
        _access, created = CaseAccess.objects.get_or_create(case=case, user=user)
        if created:
            record(request.user, "grant", case, request=request, grantee=user.username)
        messages.success(request, _("Access granted."))
    return redirect("case", case.pk)


@login_required
@require_POST
def access_revoke(request, pk, user_pk):
    case = access.get_visible_or_404(request.user, Case, pk)
    if not access.can_manage_access(request.user):
        raise PermissionDenied
    deleted, _n = CaseAccess.objects.filter(case=case, user_id=user_pk).delete()
    if deleted:
        record(request.user, "revoke", case, request=request, grantee_id=user_pk)
    return redirect("case", case.pk)


def _errors(form):
    return "; ".join(f"{form.fields[f].label if f in form.fields else f}: {' '.join(e)}" for f, e in form.errors.items())


# Crypto-erasure: two coordinators, one to ask and another to approve.


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=ErasureRequest.REASON_MAX,
        help_text=gettext_lazy("Why this case must be erased. No names or other identity data."),
    )


def may_erase(user) -> bool:
    return user.role == "coordinator"


def _erasure_case(request, pk):
    """The case (404 if not visible), and 403 for anyone but a coordinator."""
    case = access.get_visible_or_404(request.user, Case, pk)
    if not may_erase(request.user):
        raise PermissionDenied
    return case


@login_required
@require_POST
def erasure_request(request, pk):
    case = _erasure_case(request, pk)
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Erasure was not requested: %(errors)s") % {"errors": _errors(form)})
        return redirect("case", case.pk)
    try:
        with transaction.atomic():
            erasure = ErasureRequest.open(case, request.user, form.cleaned_data["reason"])
            record(request.user, "create", erasure, request=request, fields=["reason"])
    except ErasureRefused as e:
        messages.error(request, str(e))
    except IntegrityError:  # another coordinator asked at the same moment
        messages.error(request, _("An erasure of this case is already awaiting approval."))
    else:
        messages.success(request, _("Erasure requested: another coordinator must approve it."))
    return redirect("case", case.pk)


@login_required
@require_POST
def erasure_approve(request, pk, request_pk):
    case = _erasure_case(request, pk)
    if not reauth.recently_authenticated(request):
        # The approval destroys data for good: confirm the password first, then approve again.
        messages.info(request, _("Confirm your password, then approve the erasure again."))
        return redirect(reauth.confirm_url(reverse("case", args=[case.pk])))
    with transaction.atomic():
        erasure = get_object_or_404(ErasureRequest.objects.select_for_update(), pk=request_pk, case=case)
        try:
            erasure.approve(request.user)
        except ErasureRefused as e:
            messages.error(request, str(e))
            return redirect("case", case.pk)
        record(request.user, "update", erasure, request=request, fields=["approved_by", "approved_at"])
        record(
            request.user, "erase", case, request=request,
            erasure_request=str(erasure.pk), requested_by=erasure.requested_by.get_username(),
        )
    messages.success(request, _("The case was crypto-erased."))
    return redirect("case", case.pk)


@login_required
@require_POST
def erasure_cancel(request, pk, request_pk):
    case = _erasure_case(request, pk)
    with transaction.atomic():
        erasure = get_object_or_404(ErasureRequest.objects.select_for_update(), pk=request_pk, case=case)
        try:
            erasure.cancel()
        except ErasureRefused as e:
            messages.error(request, str(e))
            return redirect("case", case.pk)
        record(request.user, "update", erasure, request=request, fields=["cancelled_at"])
    messages.success(request, _("The erasure request was cancelled."))
    return redirect("case", case.pk)
