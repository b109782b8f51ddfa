"""Screen a name: does a person named in an Interpol notice or an extradition request match someone
in the registry of people at risk?

The name travels in a POST body only (never in a URL), is never stored, and the audit event of a
screening holds counts, never the name.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shelter.audit.log import record
from shelter.matching import THRESHOLD
from shelter.records import access, name_index, sealing
from shelter.records.middleware import MAX_LOGGED_OBJECTS
from shelter.records.models import Person
from shelter.screening import registry

from ..charts import svg_length
from ..screening_forms import ScreenForm

# Drawing sizes of the SVG pictures (viewBox units); the templates only place what is computed here.
SCORE_WIDTH = 400
PART_WIDTH = 100


def reasons():
    """Why two name parts go together, as a user would say it."""
    return {
        "same": _("same spelling"),
        "transliteration": _("same name in another script"),
        "variant": _("variant of the same given name"),
        "spelling": _("another spelling of the same sound"),
        "orthography": _("the same name as another language's press spells it"),
        "derussified": _("national form of the surname"),
        "nickname": _("short form of the given name"),
        "initial": _("initial"),
        "similar": _("typing slip"),
        "split": _("one part written in two"),
    }


def notes():
    return {
        "conflicting_parts": _("Some parts both names have do not match."),
        "extra_parts": _("One name has parts the other lacks."),
        "one_part_only": _("Only one part of the names matches."),
        "initials_only": _("One name is made of initials only."),
    }


def feature_label(feature, contribution):
    agrees = contribution >= 0
    labels = {
        "birth_date": (_("Birth dates agree"), _("Birth dates differ")),
        "nationality": (_("Nationalities agree"), _("Nationalities differ")),
        "gender": (_("Genders agree"), _("Genders differ")),
        "documents": (_("Same identity document"), _("Identity documents differ")),
    }
    agree, differ = labels.get(feature, (feature, feature))
    return agree if agrees else differ


def explain(result):
    return explain_features(result.explanation(), result.score)


def explain_features(features: list, score: float):
    """The matcher's explanation as the template draws it: aligned parts with their similarity and
    reason, the parts one side only has, and the other facts with their signed contributions."""
    name = next((f for f in features if f["feature"] == "name"), None) or {}
    reason_labels, note_labels = reasons(), notes()
    parts = [
        {
            "a": p["a"], "b": p["b"], "similarity": p["similarity"], "width": svg_length(p["similarity"], PART_WIDTH),
            "reason": p["reason"], "reason_label": reason_labels.get(p["reason"], p["reason"]),
        }
        for p in name.get("parts", [])
    ]
    others = []
    for f in features:
        if f["feature"] == "name":
            continue
        c = f["contribution"]
        others.append({
            "feature": f["feature"], "label": feature_label(f["feature"], c), "contribution": c, "positive": c >= 0,
            "signed": ("+" if c >= 0 else "−") + number_format(abs(c), 2),
        })
    name_score = name.get("contribution", 0.0)
    total = name_score + sum(f["contribution"] for f in others)
    return {
        "name_score": name_score,
        "capped": abs(total - score) > 0.005,
        "query_name": name.get("a", ""),
        "registry_name": name.get("b", ""),
        "parts": parts,
        "only_in_query": name.get("only_in_a", []),
        "only_in_registry": name.get("only_in_b", []),
        "notes": [note_labels.get(n, n) for n in name.get("notes", [])],
        "features": others,
    }


def cards(user, alerts):
    """One card per alert, best score first. The registry screens only the cases ``user`` can see;
    each person is checked again here, as every view does."""
    ids = [alert.person.pk for alert in alerts]
    visible = set(access.visible(user, Person).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        {
            "person": alert.person, "score": alert.result.score, "score_width": svg_length(alert.result.score, SCORE_WIDTH),
            "explanation": explain(alert.result),
        }
        for alert in sorted(alerts, key=lambda a: -a.result.score)
        if alert.person.pk in visible
    ]


def scale():
    return {
        "width": SCORE_WIDTH, "threshold": THRESHOLD, "threshold_x": svg_length(THRESHOLD, SCORE_WIDTH),
        "part_width": PART_WIDTH,
    }


@never_cache  # the page holds the screened name and the names it matched: no browser cache keeps it
@login_required
def screen(request):
    """GET: the form. POST: screen the person it describes against the registry, as this user sees it."""
    if not request.user.reads_identity:
        raise PermissionDenied
    form = ScreenForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form, "screened": False, "threshold": THRESHOLD, "scale": scale(), "nav": "screen",
        "index_stale": name_index.stale(),
    }
    if request.method == "POST" and form.is_valid():
        context["alerts"] = cards(request.user, registry.screen(request.user, form.person))
        context["screened"] = True
    template = "front/screen_panel.html" if request.headers.get("HX-Request") else "front/screen.html"
    response = render(request, template, context)
    if context["screened"]:
        audit(request, form, len(context["alerts"]))
    return response


def audit(request, form, alerts):
    """One event per screening, shaped like the request middleware's read events (``count``,
    ``objects``: the records decrypted to score the candidates and show the alerts, so that insider
    alerts count them), with how many alerts and which facts were given — never the name. The reads
    it lists are taken out of the request's scope: the middleware does not log them a second time."""
    scope = sealing.current()
    objects = [{"type": t, "id": i, "case": str(c)} for (t, i), c in scope.reads.items()]
    record(
        request.user, "read_identity", request=request, object_type="screening", fields=form.filled(),
        path=request.resolver_match.view_name, alerts=alerts, aliases=len(form.cleaned_data["aliases"]),
        count=len(objects), objects=objects[:MAX_LOGGED_OBJECTS],
    )
    scope.reads.clear()
