"""Long lists count only as far as their page needs (``records.counting``): past the cap, the page and
the API say "more than", and a later page is still reached. The cap is lowered here to 3 records (a
page of the UI, 25, then bounds the count)."""

import pytest

from shelter.records import counting
from shelter.records.models import Case, CaseAccess, Incident

from .apiclient import api, url
from .conftest import login


@pytest.fixture
def five_incidents(case):
    for n in range(5):
        Incident.objects.create(case=case, title=f"Incident {n}", date=f"2020-0{n + 1}", origin_state="UZ", host_state="TR")


@pytest.fixture
def thirty_incidents(case):
    Incident.objects.bulk_create(Incident(case=case, title=f"Incident {n}", date="2021", origin_state="UZ",
                                          host_state="TR") for n in range(30))


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(counting, "CAP", 3)


def test_the_incident_list_counts_to_the_end_of_its_page_and_says_more(client, caseworker, thirty_incidents, small_cap):
    login(client, caseworker)
    page = client.get("/incidents/").content.decode()
    assert "More than 25 incidents" in page and "Page 1 of more than 1" in page and "page=2" in page
    last = client.get("/incidents/", {"page": 2}).content.decode()
    assert "30 incidents" in last and "Page 2 of 2" in last and "More than" not in last


def test_below_the_cap_the_count_is_exact(client, caseworker, five_incidents):
    login(client, caseworker)
    page = client.get("/incidents/").content.decode()
    assert "5 incidents" in page and "More than" not in page


def test_the_russian_page_says_more_than_too(client, caseworker, thirty_incidents, small_cap):
    login(client, caseworker)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get("/incidents/").content.decode()
    assert "Более 25 инцидентов" in page and "Страница 1 из более чем 1" in page


def test_the_api_counts_to_the_cap_and_says_there_is_more(caseworker, five_incidents, small_cap):
    body = api(caseworker).get(url("incidents"), {"limit": 1}).json()
    assert (body["count"], body["more"], len(body["items"])) == (3, True, 1)


def test_the_api_counts_as_far_as_a_later_page_reaches(caseworker, five_incidents, small_cap):
    body = api(caseworker).get(url("incidents"), {"limit": 1, "offset": 3}).json()
    assert (body["count"], body["more"], len(body["items"])) == (4, True, 1)
    body = api(caseworker).get(url("incidents"), {"limit": 2, "offset": 3}).json()
    assert (body["count"], body["more"], len(body["items"])) == (5, False, 2)


@pytest.mark.attack("idor")
def test_a_capped_count_counts_only_what_the_user_may_see(caseworker, five_incidents, small_cap):
    hidden = Case.objects.create(title="Not the caseworker's")
    for n in range(5):
        Incident.objects.create(case=hidden, title=f"Hidden {n}", date="2020", origin_state="UZ", host_state="TR")
    assert not CaseAccess.objects.filter(case=hidden, user=caseworker).exists()
    body = api(caseworker).get(url("incidents"), {"limit": 5}).json()
    assert (body["count"], body["more"]) == (5, False)
