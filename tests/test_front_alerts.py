"""The alerts a notice raises, and their triage: confirm, dismiss with a reason, escalate."""

import json

import pytest
from django.urls import reverse

from shelter.audit.models import AuditEvent
from shelter.notices import importing, triage
from shelter.notices.models import AlertStatus, Notice, NoticeAlert, RequestKind, RequestSource
from shelter.notices.sources import interpol
from shelter.records.models import Deadline, LegalProcess, ProcessKind

from .conftest import login

NOTICE = interpol.Notice(
    entity_id="2026/55555", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08", nationalities=("UZ",),
    gender="male", warrants=(interpol.Warrant("UZ", "Посягательство на конституционный строй", "Attempt on the constitutional order"),),
)


@pytest.fixture
def alert(person):
    report = importing.import_notices([NOTICE], source=RequestSource.INTERPOL)
    [alert] = report.alerts
    return alert


def test_the_list_shows_alerts_to_decide(client, caseworker, alert):
    response = login(client, caseworker).get(reverse("alerts"))
    assert response.status_code == 200
    assert reverse("alert", args=[alert.pk]) in response.content.decode()


def test_the_alert_page_explains_the_match(client, caseworker, alert):
    page = login(client, caseworker).get(reverse("alert", args=[alert.pk])).content.decode()
    assert "ULUGBEK" in page and "Улугбек Каримов" in page
    assert "same name in another script" in page
    assert "Attempt on the constitutional order" in page


def test_confirming_links_the_notice_and_opens_a_task(client, caseworker, alert, person):
    response = login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CONFIRMED and alert.decided_by == caseworker
    process = LegalProcess.objects.get(pk=alert.process_id)
    assert (process.person, process.kind, process.requesting_state, process.reference) == (person, "red_notice", "UZ", "2026/55555")
    task = Deadline.objects.get(pk=alert.task_id)
    assert task.case == person.case and "2026/55555" in task.title
    assert AuditEvent.objects.filter(action="alert_confirmed", object_id=str(alert.pk), actor=caseworker).exists()


def test_request_kinds_are_process_kinds():
    """One vocabulary: every kind of notice or request is a kind of legal process, with its label."""
    assert [(k.value, k.label) for k in RequestKind] == [(ProcessKind(k).value, ProcessKind(k).label) for k in RequestKind]
    assert set(RequestKind.values) < set(ProcessKind.values)


@pytest.mark.parametrize("kind", RequestKind.values)
def test_confirming_records_a_process_of_the_notices_own_kind(caseworker, person, kind):
    report = importing.import_notices([NOTICE], source=RequestSource.MANUAL, kind=kind, case=person.case)
    [alert] = report.alerts
    triage.confirm(caseworker, alert)
    assert LegalProcess.objects.get(pk=alert.process_id).kind == kind


def test_dismissing_needs_a_reason(client, caseworker, alert):
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "dismiss"]), {"reason": "  "})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    response = client.post(reverse("alert-decide", args=[alert.pk, "dismiss"]), {"reason": "Born in Samarkand, ours in Fergana"}, follow=True)
    assert "Dismissed." in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED and alert.reason == "Born in Samarkand, ours in Fergana"
    event = AuditEvent.objects.get(action="alert_dismissed")
    assert "Samarkand" not in json.dumps(event.detail)


def test_an_escalated_alert_can_still_be_confirmed_but_not_escalated_again(client, caseworker, alert):
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "escalate"]), {"note": "Two candidates"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ESCALATED
    response = client.post(reverse("alert-decide", args=[alert.pk, "escalate"]), follow=True)
    assert "already decided" in response.content.decode()
    client.post(reverse("alert-decide", args=[alert.pk, "confirm"]))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CONFIRMED


def test_a_decided_alert_cannot_be_decided_again(client, caseworker, alert):
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]))
    client.post(reverse("alert-decide", args=[alert.pk, "dismiss"]), {"reason": "changed my mind"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CONFIRMED
    assert LegalProcess.objects.count() == 1


@pytest.mark.attack("idor")
def test_it_hides_alerts_of_other_cases(client, other_caseworker, alert):
    login(client, other_caseworker)
    assert client.get(reverse("alert", args=[alert.pk])).status_code == 404
    assert client.post(reverse("alert-decide", args=[alert.pk, "confirm"])).status_code == 404
    assert reverse("alert", args=[alert.pk]) not in client.get(reverse("alerts")).content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


@pytest.mark.attack("idor")
def test_researchers_see_no_notices_or_alerts(client, researcher, alert):
    login(client, researcher)
    for url in (reverse("alerts"), reverse("notices"), reverse("alert", args=[alert.pk]), reverse("notice", args=[alert.notice_id])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("alert-decide", args=[alert.pk, "confirm"])).status_code == 403


@pytest.mark.attack("idor")
def test_deciding_needs_a_post(client, caseworker, alert):
    assert login(client, caseworker).get(reverse("alert-decide", args=[alert.pk, "confirm"])).status_code == 405


def test_an_unknown_decision_is_not_found(client, caseworker, alert):
    assert login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "approve"])).status_code == 404


