from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shelter.audit.log import history
from shelter.records import topics
from shelter.records.models import Organisation

from ..forms import OrganisationForm
from .common import page, save_audited


def _require_reader(user):
    # Organisations are public knowledge, but auditors have no business in case material.
    if user.role == "auditor":
        raise PermissionDenied


@login_required
def organisation_list(request):
    _require_reader(request.user)
    organisations = Organisation.objects.all()
    restricted = request.GET.get("restricted") == "1"
    if restricted:
        organisations = organisations.restricted()
    query = request.GET.get("q", "").strip()
    if query:
        # In Python: SQLite folds the case of ASCII letters only, and aliases are JSON-escaped. Only
        # the names are read for every organisation (an imported list holds tens of thousands), the
        # rest for the page shown.
        needle = query.casefold()
        found = [o.pk for o in organisations.only("id", "name", "aliases", "weak_aliases")
                 if any(needle in n.casefold() for n in [o.name, *o.aliases, *o.weak_aliases])]
        shown = page(request, found)
        rows = Organisation.objects.in_bulk(list(shown.object_list))
        shown.object_list = [rows[pk] for pk in shown.object_list]
    else:
        shown = page(request, organisations)
    context = {"page": shown, "query": query, "restricted": restricted}
    return render(request, "front/organisation_list.html", context)


@login_required
def organisation_detail(request, pk):
    _require_reader(request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    context = {
        "object": organisation, "can_edit": request.user.edits_records, "history": history(organisation)[:50],
        "topics": [{"code": code, "label": topics.label(code), "restricting": code in topics.RESTRICTING}
                   for code in organisation.topics],
    }
    return render(request, "front/organisation_detail.html", context)


@login_required
def organisation_edit(request, pk=None):
    if not request.user.edits_records:
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = save_audited(request, form)
        messages.success(request, _("Organisation saved."))
        return redirect("organisation", organisation.pk)
    title = _("Edit organisation") if pk else _("Add an organisation")
    return render(request, "front/form.html", {"form": form, "title": title})
