"""The sources of the reference data: every document cited, where Shelter uses it, at which pinpoint,
and when and how each statement was verified."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shelter.assessment import sources


@login_required
def references(request):
    return render(request, "front/references.html", {"documents": sources.documents()})
