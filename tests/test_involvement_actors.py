"""Who acted in an incident is one of the case's actors: the incident form and the API attach one, or
make one from a name (found again by that name within the case), never a name written on the
involvement; pages, exports and the API show the actor's name, or its pseudonym to researchers."""

import json

import pytest

from shelter.actors.models import Actor, ActorName
from shelter.audit.models import AuditEvent
from shelter.ops import exporting
from shelter.records import sealing
from shelter.records.models import Case, CaseAccess, Incident, Involvement, Organisation
from tests.apiclient import api, url

from .conftest import login
from .test_front_incidents import incident_form

SCRIPT = '<script>alert("actor")</script>'


@pytest.fixture
def snb(db):
    return Organisation.objects.create(name="SNB", kind="security_service", country="UZ")


@pytest.fixture
def stranger(other_caseworker):
    """An actor of a case the caseworker is not on."""
    actor = Actor.objects.create(case=Case.objects.create(title="Not yours"), kind="informant")
    actor.set_names("Someone else's informant")
    return actor


def row(**values):
    """The incident form with its one involvement row set to ``values``."""
    fields = {"actor_kind": "unknown", "organisation": "", "actor": "", "new_actor_name": "", "role": ""} | values
    return incident_form(**{f"involvements-0-{k}": str(v) for k, v in fields.items()})


def new_incident(case):
    return Incident.objects.filter(case=case).order_by("-created_at").first()


# --- the incident form -----------------------------------------------------------------------------------


def test_a_new_name_in_the_form_becomes_an_actor_of_the_kind_the_agency_tells(client, caseworker, records, snb):
    login(client, caseworker)
    case = records["case"]
    response = client.post(f"/cases/{case.pk}/incidents/new/",
                           row(actor_kind="officer", organisation=snb.pk, new_actor_name="Major Rustamov", role="instigator"))
    assert response.status_code == 302
    involvement = new_incident(case).involvements.get()
    actor = involvement.actor
    assert (actor.case, actor.kind, actor.organisation, actor.primary_name()) == (case, "intelligence_officer", snb, "Major Rustamov")
    assert involvement.role == "instigator" and involvement.actor_name == ""
    assert AuditEvent.objects.filter(action="create", object_type="actor", object_id=str(actor.pk), actor=caseworker).exists()


def test_the_form_finds_the_cases_actor_by_its_name(client, caseworker, records, informant):
    login(client, caseworker)
    client.post(f"/cases/{records['case'].pk}/incidents/new/", row(actor_kind="informant", new_actor_name=" рустам  Каримов"))
    assert Actor.objects.count() == 1
    assert new_incident(records["case"]).involvements.get().actor == informant


def test_the_form_attaches_an_actor_chosen_from_the_case(client, caseworker, records, informant):
    login(client, caseworker)
    form_page = client.get(f"/cases/{records['case'].pk}/incidents/new/").content.decode()
    assert f'<option value="{informant.pk}">Рустам Каримов</option>' in form_page
    client.post(f"/cases/{records['case'].pk}/incidents/new/", row(actor_kind="informant", actor=informant.pk))
    assert new_incident(records["case"]).involvements.get().actor == informant


@pytest.mark.attack("idor")
def test_the_form_refuses_an_actor_of_another_case(client, caseworker, records, stranger):
    login(client, caseworker)
    response = client.post(f"/cases/{records['case'].pk}/incidents/new/", row(actor_kind="informant", actor=stranger.pk))
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert b"Someone else" not in response.content
    assert Incident.objects.count() == 1 and not stranger.involvements.exists()


def test_the_form_refuses_an_actor_and_a_new_name_together(client, caseworker, records, informant):
    login(client, caseworker)
    response = client.post(f"/cases/{records['case'].pk}/incidents/new/",
                           row(actor_kind="informant", actor=informant.pk, new_actor_name="Bobur"))
    assert response.status_code == 200
    assert "write a new name, not both" in response.content.decode()
    assert Incident.objects.count() == 1 and Actor.objects.count() == 1


def test_editing_an_older_record_offers_its_written_name_and_saving_moves_it(client, caseworker, records):
    incident = records["incident"]
    involvement = Involvement.objects.create(incident=incident, actor_kind="officer", actor_name="Major Tursunov")
    login(client, caseworker)
    page = client.get(f"/incidents/{incident.pk}/edit/").content.decode()
    assert 'value="Major Tursunov"' in page
    data = row(actor_kind="officer", new_actor_name="Major Tursunov", role="perpetrator") | {
        "involvements-INITIAL_FORMS": "1", "involvements-0-id": str(involvement.pk), "acts-0-person": str(records["person"].pk)}
    assert client.post(f"/incidents/{incident.pk}/edit/", data).status_code == 302
    involvement.refresh_from_db()
    assert involvement.actor.primary_name() == "Major Tursunov" and involvement.actor_name == ""


@pytest.mark.attack("xss")
def test_an_actors_name_is_shown_escaped_in_the_form_and_on_the_page(client, caseworker, records):
    login(client, caseworker)
    case = records["case"]
    client.post(f"/cases/{case.pk}/incidents/new/", row(actor_kind="informant", new_actor_name=SCRIPT))
    incident = new_incident(case)
    assert incident.involvements.get().actor.primary_name() == SCRIPT
    for path in (f"/incidents/{incident.pk}/", f"/incidents/{incident.pk}/edit/", f"/cases/{case.pk}/incidents/new/"):
        content = client.get(path).content
        assert SCRIPT.encode() not in content and b"<script>alert" not in content, path
        assert b"&lt;script&gt;alert(&quot;actor&quot;)&lt;/script&gt;" in content, path


# --- pages and exports ----------------------------------------------------------------------------------------


