"""Name search stays within the cases the user can see, on both of its ways in: the search tokens
and the screening of the typed name."""

import pytest
from django.test import Client

from shelter.records.models import Person, PersonName

from .apiclient import api, ids, url
from .conftest import login


def found(user, query: str) -> set[Person]:
    client = Client()
    login(client, user)
    response = client.post("/search/", {"q": query})
    assert response.status_code == 200
    return set(response.context["results"])


@pytest.mark.attack("idor")
@pytest.mark.parametrize("query", ["Ulugbek Karimov", "Karimov", "Ulugbek Karimof"])  # tokens, one part, screening only
def test_it_finds_no_one_outside_the_users_cases(caseworker, other_caseworker, person, elsewhere, query):
    assert found(caseworker, query) == {person}
    assert found(other_caseworker, query) == {elsewhere}


def test_a_typing_slip_is_forgiven_through_the_screening(caseworker, person):
    assert found(caseworker, "Ulugbek Karimof") == {person}


@pytest.mark.attack("idor")
def test_persons_of_an_erased_case_are_never_found(coordinator, case, person):
    erased = Person.objects.create(case=case)
    PersonName.objects.create(person=erased, value="Зарина Раҳмонова")
    case.erase()
    assert found(coordinator, "Zarina Rakhmonova") == set()
    assert found(coordinator, "Rakhmonova") == set()


@pytest.mark.attack("idor")
def test_the_api_search_stays_within_the_tokens_cases(caseworker, person, elsewhere):
    response = api(caseworker).get(url("persons"), {"q": "Ulugbek Karimof"})
    assert ids(response) == [str(person.pk)]
