import pytest

from shelter.records.models import Person, PersonName

from .conftest import login


def person_form(**overrides):
    data = {
        "submission_id": "p1",
        "birth_date": "1979-08", "birth_place": "Andijan", "nationalities": ["UZ", "SU"], "gender": "male",
        "external_id": "", "notes": "",
        "names-TOTAL_FORMS": "3", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "1", "names-MAX_NUM_FORMS": "1000",
        "names-0-value": "Бахтиёр Юсупов", "names-0-kind": "primary", "names-0-language": "ru", "names-0-script": "",
        "names-1-value": "Bakhtiyor Yusupov", "names-1-kind": "alias", "names-1-language": "", "names-1-script": "",
        "names-2-value": "", "names-2-kind": "primary", "names-2-language": "", "names-2-script": "",
    }
    for prefix in ("contacts", "documents", "asylum_statuses"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(overrides)
    return data


def test_a_caseworker_adds_a_person_with_names_in_two_scripts(client, caseworker, case):
    login(client, caseworker)
    response = client.post(f"/cases/{case.pk}/persons/new/", person_form())
    person = Person.objects.get()
    assert response["Location"] == f"/persons/{person.pk}/"
    assert {n.value for n in person.names.all()} == {"Бахтиёр Юсупов", "Bakhtiyor Yusupov"}
    assert {n.script for n in person.names.all()} == {"Cyrl", "Latn"}
    assert person.nationalities == ["UZ", "SU"]
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "Бахтиёр Юсупов" in page and "August 1979" in page and "Soviet Union" in page


def test_a_person_needs_at_least_one_name(client, caseworker, case):
    login(client, caseworker)
    response = client.post(f"/cases/{case.pk}/persons/new/", person_form(**{"names-0-value": "", "names-1-value": ""}))
    assert response.status_code == 200
    assert Person.objects.count() == 0


def test_a_malformed_birth_date_is_explained(client, caseworker, case):
    login(client, caseworker)
    response = client.post(f"/cases/{case.pk}/persons/new/", person_form(birth_date="31.02.1980"))
    assert response.status_code == 200
    assert b"not a valid day" in response.content
    assert Person.objects.count() == 0


def test_an_unknown_country_code_is_refused(client, caseworker, case):
    login(client, caseworker)
    response = client.post(f"/cases/{case.pk}/persons/new/", person_form(nationalities=["XX"]))
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert Person.objects.count() == 0


def test_a_failed_edit_loses_nothing(client, caseworker, person):
    login(client, caseworker)
    data = person_form(**{"names-INITIAL_FORMS": "0", "birth_date": "not a date"})
    client.post(f"/persons/{person.pk}/edit/", data)
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.birth_date == "1979-08"
    assert {n.value for n in fresh.names.all()} == {"Улугбек Каримов", "Ulugbek Karimov"}


def test_researchers_see_pseudonymised_persons_with_profile_and_nationality(client, researcher, person):
    login(client, researcher)
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert person.pseudonym in page
    assert "Uzbekistan" in page
    assert "Каримов" not in page and "1979" not in page


def test_the_person_page_lists_other_spellings_to_search_for(client, caseworker, person):
    login(client, caseworker)
    content = client.get(f"/persons/{person.pk}/").content.decode()
    assert "other spellings to search for" in content
    assert "Ulugbek Karimow" in content  # German press
    assert "Ulugbek Karimov</li>" not in content  # recorded already: not repeated as a suggestion


def test_uzbek_names_get_the_official_latin_and_cyrillic_forms(client, caseworker, case):
    person = Person.objects.create(case=case)
    PersonName.objects.create(person=person, value="Ўткир Ҳошимов", language="uz")
    login(client, caseworker)
    content = client.get(f"/persons/{person.pk}/").content.decode()
    assert "Oʻtkir Hoshimov" in content
    assert "Utkir Khoshimov" in content


def test_researchers_get_no_spellings(client, researcher, person):
    login(client, researcher)
    assert "spellings to search for" not in client.get(f"/persons/{person.pk}/").content.decode()


def _names(values):
    data = {"names-TOTAL_FORMS": str(len(values))}
    for i, value in enumerate(values):
        data |= {f"names-{i}-value": value, f"names-{i}-kind": "alias" if i else "primary",
                 f"names-{i}-language": "", f"names-{i}-script": ""}
    return data


@pytest.mark.attack("denial-of-service")
def test_a_name_of_too_many_parts_is_refused_with_the_reason(client, caseworker, case):
    from shelter.matching import MAX_PARTS

    login(client, caseworker)
    response = client.post(f"/cases/{case.pk}/persons/new/", person_form(**_names([" ".join(["Yusupov"] * (MAX_PARTS + 1))])))
    assert response.status_code == 200
    assert f"It has more than {MAX_PARTS} parts.".encode() in response.content
    assert Person.objects.count() == 0


@pytest.mark.attack("denial-of-service")
def test_a_person_of_too_many_names_is_refused_with_the_reason(client, caseworker, case):
    from shelter.matching import MAX_NAMES

    login(client, caseworker)
    names = [f"Yusupov {chr(ord('A') + i)}li" for i in range(MAX_NAMES + 1)]
    response = client.post(f"/cases/{case.pk}/persons/new/", person_form(**_names(names)))
    assert response.status_code == 200
    assert f"At most {MAX_NAMES} names.".encode() in response.content
    assert Person.objects.count() == 0
    client.post(f"/cases/{case.pk}/persons/new/", person_form(**_names(names[:MAX_NAMES])))
    assert Person.objects.get().names.count() == MAX_NAMES
