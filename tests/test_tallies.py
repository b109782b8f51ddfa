"""The dashboard's and the incident list's figures are kept between requests (``records.tallies``), and
never outlive a write that changes them, nor cross from one user's cases to another's."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from shelter.records import tallies
from shelter.records.models import Case, CaseAccess, Incident, Term

from .conftest import login


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def incident(case, origin="UZ", date="2021-05", tactic=None):
    made = Incident.objects.create(case=case, title="Held at the border", date=date, origin_state=origin, host_state="TR")
    if tactic:
        made.tactics.add(Term.objects.get(thesaurus="tactics", code=tactic))
    return made


def total(client) -> int:
    return client.get("/").context["incident_count"]


LINKS = {"origin_chart": "origin", "year_chart": "year", "tactic_chart": "tactic"}


def chart(client, name, path="/", **params) -> dict:
    """The chart's bars as {filter value the bar links to: count}."""
    bars = client.get(path, params).context[name]["bars"]
    return {parse_qs(urlsplit(bar["url"]).query)[LINKS[name]][-1]: bar["count"] for bar in bars}


def test_a_new_incident_shows_at_once_though_the_figures_are_kept(client, caseworker, case):
    login(client, caseworker)
    incident(case)
    assert total(client) == 1
    incident(case, origin="TJ", date="2019")
    assert total(client) == 2
    assert chart(client, "origin_chart") == {"UZ": 1, "TJ": 1}
    assert chart(client, "year_chart") == {"2021": 1, "2019": 1}


def test_a_tactic_added_later_changes_the_kept_tactic_chart(client, caseworker, case):
    login(client, caseworker)
    made = incident(case, tactic="detention")
    assert chart(client, "tactic_chart", "/incidents/") == {"detention": 1}
    made.tactics.add(Term.objects.get(thesaurus="tactics", code="threats"))
    assert chart(client, "tactic_chart", "/incidents/") == {"detention": 1, "threats": 1}


@pytest.mark.attack("idor")
def test_kept_figures_are_the_users_own(client, caseworker, coordinator, case):
    hidden = Case.objects.create(title="Not the caseworker's")
    incident(case)
    incident(hidden, origin="RU")
    seeing_all = Client()
    login(seeing_all, coordinator)
    assert total(seeing_all) == 2
    login(client, caseworker)
    assert total(client) == 1 and chart(client, "origin_chart") == {"UZ": 1}


@pytest.mark.attack("idor")
def test_a_case_granted_or_withdrawn_changes_the_figures_at_once(client, caseworker, case):
    other = Case.objects.create(title="Another case")
    incident(case)
    incident(other, origin="RU")
    login(client, caseworker)
    assert total(client) == 1
    grant = CaseAccess.objects.create(case=other, user=caseworker)
    assert total(client) == 2
    grant.delete()
    assert total(client) == 1


def test_each_filter_keeps_its_own_tactic_chart(client, caseworker, case):
    login(client, caseworker)
    incident(case, origin="UZ", tactic="detention")
    incident(case, origin="TJ", tactic="threats")
    assert chart(client, "tactic_chart", "/incidents/", origin="UZ") == {"detention": 1}
    assert chart(client, "tactic_chart", "/incidents/", origin="TJ") == {"threats": 1}


def test_the_figures_are_read_once_until_the_data_changes(caseworker, case):
    incident(case)
    computed = []
    compute = lambda: computed.append(1) or [("UZ", 1)]  # noqa: E731
    assert tallies.remembered(caseworker, "q", compute) == tallies.remembered(caseworker, "q", compute)
    assert len(computed) == 1
    tallies.bump()
    tallies.remembered(caseworker, "q", compute)
    assert len(computed) == 2
