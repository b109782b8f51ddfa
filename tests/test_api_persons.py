import uuid

import pytest

from shelter.audit.models import AuditEvent
from shelter.records.models import Case, CaseAccess, Person, PersonName
from tests.apiclient import api, ids, shows_identity, text_of, url

XSS = '<script>alert("x")</script>'


@pytest.fixture
def full_person(case):
    """A person with every kind of identity data."""
    data = {
        "case_id": str(case.pk),
        "birth_date": "15.08.1979",
        "birth_place": "Andijan <b>",
        "nationalities": ["uz", "SU"],
        "gender": "male",
        "profiles": ["journalist"],
        "notes": XSS + "\nSecond line",
        "external_id": "CAPE-0042",
        "names": [{"value": "Улугбек Каримов", "language": "ru"}, {"value": "Ulugbek Karimov", "kind": "alias"}],
        "contacts": [{"kind": "phone", "value": "+90 555 000 00 00"}],
        "documents": [{"kind": "passport", "number": "AA1234567", "issuing_country": "UZ", "expires_on": "2030-01"}],
        "asylum_statuses": [{"host_country": "TR", "status": "applied", "since": "2020"}],
    }
    return data


def create(user, data):
    return api(user).post(url("persons"), data, content_type="application/json")


def test_caseworker_sees_names_and_partial_dates(caseworker, person):
    body = api(caseworker).get(url(f"persons/{person.pk}")).json()
    assert [n["value"] for n in body["names"]] == ["Улугбек Каримов", "Ulugbek Karimov"]
    assert body["birth_date"] == "1979-08"
    assert body["pseudonym"] == person.pseudonym


def test_it_hides_identity_from_researchers(researcher, case, caseworker, full_person):
    created = create(caseworker, full_person).json()
    response = api(researcher).get(url(f"persons/{created['id']}"))
    assert response.status_code == 200
    body = response.json()
    assert body["pseudonym"].startswith("P-")
    for hidden in ("names", "contacts", "documents", "birth_date", "birth_place", "notes", "external_id"):
        assert body[hidden] is None
    assert body["nationalities"] == ["UZ", "SU"]
    assert not shows_identity(response)
    for secret in ("AA1234567", "555 000", "Andijan", "CAPE-0042", "1979"):
        assert secret not in text_of(response)
    assert not shows_identity(api(researcher).get(url("persons")))


def test_researchers_may_not_search_by_name(researcher, person):
    response = api(researcher).get(url("persons"), {"q": "Karimov"})
    assert response.status_code == 403
    assert not shows_identity(response)


