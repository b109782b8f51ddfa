"""/api/v1/notices and /api/v1/alerts: requests entered by hand and screened against the registry,
and the triage of the alerts they raise, on the cases the token's user can see."""

import datetime
import json
import re
import uuid

import pytest
from django.utils import timezone

from shelter.audit.models import AuditEvent
from shelter.notices.models import AlertStatus, Notice, NoticeAlert, NoticeVersion
from shelter.records.models import Case, CaseAccess, Deadline, LegalProcess
from tests.apiclient import api, shows_identity, url
from tests.test_attack_sqli import PAYLOADS

REQUEST = {
    "kind": "extradition",
    "requesting_state": "uz",
    "name": "Karimov",
    "forename": "Ulugbek",
    "aliases": ["Ulugbek Karimov"],
    "birth_date": "1979-08",
    "gender": "male",
    "nationalities": ["UZ"],
    "charges": [{"charge": "Art. 159 Criminal Code (encroachment on the constitutional order)", "translation": ""}],
    "issued_on": "2024-02-11",
    "charged_on": "2023-12",
    "in_absentia": True,
    "facts_summary": "Accused of membership of a banned movement.",
    "penalty_years": 12.5,
}


def post(user, path, body=None, **client_options):
    # No body at all when ``body`` is None (the test client would otherwise send an empty form).
    data = "" if body is None else body
    return api(user, **client_options).post(url(path), data, content_type="application/json")


def enter(user, body=REQUEST):
    return post(user, "notices", body)


@pytest.fixture
def alert(caseworker, person):
    response = enter(caseworker)
    assert response.status_code == 201, response.content
    return NoticeAlert.objects.get()


def stored():
    return Notice.objects.count(), NoticeVersion.objects.count(), NoticeAlert.objects.count()


# --- entering a request -------------------------------------------------------------------------


def test_a_request_naming_a_registered_person_raises_an_alert_on_their_case(caseworker, person):
    response = enter(caseworker)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["kind"], body["requesting_state"]) == ("manual", "extradition", "UZ")
    assert (body["name"], body["forename"], body["birth_date"]) == ("Karimov", "Ulugbek", "1979-08")
    assert body["charges"] == [{"charge": REQUEST["charges"][0]["charge"], "translation": "", "issuing_state": "UZ"}]
    assert (body["issued_on"], body["in_absentia"], body["penalty_years"]) == ("2024-02-11", True, 12.5)
    [alert] = body["alerts"]
    assert (alert["person_id"], alert["case_id"]) == (str(person.pk), str(person.case_id))
    assert alert["status"] == "open" and alert["notice_id"] == body["id"]
    assert {"name", "birth_date", "nationality"} <= {f["feature"] for f in alert["explanation"]}
    assert NoticeAlert.objects.get().person == person
    assert response["Cache-Control"] == "no-store"


def test_the_reference_is_shelters_own_and_never_the_callers(caseworker, person):
    first = enter(caseworker, REQUEST | {"reference": "../../etc", "entity_id": "<b>x</b>"}).json()
    second = enter(caseworker).json()
    for body in (first, second):
        assert re.fullmatch(r"M-[0-9A-F]{10}", body["reference"])
    assert first["reference"] != second["reference"]
    assert Notice.objects.count() == 2


def test_the_requests_own_reference_is_kept_beside_shelters(caseworker, researcher, person):
    body = enter(caseworker, REQUEST | {"request_reference": "Letter 12/3-456"}).json()
    assert body["request_reference"] == "Letter 12/3-456" and body["reference"].startswith("M-")
    assert Notice.objects.get().request_reference == "Letter 12/3-456"


