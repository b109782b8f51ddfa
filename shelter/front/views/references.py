"""The sources of the reference data: every document cited, where Shelter uses it, at which pinpoint,
and when and how each statement was verified."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shelter.assessment import sources


@login_required
def references(request):
    counts = sources.verification_counts()
    total = sum(counts.values())
    shares, x = [], 0.0
    for number, n in enumerate(counts.values(), start=1):  # segments of a bar 100 units wide
        shares.append({"x": f"{x:.2f}", "width": f"{100 * n / total:.2f}", "kind": number})
        x += 100 * n / total
    return render(request, "front/references.html", {
        "documents": sources.documents(), "shares": shares, "total": total,
        "primary": counts["primary text"], "secondary": counts["secondary source"], "pending": counts["not yet"]})
