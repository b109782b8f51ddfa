"""Actors of a case and the identifiers they leave; the links between cases their identifiers make, and
those of actors likely the same. A caseworker learns of a link only that the identifier is "also
recorded in another case", or that the actor "may also be recorded in another case"; coordinators, who
see every case, see both sides and confirm or reject it (audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelter.actors import links
from shelter.actors.models import Actor, Identifier, Link, LinkSide, LinkStatus
from shelter.audit.log import record
from shelter.records import access
from shelter.records.models import Case

from ..forms import ActorForm, IdentifierForm
from .common import detail_context, require_coordinator, require_editor, save_audited


@login_required
def actor_new(request, case_pk):
    case = access.get_visible_or_404(request.user, Case, case_pk)
    require_editor(request, case)
    form = ActorForm(request.POST or None, instance=Actor(case=case), case=case)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            actor = save_audited(request, form, case=case)
            actor.set_names(form.cleaned_data["name"], form.cleaned_data["aliases"])
        messages.success(request, _("Saved."))
        return redirect("actor", actor.pk)
    return render(request, "front/form.html", {"form": form, "title": _("Add an actor"), "case": case})


@login_required
def actor_detail(request, pk):
    actor = access.get_visible_or_404(request.user, Actor, pk)
    shown = list(actor.identifiers.all())
    elsewhere = links.identifiers_recorded_elsewhere(shown)  # one query for them all
    identifiers = [{"identifier": i, "elsewhere": i.pk in elsewhere} for i in shown]
    return render(request, "front/actor_detail.html",
                  detail_context(request, actor, names=actor.names.all(), identifiers=identifiers,
                                 elsewhere=links.may_be_recorded_elsewhere(actor),
                                 involvements=actor.involvements.select_related("incident"), sources=actor.sources.all()))


@login_required
def identifier_new(request, actor_pk):
    actor = access.get_visible_or_404(request.user, Actor, actor_pk)
    require_editor(request, actor.case)
    form = IdentifierForm(request.POST or None, instance=Identifier(actor=actor), owner=actor)
    if request.method == "POST" and form.is_valid():
        save_audited(request, form, actor=actor)
        messages.success(request, _("Saved."))
        return redirect("actor", actor.pk)
    return render(request, "front/form.html", {"form": form, "title": _("Add an identifier"), "case": actor.case})



@login_required
def link_list(request):
    require_coordinator(request)
    status = request.GET.get("status", LinkStatus.OPEN)
    shown = Link.objects.filter(status=status) if status in LinkStatus.values else Link.objects.all()
    # Every link's sides, their cases, identifiers, actors and actors' names in one query each.
    sides = Prefetch("sides", LinkSide.objects.select_related("case", "identifier__actor", "actor")
                     .prefetch_related("actor__names", "identifier__actor__names"))
    rows = [{"link": link, "sides": link.sides.all(),
             "percent": round(link.score * 100) if link.score is not None else None, "reasons": reasons_shown(link.reasons)}
            for link in shown.prefetch_related(sides)]
    return render(request, "front/link_list.html", {"rows": rows, "status": status, "statuses": LinkStatus.choices, "nav": "links"})


def reasons_shown(reasons: list[dict]) -> list[str]:
    """Why two actors are likely one, in the reader's language (shelter.network.likeness's codes)."""
    labels = {
        "organisation": _("the same organisation"),
        "city": _("incidents in the same city"),
        "country": _("incidents in the same host country"),
        "period": _("active in the same period"),
    }
    shown = []
    for reason in reasons:
        code = reason.get("code")
        if code in ("name", "one_part_name"):
            similarity = round(100 * reason.get("similarity", 0))
            shown.append(_("names alike (%(similarity)s %%)") % {"similarity": similarity} if code == "name"
                         else _("a single name alike (%(similarity)s %%), which many share") % {"similarity": similarity})
        elif code in labels:
            shown.append(labels[code])
    return shown


@login_required
@require_POST
def link_decide(request, pk):
    require_coordinator(request)
    link = get_object_or_404(Link, pk=pk)
    decision = request.POST.get("decision")
    if decision not in (LinkStatus.CONFIRMED, LinkStatus.REJECTED):
        return render(request, "front/forbidden.html", status=400)
    link.status, link.decided_by, link.decided_at = decision, request.user, timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    record(request.user, "update", link, request=request, fields=["status"], decision=decision)
    messages.success(request, _("Link confirmed.") if decision == LinkStatus.CONFIRMED else _("Link rejected."))
    return redirect("links")
