"""Suspicious messages and files in a case: upload and triage, the analysis page, its indicators as a
STIX file for MVT. Every view checks the case's access list; only users who read identity data see the
report's values (subject, addresses, links), and those only defanged, as text."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shelter.artefacts import campaigns, triage
from shelter.artefacts.models import Artefact, ArtefactIndicator, Campaign
from shelter.audit.log import record
from shelter.digital import advice, stix
from shelter.digital.findings import vocabulary
from shelter.records import access
from shelter.records.models import Case, Person

from ..forms import SuspiciousFileForm
from .common import detail_context, require_coordinator, require_editor


@login_required
def artefact_new(request, case_pk):
    case = access.get_visible_or_404(request.user, Case, case_pk)
    require_editor(request, case)
    form = SuspiciousFileForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            artefact = triage.triage_into_case(case, form.cleaned_data["name"], form.cleaned_data["data"], request.user,
                                               title=form.cleaned_data["title"], request=request)
        except triage.AlreadyStored:
            form.add_error("file" if form.cleaned_data["file"] else "pasted", _("This file is already stored in this case."))
        else:
            messages.success(request, _("Analysed offline and stored, encrypted."))
            return redirect("artefact", artefact.pk)
    return render(request, "front/form.html", {"form": form, "title": _("Triage a suspicious message or file"),
                                               "case": case, "multipart": True})


INDICATOR_TYPES = {"domain": gettext_lazy("domain"), "url": gettext_lazy("link"), "email": gettext_lazy("e-mail address"),
                   "ipv4": gettext_lazy("IP address"), "sha256": "SHA-256", "sha1": "SHA-1", "md5": "MD5",
                   "filename": gettext_lazy("file name"), "ipv6": gettext_lazy("IPv6 address"), "app": gettext_lazy("mobile app"),
                   "process": gettext_lazy("process name")}
CONTEXTS = {"From": gettext_lazy("sender"), "Reply-To": gettext_lazy("reply address"), "Received": gettext_lazy("delivery path"), "DKIM": gettext_lazy("DKIM signature"),
            "link": gettext_lazy("link"), "attachment": gettext_lazy("attachment")}


def _labels() -> dict:
    language = "ru" if (get_language() or "en").startswith("ru") else "en"
    return {kind: entry["label"][language] for kind, entry in vocabulary()["kinds"].items()}


@login_required
def artefact_detail(request, pk):
    artefact = access.get_visible_or_404(request.user, Artefact, pk)
    reports = triage.reports_of(artefact)
    labels = _labels()
    russian = (get_language() or "en").startswith("ru")
    if reports is not None:
        for report in reports:
            for finding in report["findings"]:
                finding["label"] = labels.get(finding["kind"], finding["kind"])
                finding["text"] = finding.get("summary_ru") if russian and finding.get("summary_ru") else finding["summary"]
            for indicator in report["indicators"]:
                indicator["type_label"] = INDICATOR_TYPES.get(indicator["type"], indicator["type"])
                context = indicator["context"]
                indicator["context_label"] = CONTEXTS.get(context) or (_("file %(name)s") % {"name": context[5:]} if context.startswith("file ") else context)
    kinds = [labels.get(k, k) for k in artefact.kinds.split(",") if k]
    sheet = [item["ru" if russian else "en"] for item in _advice(artefact)]
    return render(request, "front/artefact_detail.html",
                  detail_context(request, artefact, reports=reports, kinds=kinds, evidence=artefact.evidence,
                                 other_cases=campaigns.other_cases(artefact), advice=sheet))


def _advice(artefact):
    return advice.choose(artefact.goal_list, [k for k in artefact.kinds.split(",") if k])


@login_required
def artefact_advice(request, pk):
    """A one-page sheet for the person who received the message, in the language they read."""
    artefact = access.get_visible_or_404(request.user, Artefact, pk)
    language = "ru" if request.GET.get("language") == "ru" else "en"
    return render(request, "front/artefact_advice.html",
                  {"items": [item[language] for item in _advice(artefact)], "language": language, "artefact": artefact,
                   "case": artefact.case})



@login_required
def campaign_list(request):
    require_coordinator(request)
    rows = []
    for campaign in Campaign.objects.prefetch_related("artefacts"):
        artefacts = list(campaign.artefacts.all())
        rows.append({"campaign": campaign, "artefacts": len(artefacts), "cases": len({a.case_id for a in artefacts}),
                     "first": min(a.created_at for a in artefacts) if artefacts else None,
                     "last": max(a.created_at for a in artefacts) if artefacts else None})
    return render(request, "front/campaign_list.html", {"rows": rows, "nav": "campaigns"})


@login_required
def campaign_detail(request, pk):
    require_coordinator(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    artefacts = list(campaign.artefacts.select_related("case").order_by("created_at"))
    labels = _labels()
    timeline = [{"artefact": a, "kinds": [labels.get(k, k) for k in a.kinds.split(",") if k]} for a in artefacts]
    profiles = {}
    for person in Person.objects.filter(case__in={a.case_id for a in artefacts}).prefetch_related("profiles"):
        for term in person.profiles.all():
            profiles[term.code] = profiles.get(term.code, 0) + 1
    indicators = {}
    for artefact in artefacts:
        for report in triage.reports_of(artefact) or []:
            for indicator in report["indicators"]:
                key = (indicator["type"], indicator["value"])
                indicators.setdefault(key, set()).add(artefact.pk)
    shared = sorted(((INDICATOR_TYPES.get(t, t), v, len(seen)) for (t, v), seen in indicators.items() if len(seen) > 1),
                    key=lambda x: -x[2])
    return render(request, "front/campaign_detail.html",
                  {"campaign": campaign, "timeline": timeline, "linked_by": _linked_by(campaign), "profiles": sorted(profiles.items(), key=lambda x: -x[1]),
                   "shared": shared, "nav": "campaigns"})


@login_required
def artefact_stix(request, pk):
    artefact = access.get_visible_or_404(request.user, Artefact, pk)
    reports = triage.reports_of(artefact)
    if reports is None or not request.user.reads_identity:
        return render(request, "front/forbidden.html", status=403)
    record(request.user, "export", artefact, request=request, format="stix2")
    return _stix_download(stix.of_reports(reports, f"Shelter {artefact.case.reference}"), f"{artefact.pk}.stix2")


def _stix_download(bundle: dict, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(bundle, indent=2), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


LINKS = {"email": gettext_lazy("an address"), "domain": gettext_lazy("a domain"), "ipv4": gettext_lazy("a sending server"),
         "sha256": gettext_lazy("the same file"), "file": gettext_lazy("a similar file"), "lure": gettext_lazy("similar wording")}


def _linked_by(campaign) -> list[str]:
    """What its messages and files have in common, by kind (the values are on the table below)."""
    shared = (ArtefactIndicator.objects.filter(artefact__campaign=campaign).values("type", "digest")
              .annotate(n=Count("artefact", distinct=True)).filter(n__gt=1).values_list("type", flat=True))
    return [str(label) for type_, label in LINKS.items() if type_ in set(shared)]


@login_required
def campaign_stix(request, pk):
    """The indicators of every message and file of a campaign, for checking the targets' phones with MVT."""
    require_coordinator(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    record(request.user, "export", campaign, request=request, format="stix2")
    return _stix_download(campaigns.stix_bundle(campaign), f"campaign-{campaign}.stix2")
