"""Per-case access in the web UI, for every object type: outsiders get 404, researchers get
pseudonyms and 403 on writes, handlers get the record."""

import pytest

from .conftest import login

pytestmark = pytest.mark.attack("idor")

DETAIL_PAGES = [("case", "case"), ("person", "person"), ("incident", "incident"), ("process", "process"),
                ("source", "source"), ("evidence", "evidence")]
EDIT_PAGES = [("case-edit", "case"), ("person-edit", "person"), ("incident-edit", "incident"),
              ("process-edit", "process"), ("source-edit", "source"), ("evidence-edit", "evidence")]
NESTED_NEW_PAGES = ["person-new", "incident-new", "process-new", "source-new", "evidence-new"]
LIST_PAGES = ["cases", "persons", "incidents", "processes", "sources", "evidence-list"]


@pytest.mark.parametrize("url_name,key", DETAIL_PAGES + EDIT_PAGES + [("evidence-download", "evidence")])
def test_outsiders_get_404_for_every_object_type(client, records, other_caseworker, url_name, key):
    from django.urls import reverse

    login(client, other_caseworker)
    assert client.get(reverse(url_name, args=[records[key].pk])).status_code == 404


@pytest.mark.parametrize("url_name", NESTED_NEW_PAGES)
def test_outsiders_cannot_add_records_to_a_case(client, records, other_caseworker, url_name):
    from django.urls import reverse

    login(client, other_caseworker)
    assert client.get(reverse(url_name, args=[records["case"].pk])).status_code == 404
    assert client.post(reverse(url_name, args=[records["case"].pk]), {}).status_code == 404


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_lists_do_not_show_outsiders_other_cases(client, records, other_caseworker, url_name):
    from django.urls import reverse

    login(client, other_caseworker)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert records["case"].reference.encode() not in response.content
    assert "Каримов".encode() not in response.content


@pytest.mark.parametrize("url_name,key", DETAIL_PAGES)
def test_handlers_see_every_object_type(client, records, caseworker, url_name, key):
    from django.urls import reverse

    login(client, caseworker)
    assert client.get(reverse(url_name, args=[records[key].pk])).status_code == 200


@pytest.mark.parametrize("url_name,key", DETAIL_PAGES)
def test_it_hides_identity_from_researchers(client, records, researcher, url_name, key):
    from django.urls import reverse

    login(client, researcher)
    response = client.get(reverse(url_name, args=[records[key].pk]))
    assert response.status_code == 200
    for secret in ["Каримов", "Karimov", "Taken from his flat", "Interview with the brother", "2021/12345",
                   "Family of Ulugbek", "warrant.pdf", "Scan of the warrant", "1979"]:
        assert secret.encode() not in response.content, secret


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_lists_show_researchers_pseudonyms_only(client, records, researcher, url_name):
    from django.urls import reverse

    login(client, researcher)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "Каримов".encode() not in response.content
    assert b"Karimov" not in response.content


def test_persons_list_shows_researchers_the_pseudonym(client, records, researcher):
    login(client, researcher)
    response = client.get("/persons/")
    assert records["person"].pseudonym.encode() in response.content


@pytest.mark.parametrize("url_name,key", EDIT_PAGES)
def test_researchers_cannot_edit(client, records, researcher, url_name, key):
    from django.urls import reverse

    login(client, researcher)
    assert client.get(reverse(url_name, args=[records[key].pk])).status_code == 403
    assert client.post(reverse(url_name, args=[records[key].pk]), {}).status_code == 403


def test_researchers_cannot_download_evidence(client, records, researcher):
    login(client, researcher)
    assert client.get(f"/evidence/{records['evidence'].pk}/download/").status_code == 403


def test_coordinators_see_every_case(client, records, coordinator):
    login(client, coordinator)
    assert client.get(f"/cases/{records['case'].pk}/").status_code == 200


def test_auditors_see_no_case_material(client, records, auditor):
    login(client, auditor)
    assert client.get(f"/cases/{records['case'].pk}/").status_code == 403
    assert client.get(f"/persons/{records['person'].pk}/").status_code == 403
    assert "Каримов".encode() not in client.get("/persons/").content


def test_anonymous_visitors_are_sent_to_login(client, records):
    response = client.get(f"/persons/{records['person'].pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_malformed_id_is_a_404(client, caseworker):
    login(client, caseworker)
    assert client.get("/persons/not-a-uuid/").status_code == 404


def test_reading_a_person_is_audited_without_content(client, records, caseworker):
    from shelter.audit.models import AuditEvent

    login(client, caseworker)
    client.get(f"/persons/{records['person'].pk}/")
    event = AuditEvent.objects.filter(action="read_identity", actor=caseworker).latest("id")
    assert any(o["id"] == str(records["person"].pk) for o in event.detail["objects"])
    assert "Каримов" not in str(event.detail) and "Karimov" not in str(event.detail)


AUDITOR_BARRED = [
    "/travel/?origin=UZ", "/organisations/", "/cases/", "/persons/", "/incidents/", "/processes/", "/sources/",
    "/evidence/", "/notices/", "/alerts/", "/search/", "/screen/", "/security/", "/profile/tokens/", "/api/v1/openapi.json",
]


@pytest.mark.attack("idor")
@pytest.mark.parametrize("path", AUDITOR_BARRED)
def test_auditors_reach_nothing_but_the_audit_log(client, records, auditor, path):
    login(client, auditor)
    assert client.get(path).status_code == 403


def test_an_auditor_lands_on_the_audit_log_and_keeps_their_account_page(client, auditor):
    login(client, auditor)
    assert client.get("/")["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200
    assert client.get("/profile/").status_code == 200
    menu = client.get("/audit/").content.decode()
    assert 'href="/travel/"' not in menu and 'href="/cases/"' not in menu


@pytest.mark.attack("idor")
def test_an_auditors_token_reads_nothing_through_the_api(auditor):
    from tests.apiclient import api

    response = api(auditor).get("/api/v1/cases")
    assert response.status_code == 403
    assert "audit log" in response.json()["detail"]
