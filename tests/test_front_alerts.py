import re
"""The alerts a notice raises, and their triage: confirm, dismiss with a reason, escalate."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from shelter.audit.models import AuditEvent
from shelter.notices import importing, triage
from shelter.notices.models import AlertStatus, Notice, NoticeAlert, RequestKind, RequestSource
from shelter.notices.sources import interpol
from shelter.front.views.dashboard import alerts_to_triage
from shelter.records.models import CaseAccess, Deadline, LegalProcess, ProcessKind
from shelter.returns import assessments
from shelter.returns.models import RiskAssessment

from .conftest import login

NOTICE = interpol.Notice(
    entity_id="2026/55555", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08", nationalities=("UZ",),
    gender="male", warrants=(interpol.Warrant("UZ", "Посягательство на конституционный строй", "Attempt on the constitutional order"),),
)


SURE = {"sure": "yes"}  # the answer to the confirmation step


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
    response = login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]), SURE)
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
    client.post(reverse("alert-decide", args=[alert.pk, "confirm"]), SURE)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CONFIRMED


def test_a_decided_alert_cannot_be_decided_again(client, caseworker, alert):
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]), SURE)
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


@pytest.mark.attack("denial-of-service")
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
    assert not Notice.objects.filter(pk=notice.pk).exists()  # gone with its case
    assert triage.screen_notice(notice) == []


def test_the_dashboard_counts_alerts_to_triage_on_ones_cases(client, caseworker, other_caseworker, alert):
    assert login(client, caseworker).get(reverse("dashboard")).context["alerts_to_triage"] == 1
    client.logout()
    assert login(client, other_caseworker).get(reverse("dashboard")).context["alerts_to_triage"] == 0


def test_the_audit_log_names_triage_decisions(client, caseworker, make_user, alert):
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]), SURE)
    client.logout()
    auditor = make_user("auditor")
    page = login(client, auditor).get(reverse("audit-log")).content.decode()
    assert "Notice alert confirmed" in page and "Notices imported" in page


# --- a request entered on a case: screened against its author's cases, read by that case's users only --

FACTS = "Client Ivan Ivanovich Petrov, phone +7 900 555 12 34"
SECRET_CHARGE = "Art. 159: insulting the president on a private chat"


def enter_on(user, case):
    """A request entered by ``user`` on ``case``, naming the registered Karimov."""
    request = interpol.Notice(
        entity_id="M-ONCASE01", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08", nationalities=("UZ",),
        gender="male", warrants=(interpol.Warrant("UZ", SECRET_CHARGE),),
    )
    return importing.import_notices([request], source=RequestSource.MANUAL, kind=RequestKind.EXTRADITION, user=user,
                                    case=case, extra={"requesting_state": "UZ", "facts_summary": FACTS, "charged_on": "2023-12"})


@pytest.fixture
def on_both(make_user, case, elsewhere):
    """A caseworker on both `case` and the other caseworker's case."""
    user = make_user("caseworker", "on-both")
    CaseAccess.objects.create(case=case, user=user)
    CaseAccess.objects.create(case=elsewhere.case, user=user)
    return user


@pytest.fixture
def foreign_alert(on_both, person, elsewhere):
    """An alert on `case` raised by a request entered on the other caseworker's case."""
    enter_on(on_both, elsewhere.case)
    return NoticeAlert.objects.get(case=person.case)


@pytest.mark.attack("idor")
def test_a_request_entered_on_a_case_is_screened_only_against_the_cases_its_author_sees(
    client, caseworker, other_caseworker, person, elsewhere
):
    report = enter_on(other_caseworker, elsewhere.case)
    assert [alert.case_id for alert in report.alerts] == [elsewhere.case_id]
    assert not NoticeAlert.objects.filter(case=person.case).exists()
    assert alerts_to_triage(caseworker) == 0
    assert "M-ONCASE01" not in login(client, caseworker).get(reverse("alerts")).content.decode()


def test_a_request_entered_without_an_author_is_screened_against_its_own_case_only(person, elsewhere):
    report = enter_on(None, elsewhere.case)
    assert [alert.case_id for alert in report.alerts] == [elsewhere.case_id]


