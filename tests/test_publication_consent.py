"""Consent to publication (a person's) and "never publish" (a case's): what issue 16's publishing reads,
recorded in the form and the API, shown to those who may read it."""

import pytest

from shelter.records.models import Case, Person
from tests.apiclient import api, url

from .conftest import login
from .test_front_persons import person_form


def test_a_caseworker_records_consent_with_its_date_and_source(client, caseworker, person):
    login(client, caseworker)
    response = client.post(f"/persons/{person.pk}/edit/", person_form(
        publication_consent="anonymised", publication_consent_on="2026-03", publication_consent_source="Signed form in the file"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.publication_consent, person.publication_consent_on) == ("anonymised", "2026-03")
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "Consents to anonymised publication" in page and "Signed form in the file" in page


def test_consent_without_when_and_how_is_refused(client, caseworker, person):
    login(client, caseworker)
    response = client.post(f"/persons/{person.pk}/edit/", person_form(publication_consent="named"))
    assert response.status_code == 200 and "Say when and how the consent was given." in response.content.decode()
    person.refresh_from_db()
    assert person.publication_consent == "none"


def test_without_a_choice_there_is_no_consent(client, caseworker, case):
    login(client, caseworker)
    client.post(f"/cases/{case.pk}/persons/new/", person_form())
    assert Person.objects.get().publication_consent == "none"


@pytest.mark.attack("xss")
def test_the_consent_source_is_escaped(client, caseworker, person):
    person.publication_consent, person.publication_consent_on = "named", "2026"
    person.publication_consent_source = "<script>alert(1)</script>"
    person.save()
    page = login(client, caseworker).get(f"/persons/{person.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_researchers_see_the_consent_but_not_how_it_was_given(client, researcher, person):
    person.publication_consent, person.publication_consent_on = "anonymised", "2026"
    person.publication_consent_source = "Interview with Ulugbek's lawyer"
    person.save()
    page = login(client, researcher).get(f"/persons/{person.pk}/").content.decode()
    assert "Consents to anonymised publication" in page and "lawyer" not in page
    body = api(researcher).get(url(f"persons/{person.pk}")).json()
    assert body["publication_consent"] == "anonymised" and body["publication_consent_source"] is None


def test_the_api_records_consent(caseworker, person):
    response = api(caseworker).patch(url(f"persons/{person.pk}"), {
        "publication_consent": "named", "publication_consent_on": "2026-11-02", "publication_consent_source": "Video statement"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["publication_consent"] == "named" and response.json()["publication_consent_on"] == "2026-11-02"


def test_a_case_can_be_kept_out_of_every_publication(client, coordinator, case):
    login(client, coordinator)
    client.post(f"/cases/{case.pk}/edit/", {"title": case.title, "status": "open", "opened_on": "2026-01-01", "notes": "",
                                             "never_publish": "on"})
    case.refresh_from_db()
    assert case.never_publish
    assert "never published" in client.get(f"/cases/{case.pk}/").content.decode()
    assert api(coordinator).get(url(f"cases/{case.pk}")).json()["never_publish"] is True
    assert Case.objects.filter(never_publish=False).count() == 0