def test_a_request_is_stored_with_its_first_version_and_the_entry_audited(caseworker, person):
    response = api(caseworker).post(url("notices"), REQUEST, content_type="application/json", headers={"Idempotency-Key": "k1"})
    notice = Notice.objects.get(pk=response.json()["id"])
    assert [v.version for v in notice.versions.all()] == [1]
    event = AuditEvent.objects.get(action="create", object_type="notice")
    assert event.actor == caseworker and "name" in event.fields
    assert AuditEvent.objects.get(action="import_notices").detail["alerts"] == 1
    again = api(caseworker).post(url("notices"), REQUEST, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert again.status_code == 409
    assert Notice.objects.count() == 1


def test_a_request_entered_without_a_case_is_read_by_every_identity_reader(caseworker, other_caseworker, person):
    notice_id = enter(caseworker).json()["id"]
    assert api(other_caseworker).get(url(f"notices/{notice_id}")).status_code == 200
    assert api(other_caseworker).get(url("notices")).json()["count"] == 1
    # ... but the alert it raised is on the person's case, which the other caseworker does not see.
    assert api(other_caseworker).get(url("alerts")).json()["count"] == 0


@pytest.mark.attack("idor")
def test_a_request_entered_on_a_case_is_seen_by_that_cases_users_only(caseworker, other_caseworker, case):
    response = enter(caseworker, REQUEST | {"case": str(case.pk)})
    assert response.status_code == 201, response.content
    assert response.json()["case_id"] == str(case.pk)
    notice_id = response.json()["id"]
    outsider = api(other_caseworker)
    hidden = outsider.get(url(f"notices/{notice_id}"))
    assert hidden.status_code == 404
    assert hidden.content == outsider.get(url(f"notices/{uuid.uuid4()}")).content
    assert outsider.get(url("notices")).json()["count"] == 0
    assert api(caseworker).get(url(f"notices/{notice_id}")).json()["name"] == "Karimov"


@pytest.mark.attack("idor")
def test_a_request_on_a_case_the_caller_does_not_see_is_a_404(other_caseworker, case):
    for case_id in (case.pk, uuid.uuid4()):
        response = enter(other_caseworker, REQUEST | {"case": str(case_id)})
        assert response.status_code == 404
    assert stored() == (0, 0, 0)


@pytest.mark.attack("crypto-erasure")
def test_a_request_on_an_erased_case_is_refused(caseworker, case):
    case.erase()
    assert enter(caseworker, REQUEST | {"case": str(case.pk)}).status_code == 400
    assert stored() == (0, 0, 0)


@pytest.mark.attack("insider")
@pytest.mark.parametrize("role", ["researcher", "auditor"])
def test_roles_that_do_not_read_identity_may_neither_read_nor_enter_requests(request, alert, role):
    user = request.getfixturevalue(role)
    client = api(user)
    responses = [
        enter(user), client.get(url("notices")), client.get(url(f"notices/{alert.notice_id}")),
        client.get(url("alerts")), client.get(url(f"alerts/{alert.pk}")),
        post(user, f"alerts/{alert.pk}/confirm"), post(user, f"alerts/{alert.pk}/dismiss", {"reason": "not him"}),
        post(user, f"alerts/{alert.pk}/escalate", {}),
    ]
    assert [r.status_code for r in responses] == [403] * len(responses)
    for response in responses:
        assert response.json()["detail"] and not shows_identity(response)
    assert stored() == (1, 1, 1)
    assert NoticeAlert.objects.get().status == AlertStatus.OPEN


def test_it_needs_a_token(person):
    from django.test import Client

    assert Client().post(url("notices"), REQUEST, content_type="application/json").status_code == 401
    assert Client().get(url("alerts")).status_code == 401
    assert stored() == (0, 0, 0)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"requesting_state": "ZZ"},
        {"requesting_state": "USSR"},
        {"requesting_state": ""},
        {"nationalities": ["UZ", "XX"]},
        {"charges": [{"charge": "x", "issuing_state": "QQ"}]},
        {"charges": [{"charge": "   "}]},
        {"charges": [{"translation": "no charge"}]},
        {"birth_date": "1979-13"},
        {"birth_date": "1979-02-30"},
        {"issued_on": "yesterday"},
        {"penalty_years": 101},
        {"penalty_years": -1},
        {"penalty_years": 1.25},
        {"kind": "arrest_warrant"},
        {"gender": "unknown-value"},
        {"name": "", "forename": ""},
        {"name": "  ", "forename": " "},
        {"name": "Каримов", "forename": "Ulugbek"},
        {"aliases": [""]},
        {"aliases": ["Dr"]},
        {"name": "K" * 600},
        {"forename": "Ulugbek " * 50},
        {"aliases": ["Ulugbek Karimov"] * 21},
        {"aliases": [f"Karimov {letter}li" for letter in "ABCDEF"]},  # more than a person may have (matching.MAX_ALIASES)
        {"name": " ".join(["Karimov"] * 9)},  # more parts than a name may have (matching.MAX_PARTS)
        {"nationalities": ["UZ"] * 11},
        {"charges": [{"charge": "x" * 2001}]},
        {"facts_summary": "x" * 100_001},
        {"case": "not-a-uuid"},
    ],
)
def test_bad_input_gets_a_reason_and_nothing_is_stored(caseworker, person, change):
    response = enter(caseworker, REQUEST | change)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert stored() == (0, 0, 0)
    assert not AuditEvent.objects.filter(action__in=["import_notices", "create"], object_type__in=["", "notice"]).exists()


