from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shelter.accounts.models import ApiToken
from shelter.audit.models import AuditEvent
from tests.apiclient import api, shows_identity, url


def test_it_refuses_requests_without_a_token(person):
    response = Client().get(url(f"persons/{person.pk}"))
    assert response.status_code == 401
    assert not shows_identity(response)


def test_it_refuses_a_bad_token(person):
    response = Client(headers={"authorization": "Bearer sht_not-a-real-token"}).get(url("persons"))
    assert response.status_code == 401


def test_it_refuses_a_token_sent_with_another_scheme(caseworker, person):
    _, clear = ApiToken.objects.issue(caseworker, "tests")
    assert Client(headers={"authorization": f"Token {clear}"}).get(url("persons")).status_code == 401
    assert Client(headers={"authorization": f"Bearer {clear}"}).get(url("persons")).status_code == 200


def test_it_refuses_a_revoked_token(caseworker, person):
    token, clear = ApiToken.objects.issue(caseworker, "tests")
    client = Client(headers={"authorization": f"Bearer {clear}"})
    assert client.get(url("persons")).status_code == 200
    token.revoked_at = token.created_at
    token.save()
    assert client.get(url("persons")).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(caseworker, person):
    client = api(caseworker)
    caseworker.is_active = False
    caseworker.save()
    assert client.get(url("persons")).status_code == 401


def test_it_does_not_accept_a_session_instead_of_a_token(caseworker, person):
    client = Client()
    client.force_login(caseworker)
    response = client.get(url(f"persons/{person.pk}"))
    assert response.status_code == 401
    assert not shows_identity(response)


def test_identity_follows_the_token_user_not_the_session(caseworker, researcher, person):
    client = api(researcher)
    client.force_login(caseworker)  # a caseworker's browser session must not lend its rights
    response = client.get(url(f"persons/{person.pk}"))
    assert response.status_code == 200
    assert not shows_identity(response)


def test_it_audits_identity_reads_under_the_token_user(caseworker, person):
    response = api(caseworker).get(url(f"persons/{person.pk}"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="read_identity")
    assert event.actor == caseworker
    assert str(person.pk) in {o["id"] for o in event.detail["objects"]}


def test_researcher_reads_are_not_audited_as_identity_reads(researcher, person):
    assert api(researcher).get(url(f"persons/{person.pk}")).status_code == 200
    assert not AuditEvent.objects.filter(action="read_identity").exists()


def test_token_writes_need_no_csrf_token(caseworker, case):
    client = api(caseworker, enforce_csrf_checks=True)
    response = client.post(url("sources"), {"case_id": str(case.pk), "kind": "interview"}, content_type="application/json")
    assert response.status_code == 201


def test_it_records_when_a_token_was_last_used(caseworker):
    client = api(caseworker)
    assert client.get(url("cases")).status_code == 200
    assert ApiToken.objects.get(user=caseworker).last_used_at is not None


def test_responses_are_not_cached(caseworker, person):
    response = api(caseworker).get(url(f"persons/{person.pk}"))
    assert response["Cache-Control"] == "no-store"
    assert Client().get(url("persons"))["Cache-Control"] == "no-store"


@pytest.mark.attack("session")
def test_it_refuses_an_expired_token(caseworker, person):
    token, clear = ApiToken.objects.issue(caseworker, "tests", days=1)
    client = Client(headers={"authorization": f"Bearer {clear}"})
    assert client.get(url("persons")).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(url("persons"))
    assert response.status_code == 401
    assert not shows_identity(response)


@pytest.mark.parametrize("days", [0, 366])
def test_a_token_lasts_at_least_a_day_and_at_most_a_year(caseworker, days):
    with pytest.raises(ValueError):
        ApiToken.objects.issue(caseworker, "tests", days=days)
    assert not ApiToken.objects.exists()