def test_the_incident_page_shows_the_actors_name_and_researchers_its_pseudonym(client, caseworker, researcher, records, informant):
    Involvement.objects.create(incident=records["incident"], actor_kind="informant", actor=informant)
    page = login(client, caseworker).get(f"/incidents/{records['incident'].pk}/").content.decode()
    assert "Рустам Каримов" in page
    client.logout()
    page = login(client, researcher).get(f"/incidents/{records['incident'].pk}/").content.decode()
    with sealing.scope(reveal=True):
        assert informant.pseudonym in page
    assert "Рустам" not in page


def test_an_export_names_the_actor_and_pseudonymises_it(records, informant):
    involvement = Involvement.objects.create(incident=records["incident"], actor_kind="informant", actor=informant, role="perpetrator")
    with sealing.scope(reveal=True):
        shown = exporting.involvement_dict(involvement, pseudonymise=False)
        hidden = exporting.involvement_dict(involvement, pseudonymise=True)
    assert shown["actor_name"] == "Рустам Каримов" and shown["actor"] == str(informant.pk) and shown["role"] == "perpetrator"
    assert "actor_name" not in hidden and hidden["actor"].startswith("A-") and str(informant.pk) not in json.dumps(hidden)


def test_a_name_not_yet_moved_is_still_shown(records):
    involvement = Involvement.objects.create(incident=records["incident"], actor_kind="officer", actor_name="Major Tursunov")
    with sealing.scope(reveal=True):
        assert exporting.involvement_name(involvement) == "Major Tursunov"
        assert involvement.shown_name == "Major Tursunov"


# --- the API ------------------------------------------------------------------------------------------------


@pytest.fixture
def incident_data(case):
    return {"case_id": str(case.pk), "date": "2019-03", "origin_state": "UZ", "host_state": "TR", "tactics": ["detention"]}


def post(user, data):
    return api(user).post(url("incidents"), data, content_type="application/json")


def test_the_api_makes_an_actor_of_a_name_and_finds_it_again(caseworker, case, incident_data, snb):
    involvements = [{"actor_kind": "officer", "organisation_id": str(snb.pk), "actor_name": "Major Rustamov", "role": "perpetrator"}]
    first = post(caseworker, incident_data | {"involvements": involvements})
    second = post(caseworker, incident_data | {"involvements": [{"actor_kind": "officer", "actor_name": "MAJOR RUSTAMOV"}]})
    assert first.status_code == second.status_code == 201, first.content
    actor = Actor.objects.get()
    assert (actor.case, actor.kind, actor.organisation) == (case, "intelligence_officer", snb)
    [given] = first.json()["involvements"]
    assert given | {"id": None} == {"id": None, "actor_kind": "officer", "organisation_id": str(snb.pk), "actor_id": str(actor.pk),
                                    "actor_display_name": "Major Rustamov", "actor_name": "Major Rustamov", "role": "perpetrator"}
    assert second.json()["involvements"][0]["actor_id"] == str(actor.pk)
    assert not Involvement.objects.filter(actor_name__isnull=False).exists()
    assert AuditEvent.objects.filter(action="create", object_type="actor", actor=caseworker).count() == 1


def test_the_api_attaches_an_actor_of_the_case_by_its_id(caseworker, incident_data, informant):
    response = post(caseworker, incident_data | {"involvements": [{"actor_kind": "informant", "actor_id": str(informant.pk)}]})
    assert response.status_code == 201, response.content
    assert response.json()["involvements"][0]["actor_id"] == str(informant.pk)
    assert Actor.objects.count() == 1


@pytest.mark.attack("idor")
def test_the_api_refuses_an_actor_of_another_case_as_an_unknown_id(caseworker, case, incident_data, stranger):
    CaseAccess.objects.create(case=stranger.case, user=caseworker)  # even of a case the caseworker is on
    foreign = post(caseworker, incident_data | {"involvements": [{"actor_kind": "informant", "actor_id": str(stranger.pk)}]})
    unknown = post(caseworker, incident_data | {"involvements": [{"actor_kind": "informant", "actor_id": "6b1d3b47-0000-4000-8000-000000000000"}]})
    assert foreign.status_code == unknown.status_code == 422
    assert foreign.json()["detail"] == unknown.json()["detail"] == "involvements.actor_id: no such record in this case"
    assert not Incident.objects.exists() and not stranger.involvements.exists()


def test_the_api_refuses_an_actor_id_and_a_name_together(caseworker, incident_data, informant):
    response = post(caseworker, incident_data | {"involvements": [{"actor_id": str(informant.pk), "actor_name": "Bobur"}]})
    assert response.status_code == 422 and "not both" in str(response.json()["detail"])


@pytest.mark.attack("insider")
def test_researchers_get_the_actors_id_and_pseudonym_only(caseworker, researcher, incident_data, informant):
    created = post(caseworker, incident_data | {"involvements": [{"actor_kind": "informant", "actor_id": str(informant.pk)}]})
    body = api(researcher).get(url(f"incidents/{created.json()['id']}")).json()
    [involvement] = body["involvements"]
    with sealing.scope(reveal=True):
        pseudonym = informant.pseudonym
    assert involvement["actor_id"] == str(informant.pk) and involvement["actor_display_name"] == pseudonym
    assert involvement["actor_name"] is None and "Рустам" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.attack("data-at-rest")
def test_a_name_given_to_the_api_is_sealed(caseworker, incident_data):
    from django.db import connection

    post(caseworker, incident_data | {"involvements": [{"actor_kind": "informant", "actor_name": "Bobur Tashmatov"}]})
    assert ActorName.objects.get().value == "Bobur Tashmatov"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM actors_actorname")
        assert "Tashmatov" not in repr(cursor.fetchall())