def test_the_reason_names_the_field_and_never_quotes_the_name(caseworker, person):
    response = enter(caseworker, REQUEST | {"aliases": ["Ulugbek Karimov", "Ulugbek Каримов"], "birth_date": "Karimov"})
    assert response.status_code == 422
    assert not shows_identity(response)
    response = enter(caseworker, REQUEST | {"aliases": ["Ulugbek Karimov", "Ulugbek Каримов"]})
    assert response.json()["detail"].startswith("aliases[1]:")
    assert not shows_identity(response)


@pytest.mark.attack("sqli")
@pytest.mark.parametrize("field", ["name", "forename", "aliases", "facts_summary", "charges", "translation"])
def test_a_nul_character_is_refused_with_a_reason_not_a_server_error(caseworker, person, field):
    text = "Kari\x00mov"
    change = {
        "aliases": {"aliases": [text]},
        "charges": {"charges": [{"charge": text}]},
        "translation": {"charges": [{"charge": "Art. 159", "translation": text}]},
    }.get(field, {field: text})
    response = enter(caseworker, REQUEST | change)
    assert response.status_code == 422
    assert "NUL" in json.dumps(response.json())
    assert stored() == (0, 0, 0)


@pytest.mark.attack("sqli")
def test_injection_in_text_fields_is_stored_as_text_or_refused(caseworker, person):
    created = 0
    for payload in PAYLOADS:
        body = REQUEST | {"facts_summary": payload, "charges": [{"charge": payload}], "aliases": [payload]}
        response = api(caseworker, raise_request_exception=False).post(url("notices"), body, content_type="application/json")
        assert response.status_code in (201, 422), (payload[:40], response.status_code)
        if response.status_code == 201:
            created += 1
            assert response.json()["facts_summary"] == payload.strip()
            assert response.json()["charges"][0]["charge"] == " ".join(payload.split())
    assert created and Notice.objects.count() == created
    assert api(caseworker).get(url("notices"), {"kind": "' OR 1=1 --"}).status_code == 422


@pytest.mark.attack("xss")
def test_markup_in_text_fields_comes_back_as_json_data(caseworker, person):
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = enter(caseworker, REQUEST | {"facts_summary": markup, "charges": [{"charge": markup, "translation": markup}]})
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    notice_id = response.json()["id"]
    fetched = api(caseworker).get(url(f"notices/{notice_id}"))
    assert fetched["Content-Type"].startswith("application/json")
    body = fetched.json()
    assert body["facts_summary"] == markup
    assert body["charges"][0] == {"charge": markup, "translation": markup, "issuing_state": "UZ"}


