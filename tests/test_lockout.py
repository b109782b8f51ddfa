import re
from datetime import timedelta

import pytest
from django.utils import timezone

from shelter import home
from shelter.accounts.models import LoginFailure
from shelter.audit.models import AuditEvent

from .conftest import PASSWORD

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SHELTER_LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    settings.SHELTER_LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    settings.SHELTER_LOGIN_LOCKOUT_MINUTES = 15


def attempt(client, username, password, ip="203.0.113.5"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client):
    return client.get("/").status_code == 200


def fail(client, username, times, ip="203.0.113.5"):
    for n in range(times):
        attempt(client, username, f"wrong password {n}", ip)


@pytest.mark.attack("brute-force")
def test_five_failures_lock_the_account_even_for_the_right_password(client, caseworker):
    fail(client, "caseworker", 5)
    response = attempt(client, "caseworker", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 200
    assert "didn&#x27;t match" in response.content.decode() or "didn't match" in response.content.decode()
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="login_failed", actor_name="caseworker", detail__reason="locked").exists()


@pytest.mark.attack("brute-force")
def test_four_failures_do_not_lock(client, caseworker):
    fail(client, "caseworker", 4)
    attempt(client, "caseworker", PASSWORD)
    assert logged_in(client)


@pytest.mark.attack("brute-force")
def test_the_lock_lifts_when_the_failures_age_out(client, caseworker):
    fail(client, "caseworker", 5)
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    attempt(client, "caseworker", PASSWORD)
    assert logged_in(client)


@pytest.mark.attack("brute-force")
def test_the_limits_come_from_the_settings(client, caseworker, settings):
    settings.SHELTER_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    fail(client, "caseworker", 2)
    attempt(client, "caseworker", PASSWORD)
    assert not logged_in(client)


@pytest.mark.attack("brute-force")
def test_many_failures_from_one_address_block_it_for_every_account(client, caseworker, settings):
    settings.SHELTER_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        attempt(client, f"someone-{n}", "wrong password", ip="203.0.113.9")
    attempt(client, "caseworker", PASSWORD, ip="203.0.113.9")
    assert not logged_in(client)
    attempt(client, "caseworker", PASSWORD, ip="198.51.100.7")
    assert logged_in(client)


@pytest.mark.attack("brute-force")
def test_a_locked_account_and_a_locked_unknown_name_get_the_same_answer(client, caseworker):
    fail(client, "caseworker", 5)
    fail(client, "nobody-here", 5)
    known = attempt(client, "caseworker", PASSWORD, ip="198.51.100.7").content
    unknown = attempt(client, "nobody-here", PASSWORD, ip="198.51.100.7").content
    strip = lambda html: CSRF.sub(b"", html.replace(b"caseworker", b"").replace(b"nobody-here", b""))  # noqa: E731
    assert strip(known) == strip(unknown)


@pytest.mark.attack("brute-force")
def test_a_wrong_password_and_a_lock_get_the_same_answer(client, caseworker, other_caseworker):
    fail(client, "outsider", 5)
    locked = attempt(client, "outsider", PASSWORD, ip="198.51.100.7").content
    wrong = attempt(client, "caseworker", "wrong password", ip="198.51.100.7").content
    strip = lambda html: CSRF.sub(b"", html.replace(b"caseworker", b"").replace(b"outsider", b""))  # noqa: E731
    assert strip(locked) == strip(wrong)


@pytest.mark.attack("brute-force")
def test_unknown_names_are_counted_like_accounts(client, db):
    fail(client, "nobody-here", 5)
    assert LoginFailure.objects.filter(username="nobody-here").count() == 5


def test_a_complete_login_forgives_earlier_typos_of_the_account(client, caseworker):
    fail(client, "caseworker", 4)
    attempt(client, "caseworker", PASSWORD)
    assert not LoginFailure.objects.filter(username="caseworker").exists()


def test_failures_are_audited_with_the_name_tried_never_the_password(client, caseworker):
    fail(client, "caseworker", 2)
    events = AuditEvent.objects.filter(action="login_failed")
    assert events.count() == 2
    assert all("wrong password" not in str(e.detail) for e in events)


@pytest.mark.attack("brute-force")
@pytest.mark.usefixtures("argon2")
def test_a_refused_attempt_still_runs_the_real_password_hasher(caseworker):
    """Same timing class: a lock is refused after an Argon2 check, like a wrong password."""
    from shelter.accounts import throttle

    assert throttle._dummy_hash().startswith("argon2")
    assert caseworker.password.split("$")[:3] == throttle._dummy_hash().split("$")[:3]


@pytest.mark.attack("brute-force")
def test_refused_attempts_do_not_extend_the_lock(client, caseworker):
    fail(client, "caseworker", 5)
    fail(client, "caseworker", 10)  # refused unchecked: not guesses, so they do not count
    assert LoginFailure.objects.filter(username="caseworker").count() == 5
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    attempt(client, "caseworker", PASSWORD)
    assert logged_in(client)


PROXY = "10.0.0.2"


def through_proxy(client, username, password, forwarded_for):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
    )


@pytest.mark.attack("brute-force")
def test_failures_through_the_trusted_proxy_lock_the_real_client_not_everyone(client, coordinator, settings):
    settings.SHELTER_TRUSTED_PROXIES = home.networks(PROXY)
    for n in range(20):
        through_proxy(client, f"random-{n}", "wrong password", "203.0.113.9")
    through_proxy(client, "coordinator", PASSWORD, "198.51.100.7")
    assert logged_in(client)


@pytest.mark.attack("brute-force")
def test_a_client_cannot_escape_its_address_lock_by_forging_forwarded_for(client, caseworker, settings):
    settings.SHELTER_TRUSTED_PROXIES = home.networks(PROXY)
    settings.SHELTER_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        client.post(
            "/login/", {"username": f"someone-{n}", "password": "x"},
            REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    client.post(
        "/login/", {"username": "caseworker", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert not logged_in(client)