@pytest.mark.attack("idor")
def test_an_alert_from_a_request_the_user_cannot_read_shows_only_that_a_match_exists(client, caseworker, foreign_alert):
    login(client, caseworker)
    for url in (reverse("alert", args=[foreign_alert.pk]), reverse("alerts"), reverse("dashboard")):
        page = client.get(url).content.decode()
        assert FACTS not in page and "Petrov" not in page and SECRET_CHARGE not in page and "M-ONCASE01" not in page
    page = client.get(reverse("alert", args=[foreign_alert.pk])).content.decode()
    assert "A request entered on a case you do not work on matches this person" in page
    assert reverse("notice", args=[foreign_alert.notice_id]) not in page
    assert 'id="confirm-alert"' not in page and "dismiss-reason" not in page
    assert alerts_to_triage(caseworker) == 1  # the match itself is theirs to route


@pytest.mark.attack("idor")
def test_a_request_the_user_cannot_read_cannot_be_pulled_into_their_case(client, caseworker, foreign_alert):
    login(client, caseworker)
    assert client.post(reverse("alert-decide", args=[foreign_alert.pk, "confirm"])).status_code == 403
    assert client.post(reverse("alert-decide", args=[foreign_alert.pk, "dismiss"]), {"reason": "no"}).status_code == 403
    foreign_alert.refresh_from_db()
    assert foreign_alert.status == AlertStatus.OPEN
    assert not LegalProcess.objects.exists() and not Deadline.objects.exists()
    with pytest.raises(PermissionDenied):
        triage.confirm(caseworker, foreign_alert)


def test_it_routes_an_alert_it_cannot_read_to_a_coordinator_who_decides(client, caseworker, coordinator, foreign_alert):
    login(client, caseworker).post(reverse("alert-decide", args=[foreign_alert.pk, "escalate"]), {"note": "Not ours to read"})
    foreign_alert.refresh_from_db()
    assert foreign_alert.status == AlertStatus.ESCALATED
    client = login(Client(), coordinator)
    page = client.get(reverse("alert", args=[foreign_alert.pk])).content.decode()
    assert FACTS in page and 'id="confirm-alert"' in page
    client.post(reverse("alert-decide", args=[foreign_alert.pk, "confirm"]), SURE)
    foreign_alert.refresh_from_db()
    assert foreign_alert.status == AlertStatus.CONFIRMED


@pytest.mark.attack("idor")
def test_a_request_confirmed_on_another_case_stays_out_of_the_dossier_and_the_risk_assessments(
    client, caseworker, coordinator, person, foreign_alert
):
    """The case's users read the dossier and the stored assessments: they hold only what all of them
    may read, even when a coordinator (who reads everything) confirmed the request or assessed."""
    triage.confirm(coordinator, foreign_alert)
    assessments.assess_risk(person, "UZ", user=coordinator)
    login(client, caseworker).post(reverse("risk", args=[person.pk]), {"destination": "UZ"})
    assert RiskAssessment.objects.count() == 2
    for assessment in RiskAssessment.objects.all():
        assert "private chat" not in assessment.result and "M-ONCASE01" not in assessment.result
    for reader in (client, login(Client(), coordinator)):
        page = reader.get(reverse("dossier", args=[person.pk])).content.decode()
        assert SECRET_CHARGE not in page and FACTS not in page and "Petrov" not in page
        assert "insulting" not in page.lower()  # nor in the signs of abuse
        assert "Charges brought" not in page  # nor in the chronology


# --- crypto-erasure ------------------------------------------------------------------------------