# --- alerts and their triage --------------------------------------------------------------------


def test_the_alert_list_and_detail_show_the_alert_and_why(caseworker, alert):
    client = api(caseworker)
    listed = client.get(url("alerts")).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == str(alert.pk)
    assert "explanation" not in listed["items"][0]
    detail = client.get(url(f"alerts/{alert.pk}")).json()
    assert detail["notice_kind"] == "extradition" and detail["notice_reference"].startswith("M-")
    assert detail["explanation"] and detail["score"] == pytest.approx(alert.score)
    assert client.get(url("alerts"), {"status": "dismissed"}).json()["count"] == 0
    assert client.get(url("alerts"), {"status": "open", "case": str(alert.case_id)}).json()["count"] == 1
    assert client.get(url("alerts"), {"status": "whatever"}).status_code == 422


@pytest.mark.attack("idor")
def test_an_outsider_gets_404_on_the_alerts_of_a_case_they_do_not_see(other_caseworker, alert):
    client = api(other_caseworker)
    hidden = client.get(url(f"alerts/{alert.pk}"))
    assert hidden.status_code == 404
    assert hidden.content == client.get(url(f"alerts/{uuid.uuid4()}")).content
    assert client.get(url("alerts")).json()["count"] == 0
    for decision, body in (("confirm", None), ("dismiss", {"reason": "not him"}), ("escalate", {"note": "?"})):
        assert post(other_caseworker, f"alerts/{alert.pk}/{decision}", body).status_code == 404
    assert not shows_identity(hidden)
    assert NoticeAlert.objects.get().status == AlertStatus.OPEN
    assert not LegalProcess.objects.exists()


def test_confirming_records_a_legal_process_and_opens_a_task(caseworker, alert, person):
    response = post(caseworker, f"alerts/{alert.pk}/confirm")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["decided_by"] == caseworker.username
    process = LegalProcess.objects.get(pk=body["process_id"])
    assert (process.person, process.kind, process.requesting_state) == (person, "extradition", "UZ")
    assert process.reference == body["notice_reference"]
    task = Deadline.objects.get(pk=body["task_id"])
    assert task.case == person.case and task.due_on == timezone.localdate() + datetime.timedelta(days=14)
    event = AuditEvent.objects.get(action="alert_confirmed")
    assert (event.actor, event.object_id, event.case_id) == (caseworker, str(alert.pk), person.case_id)


