"""Insider controls: alerts on unusually many identity reads or exports, and two-person approval of
exports that contain identity data."""

import io
import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from shelter.audit.log import record
from shelter.audit.models import AuditEvent
from shelter.records.models import Case, Person, PersonName
from shelter.security import alerts
from shelter.security.models import Alert, ExportApproval

from .apiclient import api, shows_identity, url
from .conftest import login
from .test_reauth import age_login


@pytest.fixture(autouse=True)
def fresh_check_times():
    # The once-a-minute marks live in the cache, which outlives each test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def low_thresholds(settings):
    settings.SHELTER_ALERT_READS_PER_HOUR = 2
    settings.SHELTER_ALERT_EXPORTS_PER_DAY = 3


@pytest.fixture
def persons(case, person):
    others = []
    for name in ("Гульнара Каримова", "Зарина Раҳмонова"):
        other = Person.objects.create(case=case, nationalities=["UZ"])
        PersonName.objects.create(person=other, value=name)
        others.append(other)
    return [person, *others]


def logged_in(user) -> Client:
    client = Client()
    login(client, user)
    return client


# --- alerts ---------------------------------------------------------------------------------------


@pytest.mark.attack("insider")
def test_reading_many_records_raises_an_alert_at_the_next_check(low_thresholds, caseworker, persons):
    client = logged_in(caseworker)
    for person in persons:
        assert client.get(f"/persons/{person.pk}/").status_code == 200
    # The check ran after the first request only (once a minute): one record read, no alert yet.
    assert not Alert.objects.exists()
    cache.clear()  # a minute later
    client.get("/profile/")  # reads no identity data itself
    alert = Alert.objects.get()
    assert (alert.user, alert.kind, alert.count, alert.window) == (caseworker, "reads", 3, timedelta(hours=1))
    assert AuditEvent.objects.filter(action="alert", object_id=str(alert.pk)).exists()


@pytest.mark.attack("insider")
def test_reads_through_the_api_count_too(low_thresholds, caseworker, persons):
    client = api(caseworker)
    for person in persons:
        assert client.get(url(f"persons/{person.pk}")).status_code == 200
        cache.clear()
    assert Alert.objects.get().user == caseworker


def test_rereading_the_same_record_is_not_many_records(low_thresholds, caseworker, person):
    client = logged_in(caseworker)
    for _ in range(5):
        client.get(f"/persons/{person.pk}/")
        cache.clear()
    assert not Alert.objects.exists()


def test_a_long_list_counts_every_record_even_beyond_the_logged_ones(settings, caseworker):
    settings.SHELTER_ALERT_READS_PER_HOUR = 300
    listed = [{"type": "person", "id": str(n), "case": ""} for n in range(200)]
    record(caseworker, "read_identity", object_type="many", count=450, objects=listed)
    assert alerts.distinct_identity_reads(caseworker, timezone.now() - timedelta(hours=1)) == 450
    assert [a.count for a in alerts.check(caseworker)] == [450]


def test_an_alert_is_raised_once_per_window(low_thresholds, caseworker):
    listed = [{"type": "person", "id": str(n), "case": ""} for n in range(5)]
    record(caseworker, "read_identity", object_type="many", count=5, objects=listed)
    assert len(alerts.check(caseworker)) == 1
    assert alerts.check(caseworker) == []
    Alert.objects.filter(user=caseworker).update(created_at=timezone.now() - timedelta(hours=2))
    assert len(alerts.check(caseworker)) == 1
    assert Alert.objects.count() == 2


def reads(n, start=0):
    return [{"type": "person", "id": str(i), "case": ""} for i in range(start, start + n)]


def test_the_count_is_kept_up_to_date_as_reads_come_in(caseworker):
    # Kept from one count to the next (only the new events are read): it must still be exact.
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    record(caseworker, "read_identity", object_type="many", count=3, objects=reads(3))
    assert alerts.distinct_identity_reads(caseworker, hour_ago) == 3
    record(caseworker, "read_identity", object_type="many", count=3, objects=reads(3, start=2))  # one read again
    assert alerts.distinct_identity_reads(caseworker, hour_ago) == 5
    record(caseworker, "read_identity", object_type="many", count=250, objects=reads(200, start=100))
    assert alerts.distinct_identity_reads(caseworker, hour_ago) == 5 + 250
    assert alerts.distinct_identity_reads(caseworker, hour_ago) == 5 + 250  # counting again adds nothing


