"""The dashboard's charts by origin state and by year count, in SQL, exactly the incidents the user sees."""

from collections import Counter
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from shelter.records.models import Case, CaseAccess, Incident

from .conftest import login


def keyed(chart, key):
    """A chart's bars as {filter value: count}, in the chart's order."""
    return {parse_qs(urlsplit(bar["url"]).query)[key][0]: bar["count"] for bar in chart["bars"]}


def test_the_charts_by_origin_and_year_count_only_the_incidents_the_user_sees(client, caseworker, other_caseworker, case):
    hidden = Case.objects.create(title="Another family")
    CaseAccess.objects.create(case=hidden, user=other_caseworker)
    for date, origin in [("2021", "UZ"), ("2021-05", "UZ"), ("2021-05-03", "TJ"), ("2019-11", "UZ"), ("2018", "RU")]:
        Incident.objects.create(case=case, date=date, origin_state=origin, host_state="TR")
    for date, origin in [("2018-02", "TJ"), ("2018", "TJ"), ("2017", "KG"), ("2021", "TJ")]:
        Incident.objects.create(case=hidden, date=date, origin_state=origin, host_state="RU")
    seen = Incident.objects.visible_to(caseworker)
    assert 0 < seen.count() < Incident.objects.count()

    context = login(client, caseworker).get(reverse("dashboard")).context
    origins = Counter(i.origin_state for i in seen)
    assert keyed(context["origin_chart"], "origin") == dict(origins) == {"UZ": 3, "TJ": 1, "RU": 1}
    assert list(keyed(context["origin_chart"], "origin")) == ["UZ", "RU", "TJ"]  # most first, then by code
    years = sorted(Counter(i.date[:4] for i in seen).items())
    assert list(keyed(context["year_chart"], "year").items()) == years == [("2018", 1), ("2019", 1), ("2021", 3)]
    assert context["incident_count"] == 5