def test_dismissing_with_a_reason_is_audited_without_it(caseworker, alert):
    response = post(caseworker, f"alerts/{alert.pk}/dismiss", {"reason": "Born in Samarkand, ours in Fergana"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reason"]) == ("dismissed", "Born in Samarkand, ours in Fergana")
    event = AuditEvent.objects.get(action="alert_dismissed")
    assert event.actor == caseworker and "Samarkand" not in json.dumps(event.detail)
    assert not LegalProcess.objects.exists()


@pytest.mark.parametrize("body", [None, {}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 1001}, {"note": "why"}])
def test_dismissing_without_a_reason_is_refused_and_changes_nothing(caseworker, alert, body):
    response = post(caseworker, f"alerts/{alert.pk}/dismiss", body)
    assert response.status_code == 422
    assert response.json()["detail"]
    alert.refresh_from_db()
    assert (alert.status, alert.decided_by, alert.decided_at) == (AlertStatus.OPEN, None, None)
    assert not AuditEvent.objects.filter(action="alert_dismissed").exists()


def test_escalating_needs_no_note_and_leaves_the_alert_to_a_decision(caseworker, coordinator, alert):
    response = post(caseworker, f"alerts/{alert.pk}/escalate")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "escalated"
    assert AuditEvent.objects.filter(action="alert_escalated", actor=caseworker).count() == 1
    assert post(caseworker, f"alerts/{alert.pk}/escalate", {"note": "again"}).status_code == 409
    response = post(coordinator, f"alerts/{alert.pk}/dismiss", {"reason": "Different father's name"})
    assert response.status_code == 200
    assert response.json()["decided_by"] == coordinator.username


def test_escalating_keeps_the_note(caseworker, alert):
    response = post(caseworker, f"alerts/{alert.pk}/escalate", {"note": "Same birth month, other region"})
    assert response.json()["reason"] == "Same birth month, other region"


@pytest.mark.parametrize("decision, body", [("confirm", None), ("dismiss", {"reason": "not him"}), ("escalate", {})])
def test_a_decided_alert_is_a_conflict_with_the_reason(caseworker, alert, decision, body):
    assert post(caseworker, f"alerts/{alert.pk}/confirm").status_code == 200
    response = post(caseworker, f"alerts/{alert.pk}/{decision}", body)
    assert response.status_code == 409
    assert "already decided" in response.json()["detail"]
    assert LegalProcess.objects.count() == 1 and Deadline.objects.count() == 1
    assert NoticeAlert.objects.get().status == AlertStatus.CONFIRMED


@pytest.mark.attack("crypto-erasure")
def test_an_alert_of_an_erased_case_is_gone_with_it(caseworker, alert, case):
    case.erase()
    assert post(caseworker, f"alerts/{alert.pk}/confirm").status_code == 404
    assert not NoticeAlert.objects.exists() and not LegalProcess.objects.exists()


@pytest.mark.attack("idor")
def test_a_coordinator_decides_on_any_case_and_a_new_caseworker_once_on_the_list(coordinator, other_caseworker, alert):
    assert post(other_caseworker, f"alerts/{alert.pk}/escalate").status_code == 404
    CaseAccess.objects.create(case=Case.objects.get(pk=alert.case_id), user=other_caseworker)
    assert post(other_caseworker, f"alerts/{alert.pk}/escalate").status_code == 200
    assert post(coordinator, f"alerts/{alert.pk}/confirm").status_code == 200



def test_the_schema_offers_exactly_these_operations(db):
    from tests.test_api_schema import openapi

    paths = openapi()["paths"]
    assert set(paths["/api/v1/notices"]) == {"get", "post"}
    assert set(paths["/api/v1/notices/{id}"]) == {"get"}
    assert set(paths["/api/v1/alerts"]) == {"get"}
    assert set(paths["/api/v1/alerts/{id}"]) == {"get"}
    for decision in ("confirm", "dismiss", "escalate"):
        assert set(paths[f"/api/v1/alerts/{{id}}/{decision}"]) == {"post"}


# --- a request entered on a case reaches no further than its case's users ---------------------

FACTS = "Client Ivan Ivanovich Petrov, phone +7 900 555 12 34"


@pytest.fixture
def on_both(make_user, case, elsewhere):
    user = make_user("caseworker", "on-both")
    CaseAccess.objects.create(case=case, user=user)
    CaseAccess.objects.create(case=elsewhere.case, user=user)
    return user


def leaks(response) -> bool:
    text = response.content.decode()
    return "Petrov" in text or "+7 900" in text or "M-" in text


@pytest.mark.attack("idor")
def test_a_request_on_a_case_raises_no_alert_on_cases_its_author_does_not_see(caseworker, other_caseworker, person, elsewhere):
    response = enter(other_caseworker, REQUEST | {"case": str(elsewhere.case_id), "facts_summary": FACTS})
    assert response.status_code == 201, response.content
    assert [a["case_id"] for a in response.json()["alerts"]] == [str(elsewhere.case_id)]
    assert not NoticeAlert.objects.filter(case=person.case).exists()
    assert api(caseworker).get(url("alerts")).json()["count"] == 0


@pytest.mark.attack("idor")
def test_an_alert_from_a_request_the_caller_cannot_read_shows_no_more_of_it(caseworker, coordinator, on_both, person, elsewhere):
    enter(on_both, REQUEST | {"case": str(elsewhere.case_id), "facts_summary": FACTS})
    alert = NoticeAlert.objects.get(case=person.case)
    client = api(caseworker)
    listed, detail = client.get(url("alerts")), client.get(url(f"alerts/{alert.pk}"))
    assert listed.json()["items"][0]["notice_reference"] is None
    assert detail.status_code == 200 and detail.json()["notice_reference"] is None and detail.json()["explanation"] is None
    assert not leaks(listed) and not leaks(detail)
    assert client.get(url(f"notices/{alert.notice_id}")).status_code == 404
    for decision, body in (("confirm", None), ("dismiss", {"reason": "not him"})):
        refused = post(caseworker, f"alerts/{alert.pk}/{decision}", body)
        assert refused.status_code == 403 and "escalate" in refused.json()["detail"]
    assert not LegalProcess.objects.exists()
    assert post(caseworker, f"alerts/{alert.pk}/escalate", {"note": "for a coordinator"}).json()["status"] == "escalated"
    confirmed = post(coordinator, f"alerts/{alert.pk}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["notice_reference"].startswith("M-")


@pytest.mark.attack("crypto-erasure")
def test_erasing_a_case_takes_its_requests_and_their_alerts_with_it(coordinator, on_both, case, person, elsewhere):
    enter(on_both, REQUEST | {"case": str(case.pk), "facts_summary": FACTS})
    assert NoticeAlert.objects.filter(case=elsewhere.case).exists()
    case.erase()
    client = api(coordinator)
    for path in ("notices", "alerts"):
        response = client.get(url(path))
        assert response.status_code == 200 and response.json()["count"] == 0
    assert not leaks(response) and stored() == (0, 0, 0)


@pytest.mark.attack("crypto-erasure")
def test_rows_an_earlier_erasure_left_behind_read_as_gone_or_null_never_a_server_error(coordinator, on_both, case, person, elsewhere):
    """A case erased by an earlier version kept its requests and their alerts: the API still answers
    200, without the request (its case is erased) and with the alert it raised elsewhere as a bare match."""
    enter(on_both, REQUEST | {"case": str(case.pk), "facts_summary": FACTS})
    [notice] = Notice.objects.all()
    Case.objects.filter(pk=case.pk).update(wrapped_key=None)  # the key destroyed, the rows kept
    client = api(coordinator)
    notices = client.get(url("notices"))
    assert notices.status_code == 200 and notices.json()["count"] == 0
    assert client.get(url(f"notices/{notice.pk}")).status_code == 404
    alerts = client.get(url("alerts"))
    assert alerts.status_code == 200, alerts.content
    [item] = alerts.json()["items"]
    assert item["case_id"] == str(elsewhere.case_id) and item["notice_reference"] is None
    detail = client.get(url(f"alerts/{item['id']}"))
    assert detail.status_code == 200 and detail.json()["explanation"] is None
    assert not leaks(notices) and not leaks(alerts) and not shows_identity(detail)


@pytest.mark.attack("crypto-erasure")
def test_the_migration_removes_what_an_earlier_erasure_left_behind(on_both, case, person, elsewhere):
    from importlib import import_module

    from django.apps import apps

    enter(on_both, REQUEST | {"case": str(case.pk), "facts_summary": FACTS})
    enter(on_both, REQUEST)  # entered on no case: its alert on the erased case goes, the request stays
    Case.objects.filter(pk=case.pk).update(wrapped_key=None)
    import_module("shelter.notices.migrations.0003_forget_erased_cases").forget_erased_cases(apps, None)
    assert list(Notice.objects.values_list("case_id", flat=True)) == [None]
    assert list(NoticeAlert.objects.values_list("case_id", flat=True)) == [elsewhere.case_id]
