from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelter.audit.log import record
from shelter.records import access
from shelter.records.models import Case, CaseAccess, Deadline

from ..forms import AccessForm, CaseForm, DeadlineForm
from .common import detail_context, page, require_editor, save_audited


@login_required
def case_list(request):
    cases = access.visible_cases(request.user).prefetch_related("handlers")
    status = request.GET.get("status", "")
    if status:
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
        processes=case.legalprocess_set.select_related("person"),
        sources=case.source_set.all(),
        evidence=case.evidencefile_set.all(),
        deadlines=case.deadline_set.all(),
        handlers=case.access.select_related("user"),
        deadline_form=DeadlineForm(),
        access_form=AccessForm() if access.can_manage_access(request.user) else None,
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