def test_researchers_may_not_write(researcher, person, full_person):
    assert create(researcher, full_person).status_code == 403
    response = api(researcher).patch(url(f"persons/{person.pk}"), {"notes": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert Person.objects.count() == 1


@pytest.mark.attack("idor")
def test_outsider_gets_404_for_the_person(other_caseworker, person):
    client = api(other_caseworker)
    hidden = client.get(url(f"persons/{person.pk}"))
    missing = client.get(url(f"persons/{uuid.uuid4()}"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    response = client.patch(url(f"persons/{person.pk}"), {"notes": "x"}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.attack("idor")
def test_outsider_sees_the_person_neither_in_lists_nor_in_search_hits(other_caseworker, person):
    client = api(other_caseworker)
    assert client.get(url("persons")).json()["count"] == 0
    response = client.get(url("persons"), {"q": "Karimov"})
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert not shows_identity(response)


@pytest.mark.attack("idor")
def test_outsider_cannot_create_a_person_in_the_case(other_caseworker, full_person):
    assert create(other_caseworker, full_person).status_code == 404


def test_name_search_finds_any_script(caseworker, case, person):
    other = Person.objects.create(case=case)
    PersonName.objects.create(person=other, value="Rustam Rakhimov")
    client = api(caseworker)
    assert ids(client.get(url("persons"), {"q": "каримов"})) == [str(person.pk)]
    assert ids(client.get(url("persons"), {"q": "Ulugbek Karimov"})) == [str(person.pk)]
    assert ids(client.get(url("persons"), {"q": "Rakhimov"})) == [str(other.pk)]


def test_lists_can_be_narrowed_to_a_case_and_paginated(caseworker, case, person):
    second = Case.objects.create(title="Other")
    CaseAccess.objects.create(case=second, user=caseworker)
    Person.objects.create(case=second)
    client = api(caseworker)
    assert ids(client.get(url("persons"), {"case": str(case.pk)})) == [str(person.pk)]
    page = client.get(url("persons"), {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert client.get(url("persons"), {"limit": 1000}).status_code == 422


@pytest.mark.attack("xss")
def test_every_free_text_field_round_trips(caseworker, full_person):
    response = create(caseworker, full_person)
    assert response.status_code == 201
    body = api(caseworker).get(url(f"persons/{response.json()['id']}")).json()
    assert body["birth_date"] == "1979-08-15"
    assert body["birth_place"] == "Andijan <b>"
    assert body["notes"] == XSS + "\nSecond line"
    assert body["external_id"] == "CAPE-0042"
    assert [(n["value"], n["script"]) for n in body["names"]] == [("Улугбек Каримов", "Cyrl"), ("Ulugbek Karimov", "Latn")]
    assert body["contacts"][0]["value"] == "+90 555 000 00 00"
    assert body["documents"][0] | {"id": None} == {
        "id": None, "kind": "passport", "number": "AA1234567", "issuing_country": "UZ", "expires_on": "2030-01"
    }
    assert body["asylum_statuses"][0]["since"] == "2020"
    assert body["profiles"] == ["journalist"]
    assert body["nationalities"] == ["UZ", "SU"]


def test_created_names_are_searchable(caseworker, full_person):
    created = create(caseworker, full_person).json()
    assert ids(api(caseworker).get(url("persons"), {"q": "karimov"})) == [created["id"]]


def test_creation_is_audited_with_field_names_only(caseworker, full_person):
    created = create(caseworker, full_person).json()
    event = AuditEvent.objects.get(action="create", object_id=created["id"])
    assert "names" in event.fields and "birth_date" in event.fields
    assert "Karimov" not in str(event.detail) + str(event.fields)


def test_an_update_replaces_names_and_audits_what_changed(caseworker, person):
    client = api(caseworker)
    response = client.patch(
        url(f"persons/{person.pk}"),
        {"names": [{"value": "Ulugbek Karimov"}], "birth_date": "1979-08", "gender": "male"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [n["value"] for n in response.json()["names"]] == ["Ulugbek Karimov"]
    assert AuditEvent.objects.get(action="update", object_id=str(person.pk)).fields == ["names"]
    assert ids(client.get(url("persons"), {"q": "Улугбек"})) == [str(person.pk)]  # the Latin name, transliterated


def test_an_unchanged_update_changes_nothing(caseworker, person):
    names = [{"value": "Улугбек Каримов", "language": "ru"}, {"value": "Ulugbek Karimov", "kind": "alias", "language": "en"}]
    before = set(PersonName.objects.values_list("pk", flat=True))
    response = api(caseworker).patch(url(f"persons/{person.pk}"), {"names": names}, content_type="application/json")
    assert response.status_code == 200
    assert set(PersonName.objects.values_list("pk", flat=True)) == before
    assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"birth_date": "1979-13"},
        {"birth_date": "born in summer"},
        {"nationalities": ["ZZ"]},
        {"profiles": ["spy"]},
        {"gender": "unknown-value"},
        {"documents": [{"kind": "passport", "expires_on": "31.02.2030"}]},
        {"asylum_statuses": [{"host_country": "", "status": "applied"}]},
        {"names": [{"value": ""}]},
    ],
)
def test_it_refuses_invalid_values_with_a_reason(caseworker, person, change):
    response = api(caseworker).patch(url(f"persons/{person.pk}"), change, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"]
    assert Person.objects.get(pk=person.pk).birth_date == "1979-08"


def test_validation_errors_do_not_echo_identity_data(caseworker, person):
    response = api(caseworker).patch(url(f"persons/{person.pk}"), {"birth_date": "1979-08-40"}, content_type="application/json")
    assert response.status_code == 422
    assert "1979-08-40" not in response.content.decode()


@pytest.mark.attack("crypto-erasure")
def test_it_refuses_writes_to_an_erased_case(caseworker, case, person, full_person):
    case.erase()
    assert api(caseworker).patch(url(f"persons/{person.pk}"), {"notes": "x"}, content_type="application/json").status_code == 400
    assert create(caseworker, full_person).status_code == 400


def test_researchers_cannot_tell_an_empty_identity_field_from_a_filled_one(researcher, person):
    body = api(researcher).get(url(f"persons/{person.pk}")).json()
    assert body["birth_place"] is None  # empty in the record, yet null like the filled birth date
    assert body["birth_date"] is None


def test_a_repeated_submission_with_the_same_idempotency_key_is_refused(caseworker, full_person):
    from shelter.records.models import Person

    client = api(caseworker)
    before = Person.objects.count()
    first = client.post(url("persons"), full_person, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    again = client.post(url("persons"), full_person, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    assert again.status_code == 409
    assert first.json()["id"] in again.json()["detail"]
    assert Person.objects.count() == before + 1
    other = client.post(url("persons"), full_person, content_type="application/json", headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 201


@pytest.mark.attack("denial-of-service")
def test_too_many_names_or_parts_are_refused_and_nothing_is_stored(caseworker, person):
    from shelter.matching import MAX_NAMES, MAX_PARTS

    client = api(caseworker)
    too_many = [{"value": f"Karimov {chr(ord('A') + i)}li"} for i in range(MAX_NAMES + 1)]
    response = client.patch(url(f"persons/{person.pk}"), {"names": too_many}, content_type="application/json")
    assert response.status_code == 422
    assert "names" in response.content.decode()
    long = [{"value": " ".join(["Karimov"] * (MAX_PARTS + 1))}]
    response = client.patch(url(f"persons/{person.pk}"), {"names": long}, content_type="application/json")
    assert response.status_code == 422
    assert f"name has more than {MAX_PARTS} parts" in response.content.decode()
    assert person.names.count() == 2


@pytest.mark.attack("logs")
def test_a_name_search_by_post_keeps_the_name_out_of_the_url(caseworker, other_caseworker, case, person):
    # A name in a query string stays in every proxy's and server's access log.
    client = api(caseworker)
    search = lambda body: client.post(url("persons/search"), body, content_type="application/json")  # noqa: E731
    assert ids(search({"q": "каримов"})) == [str(person.pk)]
    assert ids(search({"q": "Karimov", "case": str(case.pk), "limit": 1})) == [str(person.pk)]
    assert search({"q": ""}).status_code == 422
    outsider = api(other_caseworker).post(url("persons/search"), {"q": "Karimov"}, content_type="application/json")
    assert outsider.json()["count"] == 0 and not shows_identity(outsider)
