"""Export requests of surveillance technology: the list, a new request (a form or a REQUEST.json),
a request's screening (any kept version), screening it again, and its memo and notification letter.

A request is seen by its author and by coordinators; auditors see none. What a screening shows of
incidents is what its screener could see; a link to an incident is shown only to a reader who may open it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shelter.audit.log import record
from shelter.exportcontrol import memo, screening
from shelter.exportcontrol.models import ExportRequest, Screening
from shelter.exportcontrol.templatetags.exports import tactic_label
from shelter.exports.controls import ScreeningError, UnknownControlCode
from shelter.exports.request import InvalidRequest, from_json
from shelter.records.models import Incident

from ..charts import bar_chart
from ..export_forms import ExportRequestForm
from .common import page
from .returns import language_of


def _reader(user):
    if user.role == "auditor":
        raise PermissionDenied


def _request_or_404(user, pk) -> ExportRequest:
    found = ExportRequest.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("not found")
    return found


@never_cache
@login_required
def export_list(request):
    _reader(request.user)
    requests = ExportRequest.objects.visible_to(request.user).prefetch_related("screenings")
    return render(request, "front/export_list.html", {"page": page(request, requests), "nav": "exports"})


@never_cache
@login_required
def export_new(request, pk=None):
    """A new request, or (``pk``) the request changed and screened again as its next version."""
    _reader(request.user)
    stored = _request_or_404(request.user, pk) if pk else None
    initial = ExportRequestForm.initial_from(stored.request) if stored else None
    form = ExportRequestForm(request.POST or None, request.FILES or None, initial=initial, language=language_of(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = screening.save(form.request(), request.user, stored, http_request=request)
        except ScreeningError as e:
            form.add_error("control_code" if isinstance(e, UnknownControlCode) else None, e.reason[language_of(request)])
        else:
            messages.success(request, _("Screened. Earlier versions are kept."))
            return redirect("export-request", result.request_id)
    title = _("Change the request and screen it again") if stored else _("Screen a proposed export")
    return render(request, "front/export_form.html", {"form": form, "title": title, "stored": stored, "nav": "exports"})


@never_cache
@login_required
def export_request(request, pk):
    _reader(request.user)
    stored = _request_or_404(request.user, pk)
    versions = list(stored.screenings.select_related("screened_by"))
    if not versions:
        raise Http404("not screened")
    shown = versions[0]
    if asked := request.GET.get("version", ""):
        shown = next((v for v in versions if str(v.version) == asked), None)
        if shown is None:
            raise Http404("no such version")
    result = shown.result
    reasons = memo.numbered_reasons(result)
    place = result["destination"]
    chart = bar_chart(list(place["incidents_by_tactic"].items()), label=tactic_label,
                      url=lambda code: reverse("incidents") + f"?origin={place['country']}&tactic={code}")
    years = bar_chart(list(place["by_year"].items()), url=lambda year: reverse("incidents") + f"?origin={place['country']}&year={year}")
    openable = _openable_incidents(request.user, result)
    record(request.user, "read", shown, request=request, object_type="export_screening", version=shown.version)
    return render(request, "front/export_request.html", {
        "stored": stored, "shown": shown, "versions": versions, "result": result, "reasons": reasons,
        "tactics_chart": chart, "years_chart": years, "openable": openable, "nav": "exports",
        "document_languages": (("en", "English"), ("ru", "Русский")),
    })


def _openable_incidents(user, result) -> dict:
    """Per matched organisation, the incidents behind the match that this reader may open now."""
    ids = {i for m in result["party_matches"] for i in m.get("incident_ids", ())}
    visible = {str(pk) for pk in Incident.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)}
    return {m["organisation"]: [i for i in m.get("incident_ids", ()) if i in visible][:20]
            for m in result["party_matches"] if m["kind"] == "organisation"}


@require_POST
@login_required
def export_rescreen(request, pk):
    """Screen the same request again (the records or the lists may have changed)."""
    _reader(request.user)
    stored = _request_or_404(request.user, pk)
    try:
        screening.save(from_json(stored.request), request.user, stored, http_request=request)
    except InvalidRequest as e:
        messages.error(request, _("This request can no longer be screened: %(reason)s") % {"reason": e})
    except ScreeningError as e:
        messages.error(request, _("This request can no longer be screened: %(reason)s") % {"reason": e.reason[language_of(request)]})
    else:
        messages.success(request, _("Screened again. Earlier versions are kept."))
    return redirect("export-request", stored.pk)


@never_cache
@login_required
def export_document(request, pk, kind):
    """The memo or the notification letter of one kept screening, as HTML or PDF; audited as an export."""
    _reader(request.user)
    if kind not in memo.KINDS:
        raise Http404("no such document")
    shown = Screening.objects.filter(pk=pk, request__in=ExportRequest.objects.visible_to(request.user)).first()
    if shown is None:
        raise Http404("not found")
    language = language_of(request)
    fmt = "pdf" if request.GET.get("format") == "pdf" else "html"
    record(request.user, "export", shown, request=request, object_type=f"export_{kind}", format=fmt, language=language)
    if fmt == "html":
        return HttpResponse(memo.render_html(shown, kind, language, links=True))
    response = HttpResponse(memo.render(shown, kind, language, "pdf"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{memo.filename(shown, kind, language, "pdf")}"'
    return response
