import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from shelter.audit.models import AuditEvent
from shelter.crypto import aead
from shelter.records import sealing
from shelter.records.models import Case, ErasureRequest, Incident, KeyMaterial, PersonName

from .conftest import login


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.SHELTER_EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def second_coordinator(make_user):
    return make_user("coordinator", "second-coordinator")


def ask(client, case, reason="The client withdrew consent"):
    return client.post(f"/cases/{case.pk}/erasure/", {"reason": reason})


def approve(client, case, erasure):
    return client.post(f"/cases/{case.pk}/erasure/{erasure.pk}/approve/")


def cancel(client, case, erasure):
    return client.post(f"/cases/{case.pk}/erasure/{erasure.pk}/cancel/")


def erased(case) -> bool:
    return Case.objects.get(pk=case.pk).wrapped_key is None


@pytest.fixture
def pending(case, coordinator):
    return ErasureRequest.open(case, coordinator, "The client withdrew consent")


def test_a_coordinator_requests_and_another_approves(client, case, records, coordinator, second_coordinator):
    login(client, coordinator)
    assert ask(client, case).status_code == 302
    erasure = ErasureRequest.objects.get()
    assert erasure.requested_by == coordinator and erasure.pending
    assert not erased(case)

    other = login(Client(), second_coordinator)
    page = other.get(f"/cases/{case.pk}/")
    assert f"/erasure/{erasure.pk}/approve/".encode() in page.content
    assert approve(other, case, erasure)["Location"] == f"/cases/{case.pk}/"
    assert erased(case)
    erasure.refresh_from_db()
    assert erasure.approved_by == second_coordinator and erasure.approved_at is not None
    event = AuditEvent.objects.get(action="erase")
    assert event.actor == second_coordinator and event.case_id == case.pk
    assert event.detail["requested_by"] == coordinator.username


@pytest.mark.attack("crypto-erasure")
def test_a_single_coordinator_cannot_erase(client, case, records, coordinator, pending):
    login(client, coordinator)
    page = client.get(f"/cases/{case.pk}/")
    assert f"/erasure/{pending.pk}/approve/".encode() not in page.content  # no button to approve one's own
    response = approve(client, case, pending)
    assert response.status_code == 302
    assert not erased(case)
    assert ErasureRequest.objects.get().pending
    assert not AuditEvent.objects.filter(action="erase").exists()
    assert "Another coordinator must approve" in client.get(response["Location"]).content.decode()


@pytest.mark.attack("insider")
def test_the_database_refuses_a_self_approved_request(case, coordinator, pending):
    """Even code (or a shell) that skips approve() cannot record a request approved by its requester."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.filter(pk=pending.pk).update(approved_by=coordinator)


@pytest.mark.attack("crypto-erasure")
@pytest.mark.parametrize("role", ["caseworker", "researcher", "administrator"])
def test_other_roles_can_neither_request_nor_approve(client, case, records, pending, role, make_user, caseworker, researcher):
    user = {"caseworker": caseworker, "researcher": researcher}.get(role) or make_user(role)
    case.access.get_or_create(user=user)
    login(client, user)
    assert ask(client, case).status_code == 403
    assert approve(client, case, pending).status_code == 403
    assert cancel(client, case, pending).status_code == 403
    assert ErasureRequest.objects.get().pending and not erased(case)
    assert b"Request erasure" not in client.get(f"/cases/{case.pk}/").content


@pytest.mark.attack("idor")
def test_a_request_of_another_case_is_not_found(client, case, records, pending, second_coordinator):
    other_case = Case.objects.create(title="Another family")
    login(client, second_coordinator)
    assert approve(client, other_case, pending).status_code == 404
    assert cancel(client, other_case, pending).status_code == 404
    assert not erased(case) and not erased(other_case)


@pytest.mark.attack("csrf")
def test_approval_without_the_csrf_token_is_refused(case, records, pending, second_coordinator):
    client = login(Client(enforce_csrf_checks=True), second_coordinator)
    assert approve(client, case, pending).status_code == 403
    assert not erased(case)


def test_approving_needs_a_post(client, case, pending, second_coordinator):
    login(client, second_coordinator)
    assert client.get(f"/cases/{case.pk}/erasure/{pending.pk}/approve/").status_code == 405
    assert not erased(case)


def test_a_cancelled_request_cannot_be_approved(client, case, records, pending, coordinator, second_coordinator):
    login(client, coordinator)
    cancel(client, case, pending)
    pending.refresh_from_db()
    assert pending.cancelled_at is not None
    approve(login(Client(), second_coordinator), case, pending)
    assert not erased(case)
    assert AuditEvent.objects.filter(action="update", object_type="erasurerequest", fields=["cancelled_at"]).exists()


def test_one_pending_request_per_case(client, case, pending, second_coordinator):
    login(client, second_coordinator)
    response = ask(client, case, "Asked twice")
    assert "already awaiting approval" in client.get(response["Location"]).content.decode()
    assert ErasureRequest.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_a_reason_is_required_and_short(client, case, coordinator, reason):
    login(client, coordinator)
    ask(client, case, reason)
    assert not ErasureRequest.objects.exists()


def test_an_erased_case_cannot_be_asked_for_again(client, case, coordinator):
    case.erase()
    login(client, coordinator)
    ask(client, case)
    assert not ErasureRequest.objects.exists()
    assert b"Request erasure" not in client.get(f"/cases/{case.pk}/").content


def test_the_erasure_section_in_russian(client, case, pending, second_coordinator):
    login(client, second_coordinator)
    response = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert pending.reason in response.content.decode()


@pytest.mark.attack("crypto-erasure")
def test_after_erasure_nothing_opens_even_with_the_master_key(client, case, records, pending, second_coordinator):
    name_row = PersonName.objects.filter(person=records["person"]).values_list("pk", "value").first()
    narrative = Incident.objects.filter(pk=records["incident"].pk).values_list("narrative", flat=True).get()
    blob = records["evidence"].blob_path
    assert blob.exists()

    login(client, second_coordinator)
    approve(client, case, pending)

    # The ciphertext stays in the database, but the only key that opened it is gone.
    assert PersonName.objects.filter(pk=name_row[0]).values_list("value", flat=True).get() == name_row[1]
    assert Incident.objects.filter(pk=records["incident"].pk).values_list("narrative", flat=True).get() == narrative
    assert erased(case)
    candidates = [sealing.master_key()] + [
        KeyMaterial.unwrapped(name) for name in KeyMaterial.objects.values_list("pk", flat=True)
    ]
    aad = f"records.incident.narrative:{records['incident'].pk}".encode()
    for key in candidates:
        with pytest.raises(aead.DecryptionError):
            aead.unseal(key, bytes(narrative), aad)
    assert not blob.exists()
    with sealing.scope():
        assert PersonName.objects.get(pk=name_row[0]).value.reason == "erased"
        assert Incident.objects.get(pk=records["incident"].pk).narrative.reason == "erased"
    page = client.get(f"/persons/{records['person'].pk}/").content.decode()
    assert "Karimov" not in page and "Каримов" not in page


def test_approval_needs_a_recent_password_confirmation(client, case, records, pending, second_coordinator, settings):
    from .test_reauth import age_login

    settings.SHELTER_REAUTH_MINUTES = 10
    login(client, second_coordinator)
    age_login(client, 11)
    response = approve(client, case, pending)
    assert response.status_code == 302 and response["Location"].startswith("/login/confirm/")
    assert not erased(case)
    assert ErasureRequest.objects.get().pending
