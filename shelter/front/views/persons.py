from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shelter.matching import translit
from shelter.records import access, name_index, sealing
from shelter.records.models import Case, Person
from shelter.returns import assessments
from shelter.screening import registry
from shelter.screening.search import find_persons

from ..forms import AsylumFormSet, ContactFormSet, DocumentFormSet, NameFormSet, PersonForm
from .common import detail_context, page, require_editor, save_audited


MAX_RESULTS = 100


@login_required
def person_list(request):
    persons = access.visible(request.user, Person).select_related("case").prefetch_related("names", "profiles")
    return render(request, "front/person_list.html", {"page": page(request, persons)})


@login_required
def search(request):
    """Find a person from any spelling of their name, through the blind indexes; when none is found,
    offer to screen the name. The name comes by POST only: in a URL it would stay in the browser's
    history and in every proxy's and server's access log."""
    query = request.POST.get("q", "").strip()
    if not request.user.reads_identity:
        raise PermissionDenied
    results = []
    if query:
        persons = access.visible(request.user, Person)
        found = find_persons(persons, query, registry.screenable_cases(request.user))
        results = list(found.select_related("case").prefetch_related("names")[:MAX_RESULTS])
    context = {"query": query, "results": results, "index_stale": name_index.stale()}
    template = "front/search_results.html" if request.headers.get("HX-Request") else "front/search.html"
    return render(request, template, context)


def _person_forms(request, person, case):
    data = request.POST or None
    return (
        PersonForm(data, instance=person),
        [
            NameFormSet(data, instance=person, prefix="names"),
            ContactFormSet(data, instance=person, prefix="contacts"),
            DocumentFormSet(data, instance=person, prefix="documents"),
            AsylumFormSet(data, instance=person, prefix="asylum_statuses"),
        ],
    )


def _edit(request, person, case, title):
    form, formsets = _person_forms(request, person, case)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        person = save_audited(request, form, formsets, case=case)
        messages.success(request, _("Person saved."))
        return redirect("person", person.pk)
    return render(request, "front/person_form.html", {"form": form, "formsets": formsets, "title": title, "case": case})


@login_required
def person_new(request, case_pk):
    case = access.get_visible_or_404(request.user, Case, case_pk)
    require_editor(request, case)
    return _edit(request, Person(case=case), case, _("Add a person"))


@login_required
def person_edit(request, pk):
    person = access.get_visible_or_404(request.user, Person, pk)
    require_editor(request, person.case)
    return _edit(request, person, person.case, _("Edit person"))


MAX_SPELLINGS = 40


def other_spellings(names) -> list[str]:
    """How passports, Interpol, courts and the press of other countries may write these names (every
    romanisation scheme of each name's language), for searching other databases; recorded ones aside."""
    recorded = {name.value for name in names if isinstance(name.value, str)}
    found = {}
    for name in names:
        if not isinstance(name.value, str) or isinstance(name.value, sealing.Hidden):
            continue
        language = name.language if name.language in translit.LANGUAGES else None
        try:
            spellings = translit.variants(name.value, language)
        except ValueError:  # a language the tables do not cover
            continue
        for spelling in spellings.values():
            if spelling and spelling not in recorded:
                found.setdefault(spelling, None)
    return sorted(found)[:MAX_SPELLINGS]


@login_required
def person_detail(request, pk):
    person = access.get_visible_or_404(request.user, Person, pk)
    names = person.names.all()
    context = detail_context(
        request,
        person,
        names=names,
        spellings=other_spellings(names) if request.user.reads_identity else [],
        contacts=person.contacts.all(),
        documents=person.documents.all(),
        asylum=person.asylum_statuses.all(),
        acts=person.acts.select_related("incident").prefetch_related("incident__tactics"),
        processes=person.legal_processes.all(),
        notice_alerts=person.notice_alerts.select_related("notice") if request.user.reads_identity else [],
        risk_assessments=[(r, assessments.under_current_data(r)) for r in assessments.latest_risks(person)]
        if request.user.reads_identity else [],
    )
    return render(request, "front/person_detail.html", context)

