import uuid

import pytest

from shelter.audit.models import AuditEvent
from shelter.records.models import Case, CaseAccess, Incident, Organisation, Person, PersonName, Source
from shelter.records.thesauri import term
from tests.apiclient import api, ids, shows_identity, text_of, url

XSS = '"><script>alert(1)</script>'


@pytest.fixture
def source(case):
    return Source.objects.create(case=case, kind="interview", title="Interview with Karimov")


@pytest.fixture
def agency(db):
    return Organisation.objects.create(name="SNB", kind="security_service", country="UZ")


@pytest.fixture
def incident_data(case, person, source, agency):
    return {
        "case_id": str(case.pk),
        "title": "Abduction attempt on Karimov",
        "date": "2019-03",
        "origin_state": "uz",
        "host_state": "TR",
        "place": "Istanbul, Fatih <i>",
        "tactics": ["detention", "assault"],
        "narrative": "Karimov was followed " + XSS,
        "outcome": "released",
        "host_complicity": "passive",
        "people_targeted": 2,
        "accusation": "terrorism_extremism",
        "source_ids": [str(source.pk)],
        "acts": [{"person_id": str(person.pk), "role": "victim", "source_ids": [str(source.pk)]}],
        "involvements": [
            {"actor_kind": "agency", "organisation_id": str(agency.pk)},
            {"actor_kind": "officer", "actor_name": "Officer Karimov-Namesake"},
        ],
    }


@pytest.fixture
def incident(caseworker, incident_data):
    response = create(caseworker, incident_data)
    assert response.status_code == 201, response.content
    return Incident.objects.get(pk=response.json()["id"])


def create(user, data):
    return api(user).post(url("incidents"), data, content_type="application/json")


@pytest.mark.attack("xss")
def test_caseworker_sees_the_incident_whole(caseworker, incident, incident_data, person, source, agency):
    body = api(caseworker).get(url(f"incidents/{incident.pk}")).json()
    for field in ("title", "date", "place", "narrative", "outcome", "host_complicity", "people_targeted", "accusation"):
        assert body[field] == incident_data[field]
    assert (body["origin_state"], body["host_state"]) == ("UZ", "TR")
    assert sorted(body["tactics"]) == ["assault", "detention"]
    assert body["source_ids"] == [str(source.pk)]
    assert body["acts"][0]["person_id"] == str(person.pk)
    assert body["acts"][0]["person_pseudonym"] == person.pseudonym
    assert body["acts"][0]["source_ids"] == [str(source.pk)]
    assert [i["organisation_id"] for i in body["involvements"]] == [str(agency.pk), None]
    assert body["involvements"][1]["actor_name"] == "Officer Karimov-Namesake"


def test_it_hides_identity_from_researchers(researcher, incident, person):
    response = api(researcher).get(url(f"incidents/{incident.pk}"))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] is None and body["narrative"] is None and body["place"] is None
    assert body["involvements"][1]["actor_name"] is None
    assert body["acts"][0]["person_pseudonym"] == person.pseudonym
    assert sorted(body["tactics"]) == ["assault", "detention"]
    assert not shows_identity(response)
    assert "Istanbul" not in text_of(response)
    assert not shows_identity(api(researcher).get(url("incidents")))


def test_researchers_may_not_write(researcher, incident, incident_data):
    assert create(researcher, incident_data).status_code == 403
    response = api(researcher).patch(url(f"incidents/{incident.pk}"), {"outcome": "killed"}, content_type="application/json")
    assert response.status_code == 403
    assert Incident.objects.get(pk=incident.pk).outcome == "released"


@pytest.mark.attack("idor")
def test_outsider_gets_404_and_sees_nothing_in_lists(other_caseworker, incident):
    client = api(other_caseworker)
    hidden = client.get(url(f"incidents/{incident.pk}"))
    assert hidden.status_code == 404
    assert hidden.content == client.get(url(f"incidents/{uuid.uuid4()}")).content
    assert client.patch(url(f"incidents/{incident.pk}"), {"outcome": "killed"}, content_type="application/json").status_code == 404
    assert client.get(url("incidents")).json()["count"] == 0
    assert client.get(url("incidents"), {"origin": "UZ"}).json()["count"] == 0


@pytest.mark.attack("idor")
def test_it_refuses_a_person_of_another_case(caseworker, incident_data):
    other_case = Case.objects.create(title="Other")
    CaseAccess.objects.create(case=other_case, user=caseworker)
    stranger = Person.objects.create(case=other_case)
    incident_data["acts"] = [{"person_id": str(stranger.pk)}]
    response = create(caseworker, incident_data)
    assert response.status_code == 422
    assert "person" in response.json()["detail"]
    assert not Incident.objects.exists()


