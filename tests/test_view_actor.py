"""The actor pages: adding an actor and its identifiers to a case, per-case access, researchers kept from
names and values, a caseworker told only that an identifier is also recorded informant_elsewhere, escaping and
bad input refused with the reason."""

import pytest
from django.urls import reverse

from shelter.actors.models import Actor

from .conftest import login


def test_a_caseworker_adds_an_actor_with_its_names(client, caseworker, case):
    login(client, caseworker)
    response = client.post(reverse("actor-new", args=[case.pk]), {"kind": "informant", "confidence": "alleged",
                                                                  "name": "Рустам", "aliases": "Rustam\nРуслан"})
    actor = Actor.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == reverse("actor", args=[actor.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Рустам" in page and "Руслан" in page and "Informant" in page


def test_an_identifier_is_added_and_a_bad_one_refused_with_the_reason(client, caseworker, informant):
    login(client, caseworker)
    bad = client.post(reverse("identifier-new", args=[informant.pk]), {"kind": "phone", "value": "12345", "country": "UZ"})
    assert "This is not a valid Phone number: not a valid phone number in UZ." in bad.content.decode()
    assert informant.identifiers.count() == 1
    client.post(reverse("identifier-new", args=[informant.pk]), {"kind": "telegram", "value": "@rustam_k"})
    assert informant.identifiers.count() == 2


def test_a_caseworker_learns_only_that_it_is_recorded_elsewhere(client, caseworker, informant, informant_elsewhere):
    login(client, caseworker)
    page = client.get(reverse("actor", args=[informant.pk])).content.decode()
    assert "also recorded in another case — ask a coordinator" in page
    assert informant_elsewhere.reference not in page and reverse("links") not in page
    assert client.get(reverse("links")).status_code == 403


@pytest.mark.attack("idor")
def test_someone_outside_the_case_gets_404(client, other_caseworker, informant, informant_elsewhere):
    login(client, other_caseworker)
    assert client.get(reverse("actor", args=[informant.pk])).status_code == 404
    assert client.get(reverse("identifier-new", args=[informant.pk])).status_code == 404
    assert client.post(reverse("actor-new", args=[informant.case_id]), {"name": "x"}).status_code == 404


@pytest.mark.attack("insider")
def test_researchers_see_the_actor_by_pseudonym_without_names_or_values(client, researcher, informant, informant_elsewhere):
    login(client, researcher)
    page = client.get(reverse("actor", args=[informant.pk])).content.decode()
    assert "Рустам" not in page and "123-45-67" not in page and informant.pseudonym in page
    assert client.post(reverse("identifier-new", args=[informant.pk]), {"kind": "phone", "value": "+998901111111"}).status_code == 403


@pytest.mark.attack("xss")
def test_names_and_values_with_markup_are_shown_as_text(client, caseworker, case):
    login(client, caseworker)
    client.post(reverse("actor-new", args=[case.pk]), {"kind": "unknown", "confidence": "alleged",
                                                        "name": "<script>alert(1)</script>", "notes": "<b>x</b>"})
    actor = Actor.objects.get(case=case)
    client.post(reverse("identifier-new", args=[actor.pk]), {"kind": "address", "value": "<img src=x onerror=alert(1)> Istanbul 12"})
    page = client.get(reverse("actor", args=[actor.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;" in page


def test_the_case_page_lists_its_actors(client, caseworker, informant):
    login(client, caseworker)
    page = client.get(reverse("case", args=[informant.case_id])).content.decode()
    assert reverse("actor", args=[informant.pk]) in page and reverse("actor-new", args=[informant.case_id]) in page


def test_the_actor_page_reads_in_russian(client, caseworker, informant):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("actor", args=[informant.pk])).content.decode()
    assert "Идентификаторы" in page and "Информатор" in page


def test_a_bad_identifier_is_refused_in_russian_too(client, caseworker, informant):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.post(reverse("identifier-new", args=[informant.pk]), {"kind": "phone", "value": "12345", "country": "UZ"}).content.decode()
    assert "Неверное значение для поля «Номер телефона»: неверный номер телефона для страны UZ." in page


@pytest.mark.attack("insider")
def test_a_caseworker_learns_only_that_the_actor_may_be_recorded_elsewhere(client, caseworker, informant, same_actor_elsewhere):
    from shelter.actors.models import Link

    login(client, caseworker)
    page = client.get(reverse("actor", args=[informant.pk])).content.decode()
    assert "may also be recorded in another case — ask a coordinator" in page
    link = Link.objects.get(kind="same_actor")
    for revealing in (same_actor_elsewhere.case.reference, str(same_actor_elsewhere.case_id), str(same_actor_elsewhere.pk),
                      same_actor_elsewhere.pseudonym, "Rustam Karimov", str(link), str(link.pk), reverse("links"),
                      f"{round(link.score * 100)} %"):
        assert revealing not in page


def test_an_actor_alike_to_none_elsewhere_carries_no_hint(client, caseworker, informant):
    login(client, caseworker)
    assert "may also be recorded in another case" not in client.get(reverse("actor", args=[informant.pk])).content.decode()
