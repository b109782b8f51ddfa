"""The network pages: the list to start from, and the ego view of a record as tables (no JavaScript)
and as JSON for the graph. A reader sees only the records of their cases — a shared phone leads a
coordinator to the other case's actor, a caseworker to nothing but the hint — researchers see
pseudonyms and kinds, identifiers are never named by their digest, caps say how many more there are,
and bad input is refused with the reason."""

import json

import pytest
from django.urls import reverse

from shelter.actors.models import Actor, ActorName, Identifier
from shelter.audit.models import AuditEvent
from shelter.records.models import Incident, Involvement, Organisation

from .conftest import login


def ego(client, centre, **params):
    return client.get(reverse("network-ego-json"), {"centre": centre, **params})


def labels(response) -> set:
    return {node["label"] for node in response.json()["nodes"]}


def test_a_coordinator_follows_a_shared_phone_to_the_other_cases_actor(client, coordinator, informant, informant_elsewhere):
    login(client, coordinator)
    other = Actor.objects.get(case=informant_elsewhere)
    response = ego(client, f"actor:{informant.pk}", radius=2)
    ids = {node["id"] for node in response.json()["nodes"]}
    assert f"actor:{other.pk}" in ids and "Рустам Каримов" in labels(response)
    phone = next(node for node in response.json()["nodes"] if node["kind"] == "identifier")
    assert sorted(phone["cases"]) == sorted([informant.case.reference, informant_elsewhere.reference])


@pytest.mark.attack("insider")
def test_a_caseworker_sees_only_their_case_and_the_hint(client, caseworker, informant, informant_elsewhere):
    login(client, caseworker)
    response = ego(client, f"actor:{informant.pk}", radius=3)
    body = response.content.decode()
    assert {node["kind"] for node in response.json()["nodes"]} == {"actor", "identifier"}
    assert informant_elsewhere.reference not in body and str(Actor.objects.get(case=informant_elsewhere).pk) not in body
    phone = next(node for node in response.json()["nodes"] if node["kind"] == "identifier")
    assert phone["elsewhere"] is True and phone["cases"] == [informant.case.reference]
    page = client.get(reverse("network-ego"), {"centre": f"actor:{informant.pk}", "radius": 3}).content.decode()
    assert "also recorded in another case — ask a coordinator" in page and informant_elsewhere.reference not in page


@pytest.mark.attack("idor")
def test_a_record_of_another_case_is_not_found(client, other_caseworker, informant, informant_elsewhere):
    login(client, other_caseworker)
    phone = informant.identifiers.get()
    for centre in (f"actor:{informant.pk}", f"identifier:{phone.pk}", "actor:not-a-uuid", "case:x", ""):
        assert ego(client, centre).status_code == 404
        assert client.get(reverse("network-ego"), {"centre": centre}).status_code == 404


def test_identifiers_are_named_by_a_record_never_by_their_digest(client, coordinator, informant, informant_elsewhere):
    login(client, coordinator)
    phone = informant.identifiers.get()
    response = ego(client, f"identifier:{phone.pk}")
    assert response.json()["centre"] == f"identifier:{phone.pk}" and phone.digest not in response.content.decode()
    assert len([n for n in response.json()["nodes"] if n["kind"] == "actor"]) == 2


@pytest.mark.attack("insider")
def test_researchers_see_pseudonyms_and_kinds_of_identifiers(client, researcher, informant):
    login(client, researcher)
    response = ego(client, f"actor:{informant.pk}")
    body = response.content.decode()
    # The number whole or in part, never "998" alone: a random UUID in the page can hold it.
    assert "Рустам" not in body and "123-45-67" not in body and "+998" not in body and "998901234567" not in body
    assert informant.pseudonym in labels(response) and "Phone number" in labels(response)


def test_an_organisation_leads_to_its_actors_in_the_readers_cases_only(client, caseworker, informant, informant_elsewhere):
    snb = Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
    informant.organisation = snb
    informant.save()
    Actor.objects.filter(case=informant_elsewhere).update(organisation=snb)
    login(client, caseworker)
    response = ego(client, f"org:{snb.pk}")
    assert [n["id"] for n in response.json()["nodes"] if n["kind"] == "actor"] == [f"actor:{informant.pk}"]


def test_the_view_is_capped_and_says_how_many_more(client, caseworker, case):
    officer = Actor.objects.create(case=case, kind="intelligence_officer")
    ActorName.objects.create(actor=officer, value="Officer")
    for n in range(25):
        Identifier.objects.create(actor=officer, kind="phone", value=f"+99890{n:07d}")
    login(client, caseworker)
    data = ego(client, f"actor:{officer.pk}").json()
    assert data["shown"] == 20 and data["more"] == 5
    assert ego(client, f"actor:{officer.pk}", cap=40).json()["more"] == 0
    page = client.get(reverse("network-ego"), {"centre": f"actor:{officer.pk}"}).content.decode()
    assert "20 shown, and 5 more" in page and "cap=40" in page


def test_filters_keep_the_centre_and_drop_what_does_not_match(client, caseworker, case, informant):
    early = Incident.objects.create(case=case, title="Approach", date="2019-05", origin_state="UZ", host_state="TR")
    late = Incident.objects.create(case=case, title="Threat", date="2023-02", origin_state="UZ", host_state="DE")
    for incident in (early, late):
        Involvement.objects.create(incident=incident, actor=informant, role="perpetrator")
    login(client, caseworker)
    dated = [n["date"] for n in ego(client, f"actor:{informant.pk}", since="2022").json()["nodes"] if n["kind"] == "incident"]
    assert dated == ["2023-02"]
    only_officers = ego(client, f"incident:{late.pk}", kind="intelligence_officer").json()
    assert [n["kind"] for n in only_officers["nodes"]] == ["incident"]
    assert ego(client, f"actor:{informant.pk}", kind="intelligence_officer").json()["nodes"][0]["id"] == f"actor:{informant.pk}"


