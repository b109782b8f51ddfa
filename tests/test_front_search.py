import pytest

from shelter.records.models import Case, CaseAccess, Person, PersonName

from .conftest import login


def test_it_finds_a_person_by_a_latin_alias(client, caseworker, person):
    login(client, caseworker)
    response = client.post("/search/", {"q": "karimov ulugbek"})
    assert f"/persons/{person.pk}/".encode() in response.content


def test_it_finds_a_cyrillic_name_from_a_latin_spelling_never_recorded(client, caseworker, case):
    login(client, caseworker)
    person = Person.objects.create(case=case)
    PersonName.objects.create(person=person, value="Шавкат Мирзаев")
    response = client.post("/search/", {"q": "Shavkat Mirzayev"})
    assert f"/persons/{person.pk}/".encode() in response.content


@pytest.mark.attack("idor")
def test_it_never_returns_persons_of_cases_the_user_cannot_see(client, other_caseworker, person):
    login(client, other_caseworker)
    response = client.post("/search/", {"q": "Karimov"})
    assert response.status_code == 200
    assert f"/persons/{person.pk}/".encode() not in response.content
    assert b"0 persons found" in response.content


def test_researchers_cannot_search_names(client, researcher, person):
    login(client, researcher)
    assert client.post("/search/", {"q": "Karimov"}).status_code == 403


def test_htmx_requests_get_only_the_results(client, caseworker, person):
    login(client, caseworker)
    response = client.post("/search/", {"q": "Karimov"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert f"/persons/{person.pk}/".encode() in response.content


@pytest.mark.attack("sqli")
def test_a_query_of_punctuation_finds_nothing_and_does_not_fail(client, caseworker, person):
    login(client, caseworker)
    response = client.post("/search/", {"q": "'; DROP TABLE records_person; --"})
    assert response.status_code == 200
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_coordinator_finds_people_in_every_case(client, coordinator, person):
    other = Case.objects.create(title="Another")
    CaseAccess.objects.filter(case=other).delete()
    login(client, coordinator)
    assert f"/persons/{person.pk}/".encode() in client.post("/search/", {"q": "Каримов"}).content


@pytest.mark.attack("logs")
def test_a_name_in_the_url_is_never_searched(client, caseworker, person):
    # A name in a URL stays in the browser's history, the proxy's and the server's access logs.
    login(client, caseworker)
    response = client.get("/search/", {"q": "Karimov"})
    assert response.status_code == 200
    assert f"/persons/{person.pk}/".encode() not in response.content
    assert b'value="Karimov"' not in response.content


@pytest.mark.attack("logs")
def test_the_search_form_posts_the_name_and_keeps_it_out_of_the_history(client, caseworker):
    login(client, caseworker)
    html = client.get("/search/").content.decode()
    assert '<form method="post" role="search">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "hx-post=" in html and "hx-get=" not in html and "hx-push-url" not in html
