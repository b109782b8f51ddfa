"""The export pages: a request screened from the form or a file, its screening in both languages, its
versions, memo and letter — each request seen by its author and the coordinators only."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shelter.audit.models import AuditEvent
from shelter.exportcontrol import screening
from shelter.exportcontrol.models import ExportRequest, Screening
from shelter.exports.request import from_json

from .conftest import login
from .exports_records import controller_for_university, imsi_catcher, service, service_elsewhere  # noqa: F401


def form(**changes):
    data = {"reference": "EX-2026-017", "exporter": "Funkwerk Test GmbH", "description": "IMSI catcher (cell-site simulator)",
            "control_code": "", "param_air_interface": "yes", "param_purpose": "law_enforcement", "destination": "UZ", "end_use": "",
            "party_0_role": "end_user", "party_0_name": "Служба государственной безопасности Республики Узбекистан",
            "party_0_country": "UZ"}
    data.update(changes)
    return data


def kept(user, request=None):
    return screening.save(from_json(request or imsi_catcher()), user)


def test_a_caseworker_screens_a_request_from_the_form(client, caseworker, service):
    login(client, caseworker)
    response = client.post("/exports/new/", form())
    stored = ExportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{stored.pk}/"
    assert stored.request["item"]["parameters"] == {"air_interface": True, "purpose": "law_enforcement"}
    page = client.get(response["Location"]).content.decode()
    assert "Deny" in page and "5A001.f" in page and service.name in page
    assert "3 documented incidents in the cases you may see" in page


def test_the_screening_reads_in_russian(client, caseworker, service):
    login(client, caseworker)
    stored = kept(caseworker).request
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get(f"/exports/{stored.pk}/").content.decode()
    assert "Отказать" in page and "Рекомендация" in page and "Поддержка решения, а не юридическая консультация" in page


def test_a_request_file_is_screened_like_the_form(client, caseworker, service):
    login(client, caseworker)
    upload = SimpleUploadedFile("request.json", json.dumps(controller_for_university()).encode(), "application/json")
    response = client.post("/exports/new/", {"file": upload})
    assert response.status_code == 302
    assert ExportRequest.objects.get().latest().recommendation == "no_objection_found"


@pytest.mark.parametrize("changes, field, message", [
    ({"description": ""}, "description", "This field is required."),
    ({"party_0_role": ""}, "party_0_role", "Choose a role for this party."),
    ({"param_purpose": "spying"}, "param_purpose", "Select a valid choice."),
    ({"destination": "QQ"}, "destination", "Select a valid choice."),
])
def test_a_bad_form_says_what_is_wrong_and_stores_nothing(client, caseworker, changes, field, message):
    login(client, caseworker)
    response = client.post("/exports/new/", form(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert field in response.context["form"].errors and not ExportRequest.objects.exists()


def test_a_bad_file_says_why(client, caseworker):
    login(client, caseworker)
    response = client.post("/exports/new/", {"file": SimpleUploadedFile("r.json", b'{"id": "X", "item": {}}')})
    assert "item.description: is required" in response.content.decode() and not ExportRequest.objects.exists()


def test_screening_again_keeps_the_earlier_version(client, caseworker, service):
    login(client, caseworker)
    stored = kept(caseworker).request
    assert client.post(f"/exports/{stored.pk}/screen/").status_code == 302
    assert list(stored.screenings.values_list("version", flat=True)) == [2, 1]
    page = client.get(f"/exports/{stored.pk}/?version=1").content.decode()
    assert "<strong>Version 1</strong>" in page
    assert client.get(f"/exports/{stored.pk}/?version=9").status_code == 404


def test_changing_the_request_screens_it_as_its_next_version(client, caseworker, service):
    login(client, caseworker)
    stored = kept(caseworker).request
    assert client.get(f"/exports/{stored.pk}/edit/").context["form"].initial["party_0_name"] == "Davlat xavfsizlik xizmati"
    client.post(f"/exports/{stored.pk}/edit/", form(description="Industrial controller", party_0_name="Acme Ltd", party_0_country="DE",
                                                    destination="DE"))
    assert stored.latest().version == 2 and stored.latest().recommendation == "no_objection_found"


def test_the_memo_and_the_letter_are_downloads_audited_as_exports(client, caseworker, service):
    login(client, caseworker)
    shown = kept(caseworker)
    pdf = client.get(f"/exports/screenings/{shown.pk}/memo/?lang=ru&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "EX-2026-017" not in pdf["Content-Disposition"]  # the reference may name a buyer: not in a file name
    letter = client.get(f"/exports/screenings/{shown.pk}/letter/").content.decode()
    assert "Article 5 of Regulation (EU) 2021/821" in letter
    assert client.get(f"/exports/screenings/{shown.pk}/other/").status_code == 404
    assert AuditEvent.objects.filter(action="export", object_type__startswith="export_").count() == 2


@pytest.mark.attack("idor")
def test_another_caseworker_cannot_see_the_request_or_its_documents(client, caseworker, other_caseworker, service):
    shown = kept(caseworker)
    login(client, other_caseworker)
    assert client.get(f"/exports/{shown.request_id}/").status_code == 404
    assert client.get(f"/exports/screenings/{shown.pk}/memo/").status_code == 404
    assert client.post(f"/exports/{shown.request_id}/screen/").status_code == 404
    assert client.get(f"/exports/{shown.request_id}/edit/").status_code == 404
    assert shown.request.reference not in client.get("/exports/").content.decode()
    assert Screening.objects.count() == 1


@pytest.mark.attack("idor")
def test_a_coordinator_sees_every_request_and_an_auditor_none(client, caseworker, coordinator, auditor, service):
    shown = kept(caseworker)
    login(client, coordinator)
    assert client.get(f"/exports/{shown.request_id}/").status_code == 200
    client.logout()
    login(client, auditor)
    assert client.get("/exports/").status_code == 403 and client.get(f"/exports/{shown.request_id}/").status_code == 403


@pytest.mark.attack("insider")
def test_incidents_behind_a_match_are_counted_and_linked_only_within_the_readers_cases(
        client, caseworker, other_caseworker, service, service_elsewhere):
    shown = kept(caseworker)
    login(client, caseworker)
    page = client.get(f"/exports/{shown.request_id}/").content.decode()
    assert "3 documented incidents" in page and f"/incidents/{service_elsewhere.pk}/" not in page
    assert "Also documented in cases you may not see: ask a coordinator." in page
    assert service_elsewhere.case.title not in page


@pytest.mark.attack("insider")
def test_a_screening_kept_by_a_coordinator_links_only_what_the_reader_may_open(
        client, caseworker, coordinator, service, service_elsewhere):
    shown = kept(coordinator)
    ExportRequest.objects.filter(pk=shown.request_id).update(created_by=caseworker)  # as if handed over
    login(client, caseworker)
    page = client.get(f"/exports/{shown.request_id}/").content.decode()
    assert f"/incidents/{service_elsewhere.pk}/" not in page


@pytest.mark.attack("xss")
def test_request_text_is_escaped_in_the_page_the_memo_and_the_letter(client, caseworker, service):
    hostile = "<script>alert(1)</script>"
    shown = kept(caseworker, imsi_catcher(party=hostile, id=hostile, exporter=hostile, end_use=hostile,
                                          item={"description": f"IMSI catcher {hostile}"}))
    login(client, caseworker)
    for path in (f"/exports/{shown.request_id}/", f"/exports/screenings/{shown.pk}/memo/",
                 f"/exports/screenings/{shown.pk}/letter/", "/exports/", f"/exports/{shown.request_id}/edit/"):
        body = client.get(path).content.decode()
        assert hostile not in body and "&lt;script&gt;" in body, path


def test_the_menu_leads_to_the_exports(client, researcher):
    login(client, researcher)
    assert 'href="/exports/"' in client.get("/exports/").content.decode()
