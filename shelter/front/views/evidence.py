from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from shelter.accounts.reauth import recent_login_required
from shelter.audit.log import record
from shelter.records import access
from shelter.records.evidence import attachment_name, open_evidence, store_evidence
from shelter.records.models import Case, CustodyEvent, EvidenceFile

from ..forms import EvidenceEditForm, EvidenceForm
from .common import detail_context, page, require_editor, save_audited


@login_required
def evidence_list(request):
    files = access.visible(request.user, EvidenceFile).select_related("case", "source")
    return render(request, "front/evidence_list.html", {"page": page(request, files)})


@login_required
def evidence_edit(request, pk):
    evidence = access.get_visible_or_404(request.user, EvidenceFile, pk)
    require_editor(request, evidence.case)
    form = EvidenceEditForm(request.POST or None, instance=evidence, case=evidence.case)
    if request.method == "POST" and form.is_valid():
        save_audited(request, form)
        messages.success(request, _("Saved."))
        return redirect("evidence", evidence.pk)
    return render(request, "front/form.html", {"form": form, "title": _("Edit evidence file"), "case": evidence.case})


@login_required
def evidence_new(request, case_pk):
    case = access.get_visible_or_404(request.user, Case, case_pk)
    require_editor(request, case)
    form = EvidenceForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        evidence = store_evidence(
            case,
            title=form.cleaned_data["title"],
            original_name=upload.name,
            data=upload.read(),
            content_type=form.content_type,
            uploaded_by=request.user,
            source=form.cleaned_data["source"],
        )
        record(request.user, "upload", evidence, request=request, size=evidence.size)
        messages.success(request, _("File stored, encrypted."))
        return redirect("evidence", evidence.pk)
    return render(request, "front/form.html", {"form": form, "title": _("Upload an evidence file"), "case": case, "multipart": True})


@login_required
def evidence_detail(request, pk):
    evidence = access.get_visible_or_404(request.user, EvidenceFile, pk)
    return render(request, "front/evidence_detail.html", detail_context(request, evidence, custody=evidence.custody.all()))


@login_required
@recent_login_required
def evidence_download(request, pk):
    evidence = access.get_visible_or_404(request.user, EvidenceFile, pk)
    if not request.user.reads_identity:
        return render(request, "front/forbidden.html", status=403)
    data = open_evidence(evidence)
    CustodyEvent.objects.create(
        evidence=evidence, actor=request.user, actor_name=request.user.username, action="downloaded", sha256=evidence.sha256
    )
    record(request.user, "download", evidence, request=request)
    # Always a download with a neutral type: evidence is never rendered by the browser.
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, attachment_name(evidence))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
