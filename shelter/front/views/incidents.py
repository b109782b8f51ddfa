import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shelter.records import access, tallies
from shelter.records.models import Case, Incident

from ..charts import bar_chart, tactic_label
from ..forms import ActFormSet, IncidentFilterForm, IncidentForm, InvolvementFormSet
from .common import detail_context, page, require_editor, save_audited


@login_required
def incident_list(request):
    filters = IncidentFilterForm(request.GET or None)
    incidents = access.visible(request.user, Incident)
    criteria = {}
    if filters.is_valid():
        criteria = {k: str(v) for k, v in filters.cleaned_data.items() if v not in (None, "")}
        incidents = incidents.filter_by(**criteria)
    # Counted in SQL (GROUP BY): the incidents of each tactic, each once; "None", those without one.
    question = "incidents by tactic " + json.dumps(criteria, sort_keys=True)
    by_tactic = tallies.remembered(request.user, question, lambda: list(
        incidents.order_by().values_list("tactics__code").annotate(n=Count("pk", distinct=True))
        .order_by("-n", "tactics__code")[:8]))
    listed = page(request, incidents.in_list_order().prefetch_related("tactics"))
    context = {
        "filters": filters,
        "page": listed,
        "total": listed.paginator.count,  # the count the paginator made, not a second one
        "tactic_chart": bar_chart(by_tactic, link="tactic", label=tactic_label, keep=request.GET.dict()),
    }
    return render(request, "front/incident_list.html", context)


@login_required
def incident_detail(request, pk):
    incident = access.get_visible_or_404(request.user, Incident, pk)
    context = detail_context(
        request,
        incident,
        acts=incident.acts.select_related("person", "proxy_for").prefetch_related("person__names", "sources"),
        involvements=incident.involvements.select_related("organisation", "actor").prefetch_related("actor__names"),
        sources=incident.sources.all(),
    )
    return render(request, "front/incident_detail.html", context)


def _edit(request, incident, case, title):
    data = request.POST or None
    form = IncidentForm(data, instance=incident, case=case)
    formsets = [
        ActFormSet(data, instance=incident, prefix="acts", case=case),
        InvolvementFormSet(data, instance=incident, prefix="involvements", case=case, request=request),
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        incident = save_audited(request, form, formsets, case=case)
        messages.success(request, _("Incident saved."))
        return redirect("incident", incident.pk)
    return render(request, "front/incident_form.html", {"form": form, "formsets": formsets, "title": title, "case": case})


@login_required
def incident_new(request, case_pk):
    case = access.get_visible_or_404(request.user, Case, case_pk)
    require_editor(request, case)
    return _edit(request, Incident(case=case), case, _("Record an incident"))


@login_required
def incident_edit(request, pk):
    incident = access.get_visible_or_404(request.user, Incident, pk)
    require_editor(request, incident.case)
    return _edit(request, incident, incident.case, _("Edit incident"))
