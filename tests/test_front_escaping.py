"""Every free-text field is rendered escaped: stored markup is shown as text, never run."""

import pytest

from shelter.records.evidence import store_evidence
from shelter.records.models import (
    ContactDetail, Deadline, IdentityDocument, Incident, Involvement, LegalProcess, Organisation, Person, PersonName,
    Source,
)

from .conftest import PDF_BYTES, login

pytestmark = pytest.mark.attack("xss")

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile(case, caseworker):
    person = Person.objects.create(case=case, birth_place=PAYLOAD, notes=PAYLOAD, external_id=PAYLOAD[:100])
    PersonName.objects.create(person=person, value=PAYLOAD)
    ContactDetail.objects.create(person=person, kind="email", value=PAYLOAD)
    IdentityDocument.objects.create(person=person, kind="passport", number=PAYLOAD)
    source = Source.objects.create(case=case, kind="interview", title=PAYLOAD, url=PAYLOAD, notes=PAYLOAD, confidentiality="public")
    organisation = Organisation.objects.create(name=PAYLOAD, kind="security_service", aliases=[PAYLOAD], notes=PAYLOAD)
    incident = Incident.objects.create(case=case, title=PAYLOAD, date="2020", origin_state="TJ", host_state="RU", place=PAYLOAD, narrative=PAYLOAD)
    Involvement.objects.create(incident=incident, actor_kind="officer", organisation=organisation, actor_name=PAYLOAD)
    incident.acts.create(person=person)
    process = LegalProcess.objects.create(case=case, person=person, kind="extradition", reference=PAYLOAD, outcome=PAYLOAD)
    evidence = store_evidence(case, PAYLOAD, PAYLOAD + ".pdf", PDF_BYTES, "application/pdf", caseworker, source=source)
    Deadline.objects.create(case=case, title=PAYLOAD, due_on="2030-01-01")
    case.title = PAYLOAD
    case.notes = PAYLOAD
    case.save()
    return {"case": case, "person": person, "source": source, "organisation": organisation, "incident": incident,
            "process": process, "evidence": evidence}


PAGES = [
    lambda h: f"/cases/{h['case'].pk}/", lambda h: "/cases/", lambda h: f"/persons/{h['person'].pk}/", lambda h: "/persons/",
    lambda h: f"/incidents/{h['incident'].pk}/", lambda h: "/incidents/", lambda h: f"/processes/{h['process'].pk}/",
    lambda h: f"/sources/{h['source'].pk}/", lambda h: "/sources/", lambda h: f"/organisations/{h['organisation'].pk}/",
    lambda h: "/organisations/", lambda h: f"/evidence/{h['evidence'].pk}/", lambda h: "/",
    lambda h: f"/cases/{h['case'].pk}/edit/", lambda h: f"/persons/{h['person'].pk}/edit/",
    lambda h: f"/incidents/{h['incident'].pk}/edit/", lambda h: f"/processes/{h['process'].pk}/edit/",
]


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_stored_markup_is_shown_escaped(client, caseworker, hostile, page):
    login(client, caseworker)
    response = client.get(PAGES[page](hostile))
    assert response.status_code == 200
    assert PAYLOAD.encode() not in response.content
    assert b"<script>alert" not in response.content
    assert b"onerror=alert" not in response.content or b"&lt;img src=x onerror=alert(1)&gt;" in response.content


def test_search_results_show_stored_markup_escaped(client, caseworker, hostile):
    login(client, caseworker)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post("/search/", {"q": "alert"}, **headers)
        assert f"/persons/{hostile['person'].pk}/".encode() in response.content
        assert PAYLOAD.encode() not in response.content
        assert b"<script>alert" not in response.content


def test_the_payload_itself_appears_escaped_on_the_person_page(client, caseworker, hostile):
    login(client, caseworker)
    content = client.get(f"/persons/{hostile['person'].pk}/").content.decode()
    assert content.count(ESCAPED) >= 4  # name, birth place, contact, document number, notes


def test_a_screened_name_and_the_registered_name_it_matches_are_shown_escaped(client, caseworker, hostile):
    # PAYLOAD has more parts than the matcher takes: a registered name that is markup within the bounds.
    markup = '<script>alert("x")</script>Karimov'
    PersonName.objects.create(person=hostile["person"], value=markup, kind="alias")
    login(client, caseworker)
    query = "<script>alert(1)</script>Karimov"
    response = client.post("/screen/", {"name": markup, "aliases": query + "\n" + markup, "birth_date": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"/persons/{hostile['person'].pk}/" in content  # the registered name is on the page, in the card
    assert PAYLOAD not in content and markup not in content and query not in content
    assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Karimov" in content  # the alias, shown back in the form
    assert ESCAPED in content


def test_spellings_suggested_for_a_hostile_cyrillic_name_are_escaped(client, caseworker, hostile):
    PersonName.objects.create(person=hostile["person"], value="Каримов" + PAYLOAD, language="ru")
    client.force_login(caseworker)
    content = client.get(f"/persons/{hostile['person'].pk}/").content.decode()
    assert "spellings to search for" in content
    assert "<script>" not in content and "<img src=x" not in content
