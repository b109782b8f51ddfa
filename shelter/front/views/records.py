"""Legal processes and sources: single-form records of one case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shelter.records import access
from shelter.records.models import Case, LegalProcess, ProcessKind, Source

from ..forms import LegalProcessForm, SourceForm
from .common import detail_context, page, require_editor, save_audited


def _edit(request, obj, case, form_class, title, redirect_to):
    form = form_class(request.POST or None, instance=obj, case=case)
    if request.method == "POST" and form.is_valid():
        obj = save_audited(request, form, case=case)
        messages.success(request, _("Saved."))
        return redirect(redirect_to, obj.pk)
    return render(request, "front/form.html", {"form": form, "title": title, "case": case})


@login_required
def process_list(request):
    processes = access.visible(request.user, LegalProcess).select_related("person", "case").prefetch_related("person__names")
    kind = request.GET.get("kind", "")
    if kind in ProcessKind.values:
        processes = processes.filter(kind=kind)
    return render(request, "front/process_list.html", {"page": page(request, processes), "kind": kind})


@login_required
def process_detail(request, pk):
    process = access.get_visible_or_404(request.user, LegalProcess, pk)
    context = detail_context(request, process, sources=process.sources.all())
    return render(request, "front/process_detail.html", context)


@login_required
def process_new(request, case_pk):
    case = access.get_visible_or_404(request.user, Case, case_pk)
    require_editor(request, case)
    return _edit(request, LegalProcess(case=case), case, LegalProcessForm, _("Add a legal process"), "process")


@login_required
def process_edit(request, pk):
    process = access.get_visible_or_404(request.user, LegalProcess, pk)
    require_editor(request, process.case)
    return _edit(request, process, process.case, LegalProcessForm, _("Edit legal process"), "process")


@login_required
def source_list(request):
    sources = access.visible(request.user, Source).select_related("case")
    return render(request, "front/source_list.html", {"page": page(request, sources)})


@login_required
def source_detail(request, pk):
    source = access.get_visible_or_404(request.user, Source, pk)
    context = detail_context(
        request,
        source,
        incidents=source.incidents.prefetch_related("tactics"),
        processes=source.legal_processes.all(),
        files=source.files.all(),
    )
    return render(request, "front/source_detail.html", context)


@login_required
def source_new(request, case_pk):
    case = access.get_visible_or_404(request.user, Case, case_pk)
    require_editor(request, case)
    return _edit(request, Source(case=case), case, SourceForm, _("Add a source"), "source")


@login_required
def source_edit(request, pk):
    source = access.get_visible_or_404(request.user, Source, pk)
    require_editor(request, source.case)
    return _edit(request, source, source.case, SourceForm, _("Edit source"), "source")
