"""The API of suspicious messages and files: triage by upload, read, STIX for MVT, campaigns; per-case
access, researchers kept from the values, bad uploads refused with the reason."""

from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shelter.artefacts import triage
from tests.apiclient import api, ids, url


def phishing(subject="Письмо от Каримова") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Google <no-reply@accountsgoog1e.com>", "karimov@example.org", subject
    m.set_content("https://accountsgoog1e.com/signin")
    return bytes(m)


@pytest.fixture
def artefact(case, caseworker):
    return triage.triage_into_case(case, "alert.eml", phishing(), caseworker)


def test_a_caseworker_triages_a_message_by_upload(caseworker, case):
    response = api(caseworker).post(url("suspicious"), {"case_id": str(case.pk), "file": SimpleUploadedFile("a.eml", phishing())})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verdict"] == "malicious" and "lookalike_domain" in body["kinds"] and body["likely_goal"] == ["credentials"]
    assert body["reports"][0]["indicators"][0]["value"].count("[.]") >= 1


def test_an_empty_upload_and_a_repeated_file_are_refused_with_the_reason(caseworker, case, artefact):
    empty = api(caseworker).post(url("suspicious"), {"case_id": str(case.pk), "file": SimpleUploadedFile("e.eml", b"")})
    assert empty.status_code in (400, 422) and "empty" in empty.content.decode()
    again = api(caseworker).post(url("suspicious"), {"case_id": str(case.pk), "file": SimpleUploadedFile("b.eml", phishing())})
    assert again.status_code == 409 and "already stored" in again.json()["detail"]


@pytest.mark.attack("idor")
def test_someone_outside_the_case_gets_404_everywhere(other_caseworker, artefact):
    client = api(other_caseworker)
    assert client.get(url(f"suspicious/{artefact.pk}")).status_code == 404
    assert client.get(url(f"suspicious/{artefact.pk}/stix")).status_code == 404
    assert ids(client.get(url("suspicious"))) == []
    upload = client.post(url("suspicious"), {"case_id": str(artefact.case_id), "file": SimpleUploadedFile("x.eml", b"x")})
    assert upload.status_code == 404


@pytest.mark.attack("insider")
def test_researchers_get_the_verdict_but_no_values(researcher, artefact):
    body = api(researcher).get(url(f"suspicious/{artefact.pk}")).json()
    assert body["verdict"] == "malicious" and body["reports"] is None
    assert "Каримов" not in str(body) and "accountsgoog1e" not in str(body)
    assert api(researcher).get(url(f"suspicious/{artefact.pk}/stix")).status_code == 403


def test_the_stix_bundle_is_what_mvt_reads(caseworker, artefact):
    bundle = api(caseworker).get(url(f"suspicious/{artefact.pk}/stix")).json()
    assert "[domain-name:value='accountsgoog1e.com']" in [o.get("pattern") for o in bundle["objects"]]


def test_campaigns_are_for_coordinators(caseworker, coordinator, artefact):
    assert api(caseworker).get(url("campaigns")).status_code == 403
    assert api(coordinator).get(url("campaigns")).json() == []


def test_a_coordinator_takes_a_campaigns_indicators_as_stix(case, caseworker, coordinator):
    first = triage.triage_into_case(case, "a.eml", phishing("Первое"), caseworker)
    triage.triage_into_case(case, "b.eml", phishing("Второе"), caseworker)
    first.refresh_from_db()
    bundle = api(coordinator).get(url(f"campaigns/{first.campaign_id}/stix")).json()
    assert "[domain-name:value='accountsgoog1e.com']" in [o.get("pattern") for o in bundle["objects"]]
    assert api(caseworker).get(url(f"campaigns/{first.campaign_id}/stix")).status_code == 403
    assert api(coordinator).get(url("campaigns/00000000-0000-0000-0000-000000000000/stix")).status_code == 404
