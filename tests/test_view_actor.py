"""The actor pages: adding an actor and its identifiers to a case, per-case access, researchers kept from
names and values, a caseworker told only that an identifier is also recorded elsewhere, escaping and
bad input refused with the reason."""

import pytest
from django.urls import reverse

from shelter.actors.models import Actor, ActorName, Identifier
from shelter.records.models import Case, CaseAccess

from .conftest import login


@pytest.fixture
def actor(case):
    actor = Actor.objects.create(case=case, kind="informant")
    ActorName.objects.create(actor=actor, value="Рустам Каримов")
    Identifier.objects.create(actor=actor, kind="phone", value="+998 90 123-45-67")
    return actor


@pytest.fixture
def elsewhere(db, other_caseworker):
    case = Case.objects.create(title="Другое дело")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    other = Actor.objects.create(case=case, kind="consular")
    Identifier.objects.create(actor=other, kind="whatsapp", value="998901234567")
    return case


def test_a_caseworker_adds_an_actor_with_its_names(client, caseworker, case):
    login(client, caseworker)
    response = client.post(reverse("actor-new", args=[case.pk]), {"kind": "informant", "confidence": "alleged",
                                                                  "name": "Рустам", "aliases": "Rustam\nРуслан"})
    actor = Actor.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == reverse("actor", args=[actor.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Рустам" in page and "Руслан" in page and "Informant" in page


def test_an_identifier_is_added_and_a_bad_one_refused_with_the_reason(client, caseworker, actor):
    login(client, caseworker)
    bad = client.post(reverse("identifier-new", args=[actor.pk]), {"kind": "phone", "value": "12345", "country": "UZ"})
    assert "This is not a valid Phone number: not a valid phone number in UZ." in bad.content.decode()
    assert actor.identifiers.count() == 1
    client.post(reverse("identifier-new", args=[actor.pk]), {"kind": "telegram", "value": "@rustam_k"})
    assert actor.identifiers.count() == 2


def test_a_caseworker_learns_only_that_it_is_recorded_elsewhere(client, caseworker, actor, elsewhere):
    login(client, caseworker)
    page = client.get(reverse("actor", args=[actor.pk])).content.decode()
    assert "also recorded in another case — ask a coordinator" in page
    assert elsewhere.reference not in page and reverse("links") not in page
    assert client.get(reverse("links")).status_code == 403


@pytest.mark.attack("idor")
def test_someone_outside_the_case_gets_404(client, other_caseworker, actor, elsewhere):
    login(client, other_caseworker)
    assert client.get(reverse("actor", args=[actor.pk])).status_code == 404
    assert client.get(reverse("identifier-new", args=[actor.pk])).status_code == 404
    assert client.post(reverse("actor-new", args=[actor.case_id]), {"name": "x"}).status_code == 404


@pytest.mark.attack("insider")
def test_researchers_see_the_actor_by_pseudonym_without_names_or_values(client, researcher, actor, elsewhere):
    login(client, researcher)
    page = client.get(reverse("actor", args=[actor.pk])).content.decode()
    assert "Рустам" not in page and "123-45-67" not in page and actor.pseudonym in page
    assert client.post(reverse("identifier-new", args=[actor.pk]), {"kind": "phone", "value": "+998901111111"}).status_code == 403


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


def test_the_case_page_lists_its_actors(client, caseworker, actor):
    login(client, caseworker)
    page = client.get(reverse("case", args=[actor.case_id])).content.decode()
    assert reverse("actor", args=[actor.pk]) in page and reverse("actor-new", args=[actor.case_id]) in page


def test_the_actor_page_reads_in_russian(client, caseworker, actor):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("actor", args=[actor.pk])).content.decode()
    assert "Идентификаторы" in page and "Информатор" in page


def test_a_bad_identifier_is_refused_in_russian_too(client, caseworker, actor):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.post(reverse("identifier-new", args=[actor.pk]), {"kind": "phone", "value": "12345", "country": "UZ"}).content.decode()
    assert "Неверное значение для поля «Номер телефона»: неверный номер телефона для страны UZ." in page
