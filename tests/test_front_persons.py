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
        "names-2-value": "", "names-2-kind": "alias", "names-2-language": "", "names-2-script": "",
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


# --- the form as a caseworker meets it (issue 11, item 14) ----------------------------------------

def new_person_page(client, caseworker, case, language="en"):
    login(client, caseworker)
    client.cookies["django_language"] = language
    return client.get(f"/cases/{case.pk}/persons/new/").content.decode()


def test_names_come_first(client, caseworker, case):
    page = new_person_page(client, caseworker, case)
    assert page.index('name="names-0-value"') < page.index('name="birth_date"')


def test_the_first_name_is_primary_and_the_others_aliases(client, caseworker, case):
    import re

    page = new_person_page(client, caseworker, case)
    kinds = [re.search(r'<option value="(\w+)" selected>', page[page.index(f'name="names-{i}-kind"'):]).group(1)
             for i in range(3)]
    assert kinds == ["primary", "alias", "alias"]


def test_script_and_language_are_chosen_from_lists_and_detected_when_left(client, caseworker, case):
    page = new_person_page(client, caseworker, case)
    assert '<option value="Cyrl">Cyrillic</option>' in page and '<option value="tg">Tajik</option>' in page
    client.post(f"/cases/{case.pk}/persons/new/", person_form(**{"names-0-value": "Ҷамшед Раҳимов", "names-0-language": ""}))
    name = Person.objects.get().names.get(kind="primary")
    assert (name.script, name.language) == ("Cyrl", "tg")


def test_several_nationalities_are_ticked_without_javascript(client, caseworker, case):
    page = new_person_page(client, caseworker, case)
    assert 'type="checkbox" name="nationalities" value="UZ"' in page
    assert page.index('value="UZ"') < page.index('value="AF"')  # the region's states first
    client.post(f"/cases/{case.pk}/persons/new/", person_form(nationalities=["TJ", "RU"]))
    assert Person.objects.get().nationalities == ["TJ", "RU"]


@pytest.mark.parametrize("language, message", [
    ("en", "Enter at least one name: the one the person uses."),
    ("ru", "Введите хотя бы одно имя — то, которым пользуется лицо."),
])
def test_an_empty_form_asks_for_a_name_in_plain_words(client, caseworker, case, language, message):
    login(client, caseworker)
    client.cookies["django_language"] = language
    data = person_form(**{"names-0-value": "", "names-1-value": ""})
    page = client.post(f"/cases/{case.pk}/persons/new/", data).content.decode()
    assert message in page and "Please submit at least 1 form" not in page


def test_a_language_recorded_elsewhere_stays_selectable(client, caseworker, person):
    name = person.names.first()
    name.language = "ug"
    name.save()
    login(client, caseworker)
    assert '<option value="ug" selected>ug</option>' in client.get(f"/persons/{person.pk}/edit/").content.decode()


def test_a_date_after_since_takes_the_genitive_in_russian(client, caseworker, person):
    from shelter.records.models import AsylumStatus

    AsylumStatus.objects.create(case=person.case, person=person, host_country="DE", status="refugee", since="2019-08")
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "с августа 2019 г." in page and "Август" not in page
    client.cookies["django_language"] = "en"
    assert "since August 2019" in client.get(f"/persons/{person.pk}/").content.decode()