@pytest.mark.attack("crypto-erasure")
def test_erasing_a_case_removes_its_alerts_and_the_requests_entered_on_it(client, coordinator, case, alert, on_both, elsewhere):
    enter_on(on_both, case)
    assert NoticeAlert.objects.filter(case=elsewhere.case, notice__case=case).exists()
    case.erase()
    assert not NoticeAlert.objects.filter(case=case).exists()
    assert not Notice.objects.filter(case=case).exists()
    assert not NoticeAlert.objects.filter(notice__case=case).exists()
    assert Notice.objects.filter(pk=alert.notice_id).exists()  # the public notice itself stays
    login(client, coordinator)
    assert client.get(reverse("alert", args=[alert.pk])).status_code == 404
    for url in (reverse("alerts"), reverse("notices")):
        response = client.get(url)
        assert response.status_code == 200 and case.reference not in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.attack("crypto-erasure")
def test_erasing_a_case_takes_its_request_out_of_the_dossiers_of_other_cases(client, coordinator, case, person, on_both, elsewhere):
    enter_on(on_both, case)
    triage.confirm(coordinator, NoticeAlert.objects.get(case=elsewhere.case))
    login(client, coordinator)
    case.erase()
    page = client.get(reverse("dossier", args=[elsewhere.pk])).content.decode()
    assert SECRET_CHARGE not in page and FACTS not in page and "[erased]" not in page


@pytest.mark.parametrize("language, scale", [
    ("en", "the sum of the weights of the signs found; strong from 50, moderate from 25, weak from 1"),
    ("ru", "сумма весов найденных признаков; сильные — от 50, умеренные — от 25, слабые — от 1"),
])
def test_the_signs_of_abuse_score_comes_with_its_scale(client, caseworker, alert, language, scale):
    login(client, caseworker)
    client.cookies["django_language"] = language
    page = client.get(reverse("notice", args=[alert.notice_id])).content.decode()
    assert scale in page
    assert re.search(r">\+\d+(\.\d)?</span>", page)  # each sign's weight reads as what it adds


def test_confirming_asks_once_more_and_changes_nothing_until_answered(client, caseworker, alert):
    from shelter.records.models import LegalProcess

    page = login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"])).content.decode()
    assert "Is Interpol Red Notice 2026/55555 about Улугбек Каримов?" in page and 'name="sure" value="yes"' in page
    alert.refresh_from_db()
    assert alert.status == "open" and not LegalProcess.objects.exists()


def test_the_process_a_confirmation_records_says_it_came_from_the_alert(client, caseworker, alert):
    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]), SURE)
    alert.refresh_from_db()
    page = client.get(reverse("process", args=[alert.process.pk])).content.decode()
    assert f'<a href="{reverse("alert", args=[alert.pk])}">confirmed from an alert</a>' in page


def test_a_request_entered_by_hand_keeps_its_own_reference_escaped(client, caseworker, person):
    login(client, caseworker)
    client.post(reverse("notice-new"), {
        "kind": "extradition", "requesting_state": "UZ", "name": "Karimov", "forename": "Ulugbek",
        "request_reference": "No. 12/3-<b>456</b>",
    })
    notice = Notice.objects.get()
    assert notice.request_reference == "No. 12/3-<b>456</b>"
    page = client.get(reverse("notice", args=[notice.pk])).content.decode()
    assert "The request's own reference" in page and "No. 12/3-&lt;b&gt;456&lt;/b&gt;" in page


def test_the_request_form_lists_cases_by_reference_and_title(client, caseworker, case):
    page = login(client, caseworker).get(reverse("notice-new")).content.decode()
    assert f">{case.reference} · {case.title}</option>" in page


def test_a_notice_withdrawn_from_the_public_list_says_so_on_the_notice_alert_and_case(client, caseworker, alert, person):
    from django.utils import timezone

    from shelter.notices.models import Notice

    login(client, caseworker).post(reverse("alert-decide", args=[alert.pk, "confirm"]), SURE)
    Notice.objects.filter(pk=alert.notice_id).update(withdrawn_at=timezone.now(), last_seen_at=timezone.now())
    for url in (reverse("alert", args=[alert.pk]), reverse("notice", args=[alert.notice_id]), reverse("case", args=[person.case_id])):
        assert "Withdrawn from Interpol's public list" in client.get(url).content.decode(), url
    client.cookies["django_language"] = "ru"
    assert "Снято с публичного списка Интерпола" in client.get(reverse("notice", args=[alert.notice_id])).content.decode()
