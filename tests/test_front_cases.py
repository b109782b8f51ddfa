import pytest

from shelter.audit.models import AuditEvent
from shelter.records.models import Case, CaseAccess

from .conftest import login
from .test_reauth import age_login


def test_opening_a_case_puts_its_author_on_the_access_list(client, caseworker):
    login(client, caseworker)
    response = client.post("/cases/new/", {"title": "Kabirov family", "status": "open", "opened_on": "2026-11-01", "submission_id": "a1"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert CaseAccess.objects.filter(case=case, user=caseworker).exists()
    assert AuditEvent.objects.filter(action="create", object_id=str(case.pk), actor=caseworker).exists()


def test_a_double_submitted_form_creates_one_case(client, caseworker):
    login(client, caseworker)
    data = {"title": "Kabirov family", "status": "open", "opened_on": "2026-11-01", "submission_id": "same"}
    first = client.post("/cases/new/", data)
    second = client.post("/cases/new/", data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert b"already been submitted" in client.get(second["Location"]).content


def test_researchers_cannot_open_cases(client, researcher):
    login(client, researcher)
    assert client.post("/cases/new/", {"title": "x", "status": "open", "opened_on": "2026-11-01"}).status_code == 403
    assert Case.objects.count() == 0


def test_an_invalid_date_is_a_form_error_and_changes_nothing(client, caseworker, case):
    login(client, caseworker)
    response = client.post(f"/cases/{case.pk}/edit/", {"title": "Changed", "status": "open", "opened_on": "2026-13-45"})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert Case.objects.get(pk=case.pk).title == "Family of Ulugbek Karimov"


def test_editing_records_the_changed_field_names_only(client, caseworker, case):
    login(client, caseworker)
    client.post(f"/cases/{case.pk}/edit/", {"title": "Secret new title", "status": "monitoring", "opened_on": "2026-11-01", "notes": "Met in Istanbul"})
    event = AuditEvent.objects.filter(action="update", object_id=str(case.pk)).get()
    assert set(event.fields) == {"title", "status", "opened_on"}
    assert "Secret" not in str(event.detail) and "Secret" not in str(event.fields)


def test_the_case_page_shows_its_change_history(client, caseworker, case):
    login(client, caseworker)
    client.post(f"/cases/{case.pk}/edit/", {"title": "New", "status": "closed", "opened_on": "2026-11-01"})
    response = client.get(f"/cases/{case.pk}/")
    assert b"Change history" in response.content
    assert b"caseworker</strong> changed" in response.content


def test_coordinators_grant_and_revoke_access(client, coordinator, other_caseworker, case):
    login(client, coordinator)
    client.post(f"/cases/{case.pk}/access/", {"user": other_caseworker.pk})
    assert CaseAccess.objects.filter(case=case, user=other_caseworker).exists()
    client.post(f"/cases/{case.pk}/access/{other_caseworker.pk}/revoke/")
    assert not CaseAccess.objects.filter(case=case, user=other_caseworker).exists()
    assert AuditEvent.objects.filter(action="grant", case_id=case.pk).exists()
    assert AuditEvent.objects.filter(action="revoke", case_id=case.pk).exists()


def test_caseworkers_cannot_change_the_access_list(client, caseworker, other_caseworker, case):
    login(client, caseworker)
    assert client.post(f"/cases/{case.pk}/access/", {"user": other_caseworker.pk}).status_code == 403
    assert not CaseAccess.objects.filter(case=case, user=other_caseworker).exists()


def test_deadlines_can_be_added_and_ticked_off(client, caseworker, case):
    login(client, caseworker)
    client.post(f"/cases/{case.pk}/deadlines/", {"title": "CCF reply", "due_on": "2030-02-01"})
    deadline = case.deadline_set.get()
    assert deadline.title == "CCF reply"
    assert b"Mark done</button>" in client.get(f"/cases/{case.pk}/").content
    client.post(f"/cases/{case.pk}/deadlines/{deadline.pk}/done/")
    deadline.refresh_from_db()
    assert deadline.done
    page = client.get(f"/cases/{case.pk}/").content
    assert b"<s>" in page and b"CCF reply" in page and b"Mark done" not in page


def test_an_erased_case_shows_no_identity_and_refuses_edits(client, caseworker, case, person):
    case.erase()
    login(client, caseworker)
    response = client.get(f"/cases/{case.pk}/")
    assert "Karimov".encode() not in response.content
    assert b"crypto-erased" in response.content
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 403


@pytest.mark.attack("insider")
def test_granting_access_asks_for_the_password_again_after_an_old_login(client, coordinator, other_caseworker, case):
    login(client, coordinator)
    age_login(client, 11)
    response = client.post(f"/cases/{case.pk}/access/", {"user": other_caseworker.pk})
    assert response.status_code == 302 and response.url == f"/login/confirm/?next=%2Fcases%2F{case.pk}%2F"
    assert not CaseAccess.objects.filter(case=case, user=other_caseworker).exists()


@pytest.mark.parametrize("kind, status, reads", [
    ("red_notice", "granted", "Published by Interpol: the notice is in force"),
    ("extradition", "granted", "Extradition granted"),
    ("ccf_deletion", "granted", "Data deleted or corrected"),
    ("court", "granted", "Granted"),  # no more precise reading: the plain status
])
def test_a_process_status_says_what_was_granted(client, caseworker, records, kind, status, reads):
    from shelter.records.models import LegalProcess

    process = LegalProcess.objects.create(case=records["case"], person=records["person"], kind=kind, status=status)
    login(client, caseworker)
    for path in (f"/processes/{process.pk}/", "/processes/", f"/cases/{records['case'].pk}/"):
        assert reads in client.get(path).content.decode(), path


def test_a_granted_red_notice_reads_in_russian(client, caseworker, records):
    from shelter.records.models import LegalProcess

    process = LegalProcess.objects.create(case=records["case"], person=records["person"], kind="red_notice", status="granted")
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    assert "Опубликовано Интерполом: уведомление действует" in client.get(f"/processes/{process.pk}/").content.decode()
