"""Helpers every view uses: access checks, audited saves, pagination."""

from django.core.exceptions import PermissionDenied
from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _

from shelter.audit.log import history, record
from shelter.records import access
from shelter.records.counting import CappedPaginator


def require_editor(request, case):
    """403 for roles that may see but not change a case (researchers), or an erased case."""
    if not access.can_edit(request.user, case):
        raise PermissionDenied


def require_coordinator(request):
    """403 for all but those who see every case: pages that join records of several cases."""
    if not request.user.sees_all_cases:
        raise PermissionDenied


def changed_fields(form, formsets=()):
    fields = set(form.changed_data)
    for formset in formsets:
        if formset.has_changed():
            fields.add(formset.prefix)
    return fields


SUBMISSIONS_KEPT = 50


def _earlier_submission(request, model):
    """The record an identical earlier submission of this create form made (a double click, a
    re-sent POST), so that it is not created twice."""
    done = request.session.get("submissions", {}).get(request.POST.get("submission_id", ""))
    return model.objects.filter(pk=done).first() if done else None


def _remember_submission(request, obj):
    submission_id = request.POST.get("submission_id", "")
    if submission_id:
        done = request.session.get("submissions", {})
        done[submission_id] = str(obj.pk)
        request.session["submissions"] = dict(list(done.items())[-SUBMISSIONS_KEPT:])


def save_audited(request, form, formsets=(), **attrs):
    """Save a form and its inline formsets in one transaction, and log the field names changed."""
    is_new = form.instance._state.adding
    if is_new and (earlier := _earlier_submission(request, form._meta.model)):
        messages.info(request, _("This form had already been submitted: nothing was saved twice."))
        return earlier
    with transaction.atomic():
        obj = form.save(commit=False)
        for name, value in attrs.items():
            setattr(obj, name, value)
        obj.save()
        form.save_m2m()
        for formset in formsets:
            formset.instance = obj
            formset.save()
        record(request.user, "create" if is_new else "update", obj, request=request, fields=changed_fields(form, formsets))
    if is_new:
        _remember_submission(request, obj)
    return obj


def page(request, queryset, per_page=25):
    """One page of a list; the count stops past what the page needs (``records.counting``)."""
    number = request.GET.get("page")
    wanted = int(number) if str(number).isdigit() and 0 < len(str(number)) < 10 else 1
    return CappedPaginator(queryset, per_page, wanted_page=wanted).get_page(number)


def detail_context(request, obj, **extra):
    case = getattr(obj, "case", None) or (obj if obj._meta.model_name == "case" else None)
    return {
        "object": obj,
        "case": case,
        "can_edit": case is not None and access.can_edit(request.user, case),
        "history": history(obj)[:50],
        **extra,
    }
