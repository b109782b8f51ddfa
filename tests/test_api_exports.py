"""The exports API: a request screened and kept, read back in either language, screened again; per-user access."""

import json

import pytest

from shelter.exportcontrol.models import ExportRequest
from tests.apiclient import api, url

from .exports_records import controller_for_university, imsi_catcher, service  # noqa: F401


def post(client, path, body, **extra):
    return client.post(url(path), json.dumps(body, ensure_ascii=False), content_type="application/json", **extra)


def test_it_screens_a_request_and_keeps_it(caseworker, service):
    response = post(api(caseworker), "exports", imsi_catcher())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recommendation"] == "deny" and body["version"] == 1
    assert body["party_matches"][0]["kind"] == "organisation" and body["party_matches"][0]["incidents"] == 3
    assert [e["code"] for e in body["control_entries"]][0] == "5A001.f"
    assert ExportRequest.objects.get().created_by == caseworker


def test_it_answers_in_russian(caseworker, service):
    body = post(api(caseworker), "exports?language=ru", imsi_catcher()).json()
    assert "Поддержка решения" in body["disclaimer"] and any("Приложения I" in r["text"] for r in body["reasons"])


@pytest.mark.parametrize("body, status, reason", [
    ("[", 400, "JSON object"),
    ({"id": "X", "item": {"description": "x"}, "destination": "QQ"}, 422, "destination: unknown country code"),
    ({"id": "X", "item": {"description": "x"}, "destination": "DE", "parties": [{"role": "buyer", "name": "A"}]}, 422,
     "parties[0].role"),
])
def test_a_bad_request_gets_its_reason_and_nothing_is_kept(caseworker, body, status, reason):
    client = api(caseworker)
    response = client.post(url("exports"), body if isinstance(body, str) else json.dumps(body), content_type="application/json")
    assert response.status_code == status and reason in response.json()["detail"]
    assert not ExportRequest.objects.exists()


def test_it_lists_reads_and_screens_again(caseworker, service):
    client = api(caseworker)
    created = post(client, "exports", controller_for_university()).json()
    listed = client.get(url("exports")).json()
    assert listed["count"] == 1 and listed["items"][0]["recommendation"] == "no_objection_found"
    again = post(client, f"exports/{created['request']}/screen", imsi_catcher(destination="DE", parties=[]))
    assert again.status_code == 201 and again.json()["version"] == 2 and again.json()["recommendation"] == "licence_required"
    first = client.get(url(f"exports/{created['request']}?version=1")).json()
    assert first["recommendation"] == "no_objection_found" and first["versions"] == [2, 1]


@pytest.mark.attack("idor")
def test_another_users_request_is_not_found_and_an_auditor_is_refused(caseworker, other_caseworker, auditor, service):
    created = post(api(caseworker), "exports", imsi_catcher()).json()
    other = api(other_caseworker)
    assert other.get(url(f"exports/{created['request']}")).status_code == 404
    assert post(other, f"exports/{created['request']}/screen", imsi_catcher()).status_code == 404
    assert other.get(url("exports")).json()["count"] == 0
    assert post(api(auditor), "exports", imsi_catcher()).status_code == 403