@pytest.mark.attack("idor")
def test_a_person_of_an_invisible_case_gets_the_same_answer_as_an_unknown_id(caseworker, incident_data):
    hidden_person = Person.objects.create(case=Case.objects.create(title="Not yours"))
    incident_data["acts"] = [{"person_id": str(hidden_person.pk)}]
    hidden = create(caseworker, incident_data)
    incident_data["acts"] = [{"person_id": str(uuid.uuid4())}]
    unknown = create(caseworker, incident_data)
    assert hidden.status_code == unknown.status_code == 422
    assert hidden.content == unknown.content


@pytest.mark.attack("idor")
def test_it_refuses_a_source_of_another_case(caseworker, incident_data):
    foreign = Source.objects.create(case=Case.objects.create(title="Other"), kind="interview")
    incident_data["source_ids"] = [str(foreign.pk)]
    assert create(caseworker, incident_data).status_code == 422


@pytest.mark.parametrize(
    "change",
    [
        {"tactics": ["telepathy"]},
        {"date": "2019-02-30"},
        {"date": ""},
        {"origin_state": "XX"},
        {"host_state": ""},
        {"accusation": "witchcraft"},
        {"outcome": "vanished"},
        {"involvements": [{"organisation_id": str(uuid.uuid4())}]},
        {"involvements": [{"actor_kind": "officer"}]},
        {"involvements": [{"actor_kind": "officer", "actor_name": "   "}]},
    ],
)
def test_it_refuses_invalid_values_with_a_reason(caseworker, incident_data, change):
    response = create(caseworker, incident_data | change)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_an_update_audits_changed_fields_and_replaces_acts(caseworker, case, incident, person):
    relative = Person.objects.create(case=case)
    PersonName.objects.create(person=relative, value="Dilnoza Karimova")
    acts = [{"person_id": str(relative.pk), "role": "proxy_victim", "proxy_for_id": str(person.pk)}]
    response = api(caseworker).patch(
        url(f"incidents/{incident.pk}"),
        {"acts": acts, "outcome": "released", "tactics": ["assault", "detention"], "people_targeted": 3},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["acts"][0]["proxy_for_id"] == str(person.pk)
    event = AuditEvent.objects.get(action="update", object_id=str(incident.pk))
    assert event.fields == ["acts", "people_targeted"]


def test_filters_narrow_the_list(caseworker, case, incident, person):
    person.profiles.add(term("profiles", "journalist"))
    Incident.objects.create(case=case, date="2021", origin_state="TJ", host_state="RU").tactics.add(term("tactics", "abduction"))
    client = api(caseworker)
    assert len(ids(client.get(url("incidents")))) == 2
    for filters in ({"origin": "uz"}, {"host": "TR"}, {"tactic": "detention"}, {"year": 2019}, {"profile": "journalist"}):
        assert ids(client.get(url("incidents"), filters)) == [str(incident.pk)], filters
    assert ids(client.get(url("incidents"), {"origin": "UZ", "year": 2021})) == []


def test_a_filtered_page_counts_once_without_distinct_and_lists_an_incident_once(caseworker, case, incident, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    relative = Person.objects.create(case=case)
    for someone in (person, relative):
        someone.profiles.add(term("profiles", "journalist"))
    incident.acts.create(person=relative, role="proxy_victim")
    with CaptureQueriesContext(connection) as queries:
        response = api(caseworker).get(url("incidents"), {"profile": "journalist", "tactic": "detention"})
    assert ids(response) == [str(incident.pk)] and response.json()["count"] == 1
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("DISTINCT" in s for s in sql)
    assert sum("COUNT(" in s for s in sql) == 1


@pytest.mark.parametrize("filters", [{"origin": "XX"}, {"tactic": "telepathy"}, {"profile": "spy"}, {"year": "soon"}])
def test_unknown_filter_codes_are_refused(caseworker, filters):
    assert api(caseworker).get(url("incidents"), filters).status_code == 422


@pytest.mark.attack("crypto-erasure")
def test_it_refuses_writes_to_an_erased_case(caseworker, case, incident):
    case.erase()
    response = api(caseworker).patch(url(f"incidents/{incident.pk}"), {"outcome": "killed"}, content_type="application/json")
    assert response.status_code == 400