def test_a_kept_count_lets_reads_age_out_and_counts_the_ones_after(caseworker):
    record(caseworker, "read_identity", object_type="many", count=2, objects=reads(2))
    assert alerts.distinct_identity_reads(caseworker, timezone.now() - timedelta(hours=1)) == 2
    after = timezone.now() + timedelta(microseconds=1)
    assert alerts.distinct_identity_reads(caseworker, after) == 0
    record(caseworker, "read_identity", object_type="many", count=2, objects=reads(2, start=1))
    assert alerts.distinct_identity_reads(caseworker, after) == 2
    # An earlier start than the kept one is counted again from the log, not from what was dropped.
    assert alerts.distinct_identity_reads(caseworker, timezone.now() - timedelta(hours=1)) == 3


def test_old_reads_fall_out_of_the_window(low_thresholds, caseworker):
    listed = [{"type": "person", "id": str(n), "case": ""} for n in range(5)]
    record(caseworker, "read_identity", object_type="many", count=5, objects=listed)
    assert alerts.check(caseworker, now=timezone.now() + timedelta(minutes=61)) == []


@pytest.mark.attack("insider")
def test_more_than_three_exports_a_day_raise_an_alert(low_thresholds, coordinator):
    for _ in range(3):
        record(coordinator, "export", format="json")
    assert alerts.check(coordinator) == []
    record(coordinator, "export", format="json")
    [alert] = alerts.check(coordinator)
    assert (alert.kind, alert.count, alert.window) == ("exports", 4, timedelta(days=1))


def test_administrators_see_open_alerts_and_acknowledge_them(low_thresholds, administrator, caseworker):
    alert = Alert.objects.create(user=caseworker, kind="reads", window=timedelta(hours=1), count=250)
    client = logged_in(administrator)
    page = client.get("/security/").content.decode()
    assert '<span class="badge"' in page and "caseworker" in page and "250" in page
    assert client.post(f"/security/alerts/{alert.pk}/acknowledge/").status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == administrator and alert.acknowledged_at
    assert AuditEvent.objects.filter(action="alert_ack", actor=administrator, object_id=str(alert.pk)).exists()
    assert '<span class="badge"' not in client.get("/").content.decode()


@pytest.mark.attack("insider")
@pytest.mark.parametrize("role", ["coordinator", "caseworker", "researcher", "auditor"])
def test_only_administrators_see_and_acknowledge_alerts(make_user, role, caseworker):
    alert = Alert.objects.create(user=caseworker, kind="reads", window=timedelta(hours=1), count=250)
    client = logged_in(make_user(role, f"{role}-x"))
    assert client.get("/security/").status_code == 403
    assert '<span class="badge"' not in client.get("/profile/").content.decode()
    assert client.post(f"/security/alerts/{alert.pk}/acknowledge/").status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# --- two-person export approval -------------------------------------------------------------------


@pytest.fixture
def approval_required(settings):
    settings.SHELTER_EXPORT_APPROVAL = True


