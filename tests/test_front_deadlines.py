"""Deadlines before they expire: the dashboard and the case page list case deadlines, legal-process
deadlines and hearings with the days left, overdue ones marked, soonest first, for the cases the
user sees; the process form and page carry the next hearing."""

import datetime

import pytest
from django.utils import timezone

from shelter.notices import importing, triage
from shelter.notices.models import NoticeAlert, RequestKind, RequestSource
from shelter.notices.sources import interpol
from shelter.records.models import Case, CaseAccess, Deadline, LegalProcess

from .conftest import login

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def page(client, user, path="/"):
    if client.session.get("_auth_user_id") != str(user.pk):
        login(client, user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def deadlines_list(content: str) -> str:
    """The list of dates on the page (the first ul.deadlines)."""
    start = content.index('<ul class="deadlines">')
    return content[start : content.index("</ul>", start)]


@pytest.fixture
def dates(case, person):
    """One of each: a case deadline, a CCF answer, an appeal limit and a hearing, all ahead."""
    return {
        "task": Deadline.objects.create(case=case, title="Send the CCF request", due_on=days(5)),
        "ccf": LegalProcess.objects.create(case=case, person=person, kind="ccf_access", opened_on="2026-01-05",
                                           deadline=days(20)),
        "appeal": LegalProcess.objects.create(case=case, person=person, kind="extradition", status="refused",
                                              deadline=days(3)),
        "hearing": LegalProcess.objects.create(case=case, person=person, kind="court", hearing_on=days(10)),
    }


def test_the_dashboard_lists_every_kind_of_date_soonest_first_with_the_days_left(client, caseworker, dates):
    listed = deadlines_list(page(client, caseworker))
    order = [listed.index(text) for text in ("Appeal limit", "Send the CCF request", "Hearing", "CCF answer expected (estimate)")]
    assert order == sorted(order)
    for text in ("in 3 days", "in 5 days", "in 10 days", "in 20 days", "Case deadline"):
        assert text in listed
    assert f'/processes/{dates["hearing"].pk}/' in listed and "Court case" in listed
    assert "overdue" not in listed


def test_overdue_dates_are_marked_and_finished_ones_left_out(client, caseworker, case, person):
    Deadline.objects.create(case=case, title="Reply to the court", due_on=days(-3))
    Deadline.objects.create(case=case, title="Already done", due_on=days(-1), done=True)
    LegalProcess.objects.create(case=case, person=person, kind="asylum", deadline=days(-10))
    LegalProcess.objects.create(case=case, person=person, kind="asylum", deadline=days(-40))  # long past
    LegalProcess.objects.create(case=case, person=person, kind="court", deadline=days(-2), status="closed")
    LegalProcess.objects.create(case=case, person=person, kind="court", hearing_on=days(-1))  # heard yesterday
    content = page(client, caseworker)
    listed = deadlines_list(content)
    assert listed.count('class="overdue"') == 2
    assert "3 days overdue" in listed and "10 days overdue" in listed and "Next deadline" in listed
    assert "Already done" not in listed and "Hearing" not in listed and "40 days" not in listed
    assert "2 overdue" in content


def test_today_and_tomorrow_are_said_so(client, caseworker, case):
    Deadline.objects.create(case=case, title="Today's task", due_on=days(0))
    Deadline.objects.create(case=case, title="Tomorrow's task", due_on=days(1))
    listed = deadlines_list(page(client, caseworker))
    assert "today" in listed and "tomorrow" in listed and "overdue" not in listed


def test_the_dashboard_looks_sixty_days_ahead_and_the_case_page_further(client, caseworker, case, person):
    Deadline.objects.create(case=case, title="Far away task", due_on=days(90))
    LegalProcess.objects.create(case=case, person=person, kind="court", hearing_on=days(120))
    dashboard = page(client, caseworker)
    assert "Far away task" not in dashboard and "Nothing due in the next 60 days." in dashboard
    listed = deadlines_list(page(client, caseworker, f"/cases/{case.pk}/"))
    assert "Far away task" in listed and "in 90 days" in listed and "in 120 days" in listed


def test_the_case_page_lists_its_dates_and_the_processes_hearing(client, caseworker, case, dates):
    content = page(client, caseworker, f"/cases/{case.pk}/")
    listed = deadlines_list(content)
    for text in ("Appeal limit", "CCF answer expected (estimate)", "Hearing", "Send the CCF request"):
        assert text in listed
    assert "hearing" in content[content.index("Legal processes") :]


@pytest.mark.attack("idor")
def test_only_the_cases_the_user_sees_are_listed(client, other_caseworker, coordinator, dates):
    other = Case.objects.create(title="Another family")
    CaseAccess.objects.create(case=other, user=other_caseworker)
    Deadline.objects.create(case=other, title="Their own task", due_on=days(2))
    content = page(client, other_caseworker)
    listed = deadlines_list(content)
    assert "Their own task" in listed
    for text in ("Send the CCF request", "Appeal limit", "CCF answer expected (estimate)", "Hearing", dates["task"].case.reference):
        assert text not in content
    client.logout()
    listed = deadlines_list(page(client, coordinator))
    assert "Their own task" in listed and "Send the CCF request" in listed


@pytest.mark.attack("insider")
def test_researchers_see_the_dates_pseudonymised(client, researcher, dates):
    listed = deadlines_list(page(client, researcher))
    assert "Send the CCF request" not in listed
    assert "[hidden]" in listed and "in 5 days" in listed and "CCF answer expected (estimate)" in listed


def test_auditors_see_no_dates(client, auditor, dates):
    login(client, auditor)
    assert client.get("/")["Location"] == "/audit/"
    content = page(client, auditor, "/audit/")
    assert "Send the CCF request" not in content


@pytest.mark.attack("crypto-erasure")
def test_an_erased_case_has_no_dates_left(client, caseworker, case, dates):
    case.erase()
    assert "Case deadline" not in page(client, caseworker)
    assert "Deadlines and hearings ahead" not in page(client, caseworker, f"/cases/{case.pk}/")


def test_a_task_opened_by_a_confirmed_alert_is_labelled_so(client, caseworker, person):
    parsed = interpol.Notice(entity_id="M-0123456789", name="Karimov", forename="Ulugbek", birth_date="1979-08",
                             nationalities=("UZ",), warrants=(interpol.Warrant("UZ", "Art. 159"),))
    importing.import_notices([parsed], source=RequestSource.MANUAL, kind=RequestKind.EXTRADITION, user=caseworker,
                             extra={"requesting_state": "UZ"})
    triage.confirm(caseworker, NoticeAlert.objects.get())
    listed = deadlines_list(page(client, caseworker))
    assert "Task from a confirmed alert" in listed and f"in {triage.TASK_DAYS} days" in listed


@pytest.mark.attack("xss")
def test_an_html_looking_deadline_title_is_escaped_on_the_dashboard(client, caseworker, case):
    Deadline.objects.create(case=case, title=PAYLOAD, due_on=days(4))
    content = page(client, caseworker)
    assert PAYLOAD not in content and "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in deadlines_list(content)


def test_the_process_form_records_the_next_hearing_and_the_page_shows_it(client, caseworker, case, person):
    process = LegalProcess.objects.create(case=case, person=person, kind="extradition", status="active")
    login(client, caseworker)
    form = client.get(f"/processes/{process.pk}/edit/").content.decode()
    assert 'name="hearing_on"' in form and 'type="date"' in form[form.index('name="hearing_on"') - 200 :]
    response = client.post(f"/processes/{process.pk}/edit/", {
        "person": person.pk, "kind": "extradition", "status": "active", "hearing_on": "2031-03-04",
    })
    assert response.status_code == 302
    assert LegalProcess.objects.get(pk=process.pk).hearing_on == datetime.date(2031, 3, 4)
    content = client.get(f"/processes/{process.pk}/").content.decode()
    assert "Next hearing" in content and "March 4, 2031" in content


def test_a_ccf_request_left_without_a_deadline_gets_the_ccfs_time_limit(client, caseworker, case, person):
    login(client, caseworker)
    client.post(f"/cases/{case.pk}/processes/new/", {
        "person": person.pk, "kind": "ccf_deletion", "status": "pending", "opened_on": "2026-05-20",
    })
    assert LegalProcess.objects.get().deadline == datetime.date(2027, 2, 20)