@pytest.mark.attack("xss")
def test_notice_text_and_reasons_are_escaped(client, caseworker, person):
    hostile = interpol.Notice(
        entity_id="2026/66666", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08", nationalities=("UZ",),
        aliases=("<script>alert(1)</script>",), place_of_birth="<img src=x onerror=alert(2)>",
        warrants=(interpol.Warrant("UZ", "<b>extremism</b>"),),
    )
    [alert] = importing.import_notices([hostile], source=RequestSource.INTERPOL).alerts
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "dismiss"]), {"reason": "<svg onload=alert(3)>"})
    for url in (reverse("alert", args=[alert.pk]), reverse("notice", args=[alert.notice_id])):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>extremism" not in page
        assert "<svg onload" not in page
    assert "&lt;script&gt;" in client.get(reverse("notice", args=[alert.notice_id])).content.decode()


def test_the_notice_page_lists_its_versions_and_visible_alerts(client, caseworker, alert):
    page = login(client, caseworker).get(reverse("notice", args=[alert.notice_id])).content.decode()
    assert "2026/55555" in page and reverse("alert", args=[alert.pk]) in page


def test_the_pages_speak_russian(client, caseworker, alert):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    assert "Оповещения" in client.get(reverse("alerts"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_a_request_entered_by_hand_is_screened_at_once(client, caseworker, person):
    login(client, caseworker)
    response = client.post(reverse("notice-new"), {
        "kind": "extradition", "requesting_state": "UZ", "name": "Karimov", "forename": "Ulugbek",
        "birth_date": "1979-08", "nationality": "UZ", "charges": "Art. 159 CC UZ\nArt. 244-2 CC UZ",
        "charged_on": "2022-04", "in_absentia": "on", "penalty_years": "8", "facts_summary": "Took part in a banned group",
    })
    assert response.status_code == 302
    [alert] = NoticeAlert.objects.all()
    notice = alert.notice
    assert alert.person == person and notice.source == "manual" and notice.source_id.startswith("M-")
    assert (notice.kind, notice.requesting_state, notice.charged_on, notice.in_absentia) == ("extradition", "UZ", "2022-04", True)
    assert [c["charge"] for c in notice.charge_list()] == ["Art. 159 CC UZ", "Art. 244-2 CC UZ"]


def test_a_bad_request_is_refused_with_reasons_and_nothing_stored(client, caseworker):
    login(client, caseworker)
    response = client.post(reverse("notice-new"), {"kind": "extradition", "requesting_state": "ZZ", "name": "K",
                                                   "birth_date": "1979-13", "penalty_years": "500"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"requesting_state", "name", "birth_date", "penalty_years"}
    assert not Notice.objects.exists()


@pytest.mark.attack("dos")
def test_a_request_of_more_aliases_than_a_person_may_have_is_refused(client, caseworker):
    from shelter.matching import MAX_ALIASES

    login(client, caseworker)
    aliases = "\n".join(f"Karimov {letter}li" for letter in "ABCDEFGHIJ"[: MAX_ALIASES + 1])
    response = client.post(reverse("notice-new"), {"kind": "extradition", "requesting_state": "UZ", "name": "Karimov",
                                                   "forename": "Ulugbek", "aliases": aliases})
    assert response.status_code == 200
    assert response.context["form"].errors["aliases"] == [f"At most {MAX_ALIASES} lines."]
    assert not Notice.objects.exists()


@pytest.mark.attack("idor")
def test_a_request_cannot_be_entered_on_a_case_one_cannot_edit(client, other_caseworker, case):
    login(client, other_caseworker)
    response = client.post(reverse("notice-new"), {"kind": "extradition", "requesting_state": "UZ",
                                                   "name": "Karimov", "case": str(case.pk)})
    assert response.status_code == 200 and "case" in response.context["form"].errors
    assert not Notice.objects.exists()


@pytest.mark.attack("idor")
def test_a_request_entered_on_a_case_is_seen_only_by_its_users(client, caseworker, other_caseworker, case):
    login(client, caseworker).post(reverse("notice-new"), {"kind": "deportation", "requesting_state": "TJ",
                                                           "name": "Rahimov", "case": str(case.pk)})
    notice = Notice.objects.get()
    assert notice.case == case
    client.logout()
    login(client, other_caseworker)
    assert client.get(reverse("notice", args=[notice.pk])).status_code == 404
    assert notice.source_id not in client.get(reverse("notices")).content.decode()


@pytest.mark.attack("crypto-erasure")
def test_a_request_of_an_erased_case_is_never_screened_again(case, person, caseworker):
    """Its fields read "[erased]" now: screening that would match whoever is called so elsewhere."""
    from shelter.notices import triage
    from shelter.records.models import Case, Person, PersonName

    elsewhere = Person.objects.create(case=Case.objects.create(title="Other"))
    PersonName.objects.create(person=elsewhere, value="Erased Erased")
    undated = interpol.Notice(entity_id="M-ERASED", name="KARIMOV", forename="ULUGBEK")
    report = importing.import_notices([undated], source=RequestSource.MANUAL, kind="extradition", case=case)
    notice = report.created[0]
    NoticeAlert.objects.all().delete()
    case.erase()
    notice.refresh_from_db()
    assert triage.screen_notice(notice) == []


def test_the_dashboard_counts_alerts_to_triage_on_ones_cases(client, caseworker, other_caseworker, alert):
    assert login(client, caseworker).get(reverse("dashboard")).context["alerts_to_triage"] == 1
    client.logout()
    assert login(client, other_caseworker).get(reverse("dashboard")).context["alerts_to_triage"] == 0


def test_the_audit_log_names_triage_decisions(client, caseworker, make_user, alert):
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]))
    client.logout()
    auditor = make_user("auditor")
    page = login(client, auditor).get(reverse("audit-log")).content.decode()
    assert "Notice alert confirmed" in page and "Notices imported" in page