def export(*args):
    out = io.StringIO()
    call_command("export", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def ask(client, reason="Red Notice challenge at the CCF", cases=""):
    return client.post("/security/exports/", {"reason": reason, "cases": cases})


def approved(requester, approver, cases=""):
    assert ask(logged_in(requester), cases=cases).status_code == 302
    approval = ExportApproval.objects.latest("created_at")
    assert logged_in(approver).post(f"/security/exports/{approval.pk}/approve/").status_code == 302
    approval.refresh_from_db()
    assert approval.approved_by == approver
    return approval


@pytest.mark.attack("insider")
def test_an_identity_export_without_approval_is_refused(approval_required, person):
    with pytest.raises(CommandError, match="two-person approval"):
        export("--format", "json")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_pseudonymised_export_needs_no_approval(approval_required, person):
    assert json.loads(export("--format", "json", "--pseudonymise"))["pseudonymised"] is True


def test_two_people_approve_an_export_that_runs_once(approval_required, coordinator, administrator, person):
    approval = approved(coordinator, administrator)
    data = json.loads(export("--format", "json", "--approval", str(approval.pk)))
    assert data["pseudonymised"] is False and "Улугбек Каримов" in json.dumps(data, ensure_ascii=False)
    with pytest.raises(CommandError, match="already used"):
        export("--format", "json", "--approval", str(approval.pk))
    actions = list(AuditEvent.objects.filter(object_id=str(approval.pk)).order_by("id").values_list("action", "actor_name"))
    assert actions == [("export_request", "coordinator"), ("export_approve", "administrator"), ("export_use", "cli")]
    assert AuditEvent.objects.get(action="export").detail["approval"] == str(approval.pk)


@pytest.mark.attack("insider")
def test_the_requester_cannot_approve_their_own_request(approval_required, coordinator, person):
    client = logged_in(coordinator)
    ask(client)
    approval = ExportApproval.objects.get()
    response = client.post(f"/security/exports/{approval.pk}/approve/", follow=True)
    assert "cannot approve" in response.content.decode()
    approval.refresh_from_db()
    assert approval.approved_at is None
    with pytest.raises(CommandError, match="not been approved"):
        export("--format", "json", "--approval", str(approval.pk))


@pytest.mark.attack("insider")
@pytest.mark.parametrize("role", ["caseworker", "researcher", "auditor"])
def test_other_roles_may_neither_ask_nor_approve(approval_required, make_user, role, coordinator):
    approval = ExportApproval.objects.create(requested_by=coordinator, reason="x")
    client = logged_in(make_user(role, f"{role}-x"))
    assert ask(client).status_code == 403
    assert client.post(f"/security/exports/{approval.pk}/approve/").status_code == 403
    approval.refresh_from_db()
    assert approval.approved_at is None and ExportApproval.objects.count() == 1


def test_an_approval_expires_after_24_hours(approval_required, coordinator, administrator, person):
    approval = approved(coordinator, administrator)
    ExportApproval.objects.filter(pk=approval.pk).update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    with pytest.raises(CommandError, match="expired"):
        export("--format", "json", "--approval", str(approval.pk))


def test_an_approval_for_some_cases_does_not_export_the_others(approval_required, coordinator, administrator, case, person):
    Case.objects.create(title="Another family")
    approval = approved(coordinator, administrator, cases=case.reference)
    with pytest.raises(CommandError, match="covers only the cases"):
        export("--format", "json", "--approval", str(approval.pk))
    data = json.loads(export("--format", "json", "--case", case.reference, "--approval", str(approval.pk)))
    assert [c["reference"] for c in data["cases"]] == [case.reference]


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_approval_is_refused(approval_required, person, bad):
    with pytest.raises(CommandError, match="no export approval"):
        export("--format", "json", "--approval", bad)


def test_a_request_needs_a_reason_and_known_cases(approval_required, coordinator, case):
    client = logged_in(coordinator)
    assert ask(client, reason="").status_code == 400
    response = ask(client, cases="SH-1900-0001")
    assert response.status_code == 400 and "No case with reference SH-1900-0001" in response.content.decode()
    assert not ExportApproval.objects.exists()


@pytest.mark.attack("insider")
def test_approving_an_export_asks_for_the_password_again_after_an_old_login(approval_required, coordinator, administrator):
    assert ask(logged_in(coordinator)).status_code == 302
    approval = ExportApproval.objects.get()
    client = logged_in(administrator)
    age_login(client, 11)
    response = client.post(f"/security/exports/{approval.pk}/approve/")
    assert response.status_code == 302 and response.url == "/login/confirm/?next=%2Fsecurity%2Fexports%2F"
    approval.refresh_from_db()
    assert approval.approved_at is None


# --- bulk reads through the API -------------------------------------------------------------------


@pytest.mark.attack("insider")
def test_a_bulk_api_read_beyond_the_hourly_threshold_is_refused_and_raises_an_alert(low_thresholds, caseworker, persons):
    client = api(caseworker)
    response = client.get(url("persons?limit=200"))  # three persons: more than the threshold of two
    assert response.status_code == 200
    response = client.get(url("persons?limit=200"))
    assert response.status_code == 429
    assert "export" in response.json()["detail"] and not shows_identity(response)
    assert Alert.objects.get().user == caseworker


def test_the_hourly_identity_budget_does_not_limit_pseudonymised_reads(low_thresholds, researcher, persons):
    client = api(researcher)
    for _ in range(3):
        assert client.get(url("persons?limit=200")).status_code == 200
