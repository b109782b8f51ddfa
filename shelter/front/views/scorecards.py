"""Scorecards of a state as origin or host over a period, and the policy brief built on one.

Coordinators, researchers and caseworkers read them; auditors do not. Every figure counts only the
incidents and processes of cases the reader may see, and never a case marked "never publish". No
identity data is read: the scorecard is made of dates, ISO codes and vocabulary codes.
"""

import datetime
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shelter import countries
from shelter.audit.log import record
from shelter.publishing import scorecard
from shelter.records.models import Incident, LegalProcess

from .. import briefs, scorecards
from .returns import language_of

# Freedom House's incident data start in 2014: the default period begins there.
DEFAULT_FROM = 2014
MESSAGES = {
    "side": lambda: _("Choose origin or host."),
    "state": lambda: _("Choose a country from the list."),
    "from": lambda: _("Give the period as two years, the first no later than the second."),
    "to": lambda: _("Give the period as two years, the first no later than the second."),
}


def _reader(user):
    if user.role == "auditor":
        raise PermissionDenied


def _records(user):
    return Incident.objects.visible_to(user), LegalProcess.objects.visible_to(user)


def _brief_records(user):
    """A brief is made to leave Shelter: like the open data, it counts only the incidents whose every
    targeted person consented to publication, and the processes of persons who did."""
    incidents, processes = _records(user)
    return incidents.publishable(), processes.publishable()


def _scope(side, state, params):
    """The scope asked for, or (None, message) — bad input is the reader's to correct, never a 500."""
    this_year = datetime.date.today().year
    try:
        s = scorecard.scope(state, side, params.get("from") or DEFAULT_FROM, params.get("to") or this_year)
    except scorecard.ScopeError as e:
        return None, MESSAGES[e.field]()
    if not countries.is_country(s.state):
        return None, MESSAGES["state"]()
    return s, ""


def _index(request, error="", status=200):
    incidents = Incident.objects.visible_to(request.user).of_publishable_cases()
    counts = {}
    for side in scorecard.SIDES:
        for row in incidents.values(f"{side}_state").annotate(n=Count("id")):
            counts.setdefault(row[f"{side}_state"], {"origin": 0, "host": 0})[side] = row["n"]
    language = language_of(request)
    states = sorted(({"code": c, "name": countries.name(c, language), **n} for c, n in counts.items() if c),
                    key=lambda r: (-(r["origin"] + r["host"]), r["name"]))
    return render(request, "front/scorecard_index.html", {
        "states": states, "error": error, "nav": "scorecards", "asked": request.GET,
        "country_choices": countries.choices(language), "default_from": DEFAULT_FROM,
        "default_to": datetime.date.today().year,
    }, status=status)


@never_cache
@login_required
def scorecard_index(request):
    """The states with documented incidents, and the form to choose one; the form's answer redirects."""
    _reader(request.user)
    if "state" not in request.GET:
        return _index(request)
    s, error = _scope(request.GET.get("side", ""), request.GET.get("state", ""), request.GET)
    if error:
        return _index(request, error, status=400)
    return redirect(reverse("scorecard", args=[s.side, s.state]) + f"?from={s.from_year}&to={s.to_year}")


@never_cache
@login_required
def scorecard_detail(request, side, state):
    _reader(request.user)
    s, error = _scope(side, state, request.GET)
    if error:
        return _index(request, error, status=400)
    language = language_of(request)
    incidents, processes = _records(request.user)
    context = scorecards.scorecard_context(incidents, processes, s, language)
    context.update({"nav": "scorecards", "offered": scorecards.offered_cases(incidents, s),
                    "document_languages": (("en", "English"), ("ru", "Русский"))})
    return render(request, "front/scorecard_detail.html", context)


@never_cache
@login_required
def brief(request, side, state):
    """The brief as HTML or PDF, with vignettes from the chosen cases the reader may see (others are
    ignored); audited as an export, by its scope and the number of cases, never by what they hold."""
    _reader(request.user)
    s, error = _scope(side, state, request.GET)
    if error:
        return _index(request, error, status=400)
    try:
        chosen = [uuid.UUID(v) for v in request.GET.getlist("case")]
    except ValueError:
        return _index(request, _("A chosen case was not recognised."), status=400)
    incidents, processes = _brief_records(request.user)
    cases = list(scorecards.offered_cases(incidents, s).filter(pk__in=chosen))
    language = language_of(request)
    fmt = "pdf" if request.GET.get("format") == "pdf" else "html"
    record(request.user, "export", object_type="brief", object_id=f"{s.side}-{s.state}-{s.from_year}-{s.to_year}",
           request=request, format=fmt, language=language, cases=len(cases))
    if fmt == "html":
        return HttpResponse(briefs.render_html(incidents, processes, cases, s, language, links=True))
    response = HttpResponse(briefs.render(incidents, processes, cases, s, language, "pdf"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{briefs.filename(s, language, "pdf")}"'
    return response
