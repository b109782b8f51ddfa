"""Travel-risk advisory: for an exile from one state, the host and transit countries ranked by what
Shelter documents (detentions, extraditions, deportations, renditions of that state's nationals) and
by the treaties that ease returns. Counts across all cases only: no record is named or linked."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shelter import countries
from shelter.assessment import travel as advisory
from shelter.notices.facts import documented_incidents

ORIGINS = ("TJ", "UZ", "RU", "AZ", "KZ", "TM", "BY", "KG")
SHOWN = 15


@login_required
def travel(request):
    origin = request.GET.get("origin", "").upper()
    if not countries.is_country(origin):
        origin = ""
    planned = [code for code in request.GET.get("via", "").upper().replace(",", " ").split() if countries.is_country(code)]
    ranked = []
    if origin:
        ranked = [host.as_dict() for host in advisory.rank(origin, documented_incidents(origin), candidates=planned)]
    top = max([host["score"] for host in ranked] + [1])
    return render(request, "front/travel.html", {
        "origin": origin, "origins": ORIGINS, "via": " ".join(planned), "ranked": ranked[:SHOWN], "more": len(ranked) > SHOWN,
        "top": top, "nav": "travel",
    })
