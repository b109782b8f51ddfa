"""When a name search finds no one, the page offers to screen the name — by a POST form with its
CSRF token, so that the typed name goes into no link, no address bar and no server log."""

import re
from urllib.parse import quote, quote_plus

import pytest

from .conftest import login

NAME = "Rustam Nazarov"
URL_ATTRIBUTES = re.compile(r'(?:href|action|src|hx-get|hx-post|formaction)="([^"]*)"')


@pytest.fixture
def searched(client, caseworker, person):
    login(client, caseworker)
    return lambda query, **headers: client.post("/search/", {"q": query}, **headers).content.decode()


def offer(page: str) -> str:
    [form] = re.findall(r'<form method="post" action="/screen/" class="screen-offer">.*?</form>', page, re.S)
    return form


def test_an_empty_result_offers_to_screen_the_name_by_post(searched):
    form = offer(searched(NAME))
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<input type="hidden" name="name" value="{NAME}">' in form
    assert "Screen this name" in form


def test_the_offer_puts_the_name_in_no_url(searched):
    for page in (searched(NAME), searched(NAME, HTTP_HX_REQUEST="true")):
        urls = URL_ATTRIBUTES.findall(offer(page))
        assert urls == ["/screen/"]
        for spelling in ("Nazarov", quote(NAME), quote_plus(NAME)):
            assert not any(spelling in u for u in URL_ATTRIBUTES.findall(page))


def test_a_search_that_finds_someone_offers_nothing(searched):
    assert "screen-offer" not in searched("Karimov")


def test_the_offered_form_screens_the_name(client, searched):
    form = offer(searched(NAME))
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    response = client.post("/screen/", fields)
    assert response.status_code == 200 and response.context["screened"]


def test_the_offer_is_in_russian_for_a_russian_user(client, searched):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    form = offer(searched(NAME))
    assert "Проверить это имя" in form
