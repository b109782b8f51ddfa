"""The sources of the reference data: every document cited, and what Shelter draws from it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shelter.assessment import sources


@login_required
def references(request):
    return render(request, "front/references.html", {"documents": sources.documents()})