def test_a_bad_period_is_refused_with_the_reason(client, caseworker, informant):
    login(client, caseworker)
    response = ego(client, f"actor:{informant.pk}", since="last spring")
    assert response.status_code == 400 and "YYYY" in response.json()["error"]
    page = client.get(reverse("network-ego"), {"centre": f"actor:{informant.pk}", "since": "last spring"})
    assert page.status_code == 400 and "A period is given as YYYY, YYYY-MM or YYYY-MM-DD." in page.content.decode()


def test_the_index_lists_the_readers_actors_and_charts_them_by_year(client, caseworker, case, informant, informant_elsewhere):
    incident = Incident.objects.create(case=case, title="Threat", date="2023-02", origin_state="UZ", host_state="DE")
    Involvement.objects.create(incident=incident, actor=informant, role="perpetrator")
    login(client, caseworker)
    page = client.get(reverse("network")).content.decode()
    assert "Рустам Каримов" in page and informant_elsewhere.reference not in page
    assert f"centre=actor:{informant.pk}" in page
    assert "Actors who acted, by year of the incident" in page and "?since=2023&amp;until=2023" in page


@pytest.mark.attack("xss")
def test_names_with_markup_are_text_in_the_tables_and_the_json(client, caseworker, case):
    actor = Actor.objects.create(case=case, kind="hacker")
    ActorName.objects.create(actor=actor, value="<img src=x onerror=alert(1)>")
    login(client, caseworker)
    page = client.get(reverse("network-ego"), {"centre": f"actor:{actor.pk}"}).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert json.loads(ego(client, f"actor:{actor.pk}").content)["nodes"][0]["label"] == "<img src=x onerror=alert(1)>"


def test_it_needs_a_login(client, informant):
    assert client.get(reverse("network")).status_code == 302
    assert ego(client, f"actor:{informant.pk}").status_code == 302


def export(client, **data):
    return client.post(reverse("network-export"), data)


def test_a_caseworker_exports_their_cases_pseudonymised(client, caseworker, informant, informant_elsewhere):
    import io

    import networkx as nx

    login(client, caseworker)
    response = export(client, format="graphml")
    graph = nx.read_graphml(io.BytesIO(response.content))
    assert response["Content-Disposition"] == 'attachment; filename="shelter-network.graphml"'
    assert informant.pseudonym in {d["label"] for _, d in graph.nodes(data=True)}
    assert "Рустам" not in response.content.decode() and "+99890" not in response.content.decode()
    assert f"actor:{Actor.objects.get(case=informant_elsewhere).pk}" not in graph
    refused = export(client, format="graphml", identity="on")
    assert refused.status_code == 400 and "Only coordinators and administrators export identity data" in refused.content.decode()


@pytest.mark.attack("insider")
def test_an_identity_export_needs_an_approval_of_ones_own(client, settings, coordinator, administrator, informant):
    from shelter.security import approvals

    settings.SHELTER_EXPORT_APPROVAL = True
    login(client, coordinator)
    refused = export(client, format="ftm", identity="on", approval="")
    assert refused.status_code == 400 and "This approval cannot be used" in refused.content.decode()
    theirs = approvals.request_export(administrator, "their own", [])
    approvals.approve(theirs, coordinator)
    assert export(client, format="ftm", identity="on", approval=str(theirs.pk)).status_code == 400
    mine = approvals.request_export(coordinator, "a court needs the network", [])
    approvals.approve(mine, administrator)
    response = export(client, format="ftm", identity="on", approval=str(mine.pk))
    assert response.status_code == 200 and "Рустам Каримов" in response.content.decode()
    assert export(client, format="ftm", identity="on", approval=str(mine.pk)).status_code == 400  # used once
    assert AuditEvent.objects.filter(action="export", object_type="network", detail__pseudonymised=False).count() == 1


def test_an_unknown_format_is_refused_with_the_reason(client, caseworker, informant):
    login(client, caseworker)
    response = export(client, format="xlsx")
    assert response.status_code == 400 and "Choose GraphML, GEXF or FollowTheMoney." in response.content.decode()
    assert client.get(reverse("network-export")).status_code == 405


def test_the_names_a_view_shows_are_audited_as_read(client, coordinator, informant, informant_elsewhere):
    login(client, coordinator)
    ego(client, f"actor:{informant.pk}", radius=2)
    event = AuditEvent.objects.filter(action="read_identity", detail__path="network-ego-json").get()
    assert {o["type"] for o in event.detail["objects"]} >= {"actorname", "identifier"}


def test_likely_the_same_actor_joins_the_view_of_a_coordinator_only(client, coordinator, caseworker, case, informant_elsewhere):
    snb = Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
    mine = Actor.objects.create(case=case, kind="intelligence_officer", organisation=snb)
    mine.set_names("Рустам Каримов")
    theirs = Actor.objects.create(case=informant_elsewhere, kind="intelligence_officer", organisation=snb)
    theirs.set_names("Rustam Karimov")
    login(client, coordinator)
    data = ego(client, f"actor:{mine.pk}").json()
    assert {"source": f"actor:{mine.pk}", "target": f"actor:{theirs.pk}", "relation": "is likely the same as", "date": ""} in data["edges"] \
        or {"source": f"actor:{theirs.pk}", "target": f"actor:{mine.pk}", "relation": "is likely the same as", "date": ""} in data["edges"]
    client.logout()
    login(client, caseworker)
    body = ego(client, f"actor:{mine.pk}", radius=3).content.decode()
    assert str(theirs.pk) not in body and "Rustam Karimov" not in body
