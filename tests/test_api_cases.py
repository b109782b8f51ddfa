import pytest

import uuid

from shelter.audit.models import AuditEvent
from shelter.records.models import Case, CaseAccess
from tests.apiclient import api, ids, shows_identity, text_of, url

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_caseworker_sees_the_case_with_its_identity_data(caseworker, case):
    response = api(caseworker).get(url(f"cases/{case.pk}"))
    assert response.status_code == 200
    assert response.json()["title"] == "Family of Ulugbek Karimov"
    assert response.json()["notes"] == "Met in Istanbul"
    assert ids(api(caseworker).get(url("cases"))) == [str(case.pk)]


@pytest.mark.attack("idor")
def test_outsider_gets_the_same_404_as_for_a_case_that_does_not_exist(other_caseworker, case):
    client = api(other_caseworker)
    hidden = client.get(url(f"cases/{case.pk}"))
    missing = client.get(url(f"cases/{uuid.uuid4()}"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert not shows_identity(hidden)


@pytest.mark.attack("idor")
def test_outsider_does_not_see_the_case_in_lists(other_caseworker, case):
    response = api(other_caseworker).get(url("cases"))
    assert response.json()["count"] == 0
    assert case.reference not in text_of(response)


@pytest.mark.attack("idor")
def test_outsider_cannot_update_the_case(other_caseworker, case):
    response = api(other_caseworker).patch(url(f"cases/{case.pk}"), {"status": "closed"}, content_type="application/json")
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == "open"


@pytest.mark.attack("idor")
def test_administrators_off_the_list_see_no_case_and_auditors_nothing(auditor, administrator, case):
    assert api(administrator).get(url("cases")).json()["count"] == 0
    assert api(administrator).get(url(f"cases/{case.pk}")).status_code == 404
    assert api(auditor).get(url(f"cases/{case.pk}")).status_code == 403


def test_coordinator_sees_every_case(coordinator, case):
    assert ids(api(coordinator).get(url("cases"))) == [str(case.pk)]


def test_it_hides_identity_from_researchers(researcher, case):
    response = api(researcher).get(url(f"cases/{case.pk}"))
    assert response.status_code == 200
    assert response.json()["title"] is None
    assert response.json()["reference"] == case.reference
    assert not shows_identity(response)
    assert not shows_identity(api(researcher).get(url("cases")))


def test_researchers_may_not_write(researcher, case):
    client = api(researcher)
    assert client.post(url("cases"), {"title": "x"}, content_type="application/json").status_code == 403
    response = client.patch(url(f"cases/{case.pk}"), {"status": "closed"}, content_type="application/json")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "open"


def test_a_caseworker_opens_a_case_and_works_on_it(caseworker):
    response = api(caseworker).post(
        url("cases"), {"title": "Ulugbek Karimov", "notes": "Fled in 2019"}, content_type="application/json"
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.title == "Ulugbek Karimov"
    assert response.json()["reference"].startswith("SH-")
    assert CaseAccess.objects.filter(case=case, user=caseworker).exists()
    event = AuditEvent.objects.get(action="create", object_id=str(case.pk))
    assert event.fields == ["notes", "title"]
    assert "Karimov" not in str(event.detail)


def test_administrators_may_not_open_cases(administrator):
    assert api(administrator).post(url("cases"), {}, content_type="application/json").status_code == 403


def test_a_coordinator_may_choose_a_reference_and_is_told_it_is_taken(coordinator, case):
    client = api(coordinator)
    assert client.post(url("cases"), {"reference": "NGO-2026-17"}, content_type="application/json").status_code == 201
    response = client.post(url("cases"), {"reference": case.reference}, content_type="application/json")
    assert response.status_code == 422
    assert "already taken" in response.json()["detail"]


@pytest.mark.attack("idor")
def test_whether_a_reference_exists_is_not_told_to_those_who_do_not_see_every_case(other_caseworker, case):
    client = api(other_caseworker)
    taken = client.post(url("cases"), {"reference": case.reference}, content_type="application/json")
    free = client.post(url("cases"), {"reference": "NGO-NEVER-USED"}, content_type="application/json")
    assert taken.status_code == free.status_code == 422
    assert taken.json() == free.json()
    assert "leave it out" in free.json()["detail"]


def test_updates_audit_the_changed_field_names_only(caseworker, case):
    response = api(caseworker).patch(
        url(f"cases/{case.pk}"), {"status": "closed", "notes": "Met in Istanbul"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    event = AuditEvent.objects.get(action="update", object_id=str(case.pk))
    assert event.fields == ["status"]
    assert event.actor == caseworker


@pytest.mark.attack("xss")
def test_free_text_and_markup_round_trip_as_data(caseworker, case):
    values = {"title": XSS, "notes": "Строка 1\nline 2 — ʻOʼzbek & <b>\"quoted\"</b>", "external_source": "CAPE #12 <i>"}
    response = api(caseworker).patch(url(f"cases/{case.pk}"), values, content_type="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    fetched = api(caseworker).get(url(f"cases/{case.pk}")).json()
    assert {k: fetched[k] for k in values} == values
    assert b"<script>" in response.content  # JSON does not escape it: it is data, never served as HTML


def test_it_refuses_null_for_a_field_that_is_not_nullable(caseworker, case):
    response = api(caseworker).patch(url(f"cases/{case.pk}"), {"status": None}, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.attack("crypto-erasure")
def test_it_refuses_writes_to_an_erased_case(caseworker, case):
    case.erase()
    response = api(caseworker).patch(url(f"cases/{case.pk}"), {"notes": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert "erased" in response.json()["detail"]


@pytest.mark.attack("crypto-erasure")
def test_an_erased_case_shows_no_identity_data(caseworker, case):
    case.erase()
    response = api(caseworker).get(url(f"cases/{case.pk}"))
    assert response.json()["erased"] is True
    assert response.json()["title"] is None
