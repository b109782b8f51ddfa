"""The API of actors, identifiers and links: per-case access, researchers kept from names and values, a
caseworker told only that an identifier is recorded informant_elsewhere, bad identifiers refused with the reason,
links for coordinators only."""

import pytest

from shelter.actors.models import Link
from shelter.audit.models import AuditEvent
from tests.apiclient import api, ids, url


def test_a_caseworker_creates_an_actor_and_adds_an_identifier(caseworker, case):
    client = api(caseworker)
    created = client.post(url("actors"), {"case_id": str(case.pk), "name": "Рустам", "aliases": ["Rustam"], "kind": "informant"},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    actor_id = created.json()["id"]
    added = client.post(url(f"actors/{actor_id}/identifiers"), {"kind": "telegram", "value": "https://t.me/Rustam_K"},
                        content_type="application/json")
    assert added.status_code == 201 and added.json()["value"] == "https://t.me/Rustam_K"
    assert client.get(url(f"actors/{actor_id}")).json()["names"] == ["Рустам", "Rustam"]


def test_a_bad_identifier_is_refused_with_the_reason(caseworker, informant):
    response = api(caseworker).post(url(f"actors/{informant.pk}/identifiers"), {"kind": "phone", "value": "12345", "country": "UZ"},
                                    content_type="application/json")
    assert response.status_code == 422 and "not a valid phone number in UZ" in response.json()["detail"]
    assert informant.identifiers.count() == 1


def test_a_caseworker_learns_only_that_it_is_recorded_elsewhere(caseworker, informant, informant_elsewhere):
    body = api(caseworker).get(url(f"actors/{informant.pk}")).json()
    assert body["identifiers"][0]["recorded_elsewhere"] is True
    assert informant_elsewhere.reference not in str(body) and str(informant_elsewhere.pk) not in str(body)
    assert api(caseworker).get(url("links")).status_code == 403


@pytest.mark.attack("idor")
def test_someone_outside_the_case_gets_404(other_caseworker, informant, informant_elsewhere):
    client = api(other_caseworker)
    assert client.get(url(f"actors/{informant.pk}")).status_code == 404
    assert str(informant.pk) not in ids(client.get(url("actors")))
    assert client.post(url(f"actors/{informant.pk}/identifiers"), {"kind": "phone", "value": "+998901111111"},
                       content_type="application/json").status_code == 404


@pytest.mark.attack("insider")
def test_researchers_get_no_names_or_values(researcher, informant):
    body = api(researcher).get(url(f"actors/{informant.pk}")).json()
    assert body["names"] is None and body["identifiers"][0]["value"] is None and body["pseudonym"].startswith("A-")
    assert "Рустам" not in str(body) and "123-45-67" not in str(body)


def test_a_coordinator_lists_and_decides_links(coordinator, informant, informant_elsewhere):
    client = api(coordinator)
    [link] = client.get(url("links")).json()
    assert {s["case_reference"] for s in link["sides"]} == {informant.case.reference, informant_elsewhere.reference}
    decided = client.post(url(f"links/{link['id']}/decision"), {"decision": "rejected"}, content_type="application/json")
    assert decided.json()["status"] == "rejected" and Link.objects.get().status == "rejected"
    assert AuditEvent.objects.filter(action="update", object_type="link").exists()
    assert client.post(url(f"links/{link['id']}/decision"), {"decision": "maybe"}, content_type="application/json").status_code == 422


@pytest.mark.attack("insider")
def test_a_caseworker_learns_only_that_the_actor_may_be_recorded_elsewhere(caseworker, informant, same_actor_elsewhere):
    body = api(caseworker).get(url(f"actors/{informant.pk}")).json()
    assert body["may_be_recorded_elsewhere"] is True
    link = Link.objects.get(kind="same_actor")
    for revealing in (same_actor_elsewhere.case.reference, str(same_actor_elsewhere.case_id), str(same_actor_elsewhere.pk),
                      same_actor_elsewhere.pseudonym, "Rustam Karimov", str(link.pk), str(link.score), "score"):
        assert revealing not in str(body)


def test_a_coordinator_lists_likely_same_actors_with_the_score_and_reasons(coordinator, informant, same_actor_elsewhere):
    [link] = [link for link in api(coordinator).get(url("links")).json() if link["kind"] == "same_actor"]
    assert link["score"] == 0.9 and [r["code"] for r in link["reasons"]] == ["name", "organisation"]
    assert {(s["actor_id"], s["case_reference"]) for s in link["sides"]} == {
        (str(informant.pk), informant.case.reference), (str(same_actor_elsewhere.pk), same_actor_elsewhere.case.reference)}
    assert sorted(name for s in link["sides"] for name in s["names"]) == ["Rustam Karimov", "Рустам Каримов"]
