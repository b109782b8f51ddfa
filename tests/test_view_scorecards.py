"""The scorecard pages: the states with documented incidents, and one state's scorecard as origin or
host over a period — counted from the cases the reader may see, never from a "never publish" case,
hidden from auditors, and refusing bad input with a 400 that says why."""

import pytest

from .conftest import login
from .scorecard_records import SEALED, consenting, documented, documented_elsewhere, never_published  # noqa: F401

URL = "/scorecards/origin/UZ/?from=2019&to=2024"


def summary(page):
    """The first figure of the summary: the number of documented incidents."""
    return page.split("Documented incidents</dt><dd>", 1)[1].split("<", 1)[0]


@pytest.mark.attack("idor")
def test_it_counts_only_the_caseworkers_cases(client, caseworker, documented, documented_elsewhere):
    page = login(client, caseworker).get(URL).content.decode()
    assert summary(page) == "2"


def test_a_coordinator_counts_every_case(client, coordinator, documented, documented_elsewhere):
    page = login(client, coordinator).get(URL).content.decode()
    assert summary(page) == "4"


def test_a_researcher_reads_the_scorecard_of_their_cases(client, researcher, documented, documented_elsewhere):
    response = login(client, researcher).get(URL)
    assert response.status_code == 200 and summary(response.content.decode()) == "2"


@pytest.mark.attack("disclosure")
def test_it_never_counts_a_never_publish_case(client, caseworker, documented, never_published):
    page = login(client, caseworker).get(URL).content.decode()
    assert summary(page) == "2"
    assert "Assassination" not in page


@pytest.mark.attack("idor")
def test_it_hides_scorecards_from_auditors(client, auditor, documented):
    login(client, auditor)
    assert client.get("/scorecards/").status_code == 403
    assert client.get(URL).status_code == 403
    assert client.get("/scorecards/origin/UZ/brief/").status_code == 403


def test_it_asks_for_a_login(client, documented):
    assert client.get(URL).status_code == 302


def test_it_lists_the_states_with_their_counts(client, caseworker, documented):
    page = login(client, caseworker).get("/scorecards/").content.decode()
    assert 'href="/scorecards/origin/UZ/"' in page and 'href="/scorecards/host/TR/"' in page
    assert "Scorecards" in page  # in the menu too


def test_the_form_leads_to_the_scorecard(client, caseworker, documented):
    response = login(client, caseworker).get("/scorecards/?state=tr&side=host&from=2020&to=2023")
    assert response.status_code == 302 and response["Location"] == "/scorecards/host/TR/?from=2020&to=2023"


@pytest.mark.parametrize("url", [
    "/scorecards/origin/ZZ/", "/scorecards/origin/UZB/", "/scorecards/sideways/UZ/", "/scorecards/origin/UZ/?from=2024&to=2019",
    "/scorecards/origin/UZ/?from=twenty", "/scorecards/origin/UZ/?to=99999", "/scorecards/?state=UZ&side=origin&from=x",
    "/scorecards/origin/UZ/brief/?case=not-a-uuid",
])
def test_it_refuses_bad_input_with_a_400_that_says_why(client, caseworker, documented, url):
    response = login(client, caseworker).get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page


def test_it_shows_the_charts_as_accessible_svg_with_their_figures(client, caseworker, documented):
    page = login(client, caseworker).get(URL).content.decode()
    assert page.count('<svg role="img"') == 3
    assert "<?xml" not in page
    assert "The figures as a table" in page and "Journalist or blogger" in page
    assert "Returned to origin state" in page


def test_it_shows_the_caveat_and_the_sources(client, caseworker, documented):
    page = login(client, caseworker).get(URL).content.decode()
    assert "not a measure of prevalence" in page
    assert "Out of Sight, Not Out of Reach" in page and "608" in page and "1219" in page


def test_a_host_scorecard_counts_the_requests_it_decided(client, caseworker, documented):
    page = login(client, caseworker).get("/scorecards/host/TR/?from=2019&to=2024").content.decode()
    assert "Refused by Interpol: not published: 1" in page
    assert "Halt deportations and extraditions to Uzbekistan" in page


def test_it_speaks_russian(client, caseworker, documented):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Задержание" in page and "Узбекистан" in page
    assert "Documented incidents" not in page


@pytest.mark.attack("disclosure")
def test_it_shows_no_sealed_value(client, coordinator, documented):
    page = login(client, coordinator).get(URL).content.decode()
    for value in SEALED:
        assert value not in page


@pytest.mark.attack("xss")
def test_it_escapes_a_country_name_it_did_not_make(client, caseworker, documented):
    """Labels come from vocabularies, never from records; the only free input, the query, is escaped."""
    page = login(client, caseworker).get("/scorecards/?state=<script>&side=origin").content.decode()
    assert "<script>" not in page.split("<main", 1)[-1].replace("<script src=", "")


def test_nothing_on_the_page_is_inline_styled(client, caseworker, documented):
    """The Content Security Policy refuses inline styles: the charts are styled by SVG attributes."""
    from .test_headers import INLINE_STYLE

    login(client, caseworker)
    for url in (URL, "/scorecards/", f"/scorecards/host/TR/brief/?from=2019&to=2024&case={documented.pk}"):
        assert not INLINE_STYLE.search(client.get(url).content), url


def test_the_scorecard_builds_from_any_queryset_leaving_out_never_publish_cases(documented, documented_elsewhere, never_published):
    """What the static site will call: every publishable case, no user."""
    from shelter.front.scorecards import scorecard_context
    from shelter.publishing.scorecard import scope
    from shelter.records.models import Incident, LegalProcess

    context = scorecard_context(Incident.objects.all(), LegalProcess.objects.all(), scope("UZ", "origin", 2019, 2024), "en")
    assert context["card"]["incident_count"] == 4
    assert "assassination" not in dict(context["card"]["tactics"])


def test_its_queries_do_not_grow_with_the_incidents(client, coordinator, documented, documented_elsewhere):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .scorecard_records import incident_in

    login(client, coordinator)
    client.get(URL)  # the session's first request reads more
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for year in range(2019, 2025):
        incident_in(documented_elsewhere, str(year), tactics=("threats", "surveillance"))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


@pytest.mark.attack("crypto-erasure")
def test_it_never_counts_a_crypto_erased_case(client, coordinator, documented, documented_elsewhere):
    documented_elsewhere.wrapped_key = None
    documented_elsewhere.save(update_fields=["wrapped_key"])
    page = login(client, coordinator).get(URL).content.decode()
    assert summary(page) == "2"


def test_it_codes_physical_tactics_as_freedom_house_does(client, caseworker, documented):
    from .scorecard_records import incident_in

    incident_in(documented, "2023", tactics=("abduction",))
    page = login(client, caseworker).get(URL).content.decode()
    coded = page.split("As Freedom House codes them</h3>", 1)[1].split("</table>", 1)[0]
    assert "Rendition" in coded and "Abduction" not in coded
