"""A person's return risk and dossier.

Both read identity data, so they are for roles that read it, on persons of cases the user sees.
An assessment is a record of the case (only its editors make one); the dossier is a download, audited
as an export with its language and format, never its content.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shelter import wording
from shelter.accounts.reauth import recent_login_required
from shelter.audit.log import record
from shelter.audit.models import AuditEvent
from shelter.records import access
from shelter.records.models import Person
from shelter.returns import assessments, dossier
from shelter.returns.models import RiskAssessment
from shelter.security import approvals

from ..risk_forms import RiskForm


def readable_person_or_404(request, pk) -> Person:
    if not request.user.reads_identity:
        raise PermissionDenied
    return access.get_visible_or_404(request.user, Person, pk)


def language_of(request) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in wording.LANGUAGES else (get_language() or "en")[:2]


@never_cache
@login_required
def risk(request, pk):
    """GET: the person's assessments, newest first, and the form. POST: assess again."""
    person = readable_person_or_404(request, pk)
    can_edit = access.can_edit(request.user, person.case)
    form = RiskForm(request.POST or None, language=language_of(request))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            stored = assessments.assess_risk(person, form.cleaned_data["destination"], user=request.user,
                                             manual=form.manual(), request=request)
            messages.success(request, _("Assessed. Earlier assessments are kept."))
            return redirect("risk-assessment", stored.pk)
    earlier = RiskAssessment.objects.filter(person=person).select_related("assessed_by")
    return render(request, "front/risk.html", {
        "person": person, "form": form, "assessments": earlier, "can_edit": can_edit, "nav": "persons",
    })


@never_cache
@login_required
def risk_assessment(request, pk):
    if not request.user.reads_identity:
        raise PermissionDenied
    stored = access.get_visible_or_404(request.user, RiskAssessment, pk)
    earlier = RiskAssessment.objects.filter(person=stored.person, destination=stored.destination).exclude(pk=stored.pk)
    result = stored.result_dict()
    return render(request, "front/risk_assessment.html", {
        "assessment": stored, "result": result, "person": stored.person, "earlier": earlier, "nav": "persons",
        **by_fact(result),
    })


def by_fact(result: dict) -> dict:
    """The result read by fact: each fact found once, with the factors it bears on; the factors not
    found, apart; each legal source once, numbered, the facts, the general situation and the principles
    citing the numbers. (The engine lists evidence and citations per factor, where one charge or one general
    comment comes back under many factors.)"""
    sources, numbers = [], {}

    def cite(citations) -> list[int]:
        cited = []
        for citation in citations or ():
            key = json.dumps(citation, sort_keys=True)
            if key not in numbers:
                sources.append(citation)
                numbers[key] = len(sources)
            if numbers[key] not in cited:
                cited.append(numbers[key])
        return cited

    facts = {}
    for factor in result.get("individual", ()):
        if not factor.get("present"):
            continue
        for evidence in factor.get("evidence") or [factor["label"]]:
            fact = facts.setdefault(json.dumps(evidence, sort_keys=True), {"text": evidence, "factors": [], "sources": []})
            fact["factors"].append(factor["label"])
            fact["sources"] += [n for n in cite(factor.get("citations")) if n not in fact["sources"]]
    general = [{**factor, "sources": cite(factor.get("citations"))} for factor in result.get("general", ())]
    principles = [{**principle, "sources": cite(principle.get("citations"))} for principle in result.get("principles", ())]
    absent = [factor["label"] for factor in result.get("individual", ()) if not factor.get("present")]
    return {"facts": list(facts.values()), "absent": absent, "general": general, "principles": principles,
            "sources": sources}


def dossier_refusal(request, person):
    """A dossier is a full identity export of one person: past ``SHELTER_DOSSIERS_PER_DAY`` in 24
    hours, each further one needs a two-person export approval that its user asked for and that
    covers the person's case, used once. None when the dossier may be made."""
    since = timezone.now() - timedelta(days=1)
    made = AuditEvent.objects.filter(actor=request.user, action="export", object_type="dossier", at__gte=since).count()
    if made < settings.SHELTER_DOSSIERS_PER_DAY:
        return None
    error = ""
    approval_id = request.GET.get("approval", "").strip()
    if approval_id:
        try:
            approvals.consume(approval_id, [person.case.reference], actor=request.user, request=request, owner=request.user)
            return None
        except approvals.ApprovalRefused:
            pass
        error = _("This approval cannot be used: it is not yours, not approved yet, already used, expired, "
                  "or for other cases.")
    context = {"person": person, "made": made, "error": error, "language": language_of(request), "nav": "persons"}
    return render(request, "front/dossier_approval.html", context, status=403)


@never_cache
@login_required
@recent_login_required
def dossier_html(request, pk):
    person = readable_person_or_404(request, pk)
    if refusal := dossier_refusal(request, person):
        return refusal
    language = language_of(request)
    html = dossier.render_html(person, language, user=request.user, links=True)
    audit(request, person, language, "html")
    return HttpResponse(html)


@never_cache
@login_required
@recent_login_required
def dossier_pdf(request, pk):
    person = readable_person_or_404(request, pk)
    if refusal := dossier_refusal(request, person):
        return refusal
    language = language_of(request)
    pdf = dossier.render_pdf(dossier.render_html(person, language, user=request.user))
    audit(request, person, language, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dossier.filename(person, language, "pdf")}"'
    return response


def audit(request, person, language: str, fmt: str) -> None:
    record(request.user, "export", person, request=request, object_type="dossier", format=fmt, language=language)
