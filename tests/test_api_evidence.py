import hashlib
import uuid

import pytest

from shelter.audit.models import AuditEvent
from shelter.records.evidence import store_evidence
from shelter.records.models import CustodyEvent
from tests.apiclient import api, ids, shows_identity, url

CONTENT = b"<html><script>alert('Karimov')</script></html>"


@pytest.fixture
def evidence(case, caseworker):
    return store_evidence(case, "Passport of Ulugbek Karimov", "karimov-passport.PDF", CONTENT, "application/pdf", caseworker)


def test_caseworker_sees_the_metadata(caseworker, evidence):
    body = api(caseworker).get(url(f"evidence/{evidence.pk}")).json()
    assert body["title"] == "Passport of Ulugbek Karimov"
    assert body["original_name"] == "karimov-passport.PDF"
    assert body["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert [e["action"] for e in body["custody"]] == ["uploaded"]
    assert ids(api(caseworker).get(url("evidence"))) == [str(evidence.pk)]


@pytest.mark.attack("xss")
def test_download_serves_an_attachment_that_is_never_rendered(caseworker, evidence):
    response = api(caseworker).get(url(f"evidence/{evidence.pk}/download"))
    assert response.status_code == 200
    assert response.content == CONTENT
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="evidence-{evidence.pk}.pdf"'
    assert "Karimov" not in str(response.headers)


def test_download_is_recorded_in_custody_and_audit(caseworker, evidence):
    api(caseworker).get(url(f"evidence/{evidence.pk}/download"))
    custody = CustodyEvent.objects.filter(evidence=evidence, action="downloaded").get()
    assert custody.actor == caseworker and custody.sha256 == evidence.sha256
    assert AuditEvent.objects.get(action="download").object_id == str(evidence.pk)


def test_it_hides_identity_from_researchers(researcher, evidence):
    response = api(researcher).get(url(f"evidence/{evidence.pk}"))
    assert response.status_code == 200
    assert response.json()["title"] is None and response.json()["original_name"] is None
    assert not shows_identity(response)
    assert not shows_identity(api(researcher).get(url("evidence")))


def test_researchers_may_not_download(researcher, evidence):
    response = api(researcher).get(url(f"evidence/{evidence.pk}/download"))
    assert response.status_code == 403
    assert not shows_identity(response)
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


@pytest.mark.attack("idor")
def test_outsider_gets_404_for_metadata_and_download(other_caseworker, evidence):
    client = api(other_caseworker)
    for path in (f"evidence/{evidence.pk}", f"evidence/{evidence.pk}/download"):
        hidden = client.get(url(path))
        assert hidden.status_code == 404
        assert hidden.content == client.get(url(path.replace(str(evidence.pk), str(uuid.uuid4())))).content
    assert client.get(url("evidence")).json()["count"] == 0
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


def test_the_api_offers_no_evidence_writes(caseworker, evidence):
    client = api(caseworker)
    assert client.post(url("evidence"), {}, content_type="application/json").status_code == 405
    assert client.patch(url(f"evidence/{evidence.pk}"), {}, content_type="application/json").status_code == 405


@pytest.mark.attack("crypto-erasure")
def test_files_of_an_erased_case_are_gone(caseworker, case, evidence):
    case.erase()
    response = api(caseworker).get(url(f"evidence/{evidence.pk}/download"))
    assert response.status_code == 410
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


def test_a_tampered_file_is_not_served(caseworker, evidence):
    blob = evidence.blob_path.read_bytes()
    evidence.blob_path.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    response = api(caseworker).get(url(f"evidence/{evidence.pk}/download"))
    assert response.status_code == 500
    assert CONTENT not in response.content
