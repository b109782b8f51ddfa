from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from shelter.accounts.models import ApiToken, UserSession
from shelter.accounts.sessions import revoke_all_sessions
from shelter.audit.models import AuditEvent

from .conftest import PASSWORD
from .test_mfa import code

COOKIE = django_settings.SESSION_COOKIE_NAME


def logged_in_client(username, agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
    client = Client(HTTP_USER_AGENT=agent)
    client.post("/login/", {"username": username, "password": PASSWORD})
    return client


def is_logged_in(client):
    return client.get("/").status_code == 200


def planted_session(client):
    """An attacker's session id, set in the victim's browser before the login."""
    session = client.session
    session["planted"] = True
    session.save()
    return session.session_key


@pytest.mark.attack("session")
def test_a_session_id_planted_before_login_is_worthless_after(client, caseworker):
    planted = planted_session(client)
    client.post("/login/", {"username": "caseworker", "password": PASSWORD})
    assert client.cookies[COOKIE].value != planted
    attacker = Client()
    attacker.cookies[COOKIE] = planted
    assert not is_logged_in(attacker)


@pytest.mark.attack("session")
def test_the_session_id_changes_again_when_the_code_completes_the_login(client, caseworker):
    from shelter.accounts import mfa

    device = mfa.pending_device(caseworker)
    mfa.confirm(device, code(device))
    planted = planted_session(client)
    client.post("/login/", {"username": "caseworker", "password": PASSWORD})
    after_password = client.cookies[COOKIE].value
    client.post("/login/code/", {"code": code(device, 1)})
    assert is_logged_in(client)
    assert len({planted, after_password, client.cookies[COOKIE].value}) == 3
    for key in (planted, after_password):
        attacker = Client()
        attacker.cookies[COOKIE] = key
        assert not is_logged_in(attacker)


@pytest.mark.attack("session")
def test_an_idle_session_expires(caseworker, settings):
    settings.SHELTER_SESSION_IDLE_MINUTES = 30
    client = logged_in_client("caseworker")
    UserSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert not UserSession.objects.exists()
    assert AuditEvent.objects.filter(action="session_ended", detail__reason="idle").exists()


def test_an_active_session_stays(caseworker):
    client = logged_in_client("caseworker")
    UserSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=29))
    assert is_logged_in(client)
    assert UserSession.objects.get().last_seen_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.attack("session")
def test_a_session_expires_after_its_maximum_age_however_active(caseworker, settings):
    settings.SHELTER_SESSION_MAX_HOURS = 8
    client = logged_in_client("caseworker")
    UserSession.objects.update(created_at=timezone.now() - timedelta(hours=8, minutes=1))
    assert not is_logged_in(client)
    assert AuditEvent.objects.filter(action="session_ended", detail__reason="absolute").exists()


def test_the_account_page_lists_the_sessions(caseworker):
    laptop = logged_in_client("caseworker")
    logged_in_client("caseworker", agent="Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile")
    html = laptop.get("/profile/").content.decode()
    assert "Firefox · Linux" in html and "Chrome · Android" in html
    assert "this session" in html


@pytest.mark.attack("session")
def test_a_revoked_session_cannot_be_used(caseworker):
    laptop = logged_in_client("caseworker")
    stolen = logged_in_client("caseworker")
    other = UserSession.objects.exclude(session_key=laptop.cookies[COOKIE].value).get()
    laptop.post(f"/account/sessions/{other.pk}/revoke/")
    assert not is_logged_in(stolen)
    assert is_logged_in(laptop)
    assert AuditEvent.objects.filter(action="session_revoked", actor=caseworker).exists()


@pytest.mark.attack("session")
def test_a_user_ends_all_other_sessions(caseworker):
    laptop = logged_in_client("caseworker")
    others = [logged_in_client("caseworker") for _ in range(2)]
    laptop.post("/account/sessions/revoke-others/")
    assert is_logged_in(laptop)
    assert not any(is_logged_in(c) for c in others)


@pytest.mark.attack("idor")
def test_a_user_cannot_end_someone_elses_session(caseworker, other_caseworker):
    victim = logged_in_client("outsider")
    attacker = logged_in_client("caseworker")
    theirs = UserSession.objects.get(user=other_caseworker)
    assert attacker.post(f"/account/sessions/{theirs.pk}/revoke/").status_code == 404
    assert is_logged_in(victim)


def test_an_administrator_ends_all_sessions_of_a_user(administrator, caseworker):
    victim = logged_in_client("caseworker")
    admin = logged_in_client("administrator")
    admin.post(f"/account/users/{caseworker.pk}/sessions/revoke/")
    assert not is_logged_in(victim)
    assert AuditEvent.objects.filter(action="session_revoked", actor=administrator, object_id=str(caseworker.pk)).exists()


@pytest.mark.attack("insider")
def test_only_administrators_end_other_users_sessions(coordinator, caseworker):
    victim = logged_in_client("caseworker")
    response = logged_in_client("coordinator").post(f"/account/users/{caseworker.pk}/sessions/revoke/")
    assert response.status_code == 403
    assert is_logged_in(victim)


def test_revoke_all_sessions_logs_everyone_out(caseworker, coordinator):
    clients = [logged_in_client("caseworker"), logged_in_client("coordinator")]
    assert revoke_all_sessions() == 2
    assert not any(is_logged_in(c) for c in clients)


def test_revoke_all_sessions_of_one_user(caseworker, coordinator):
    mine, theirs = logged_in_client("caseworker"), logged_in_client("coordinator")
    revoke_all_sessions(caseworker)
    assert not is_logged_in(mine) and is_logged_in(theirs)


def test_logging_out_forgets_the_session(caseworker):
    client = logged_in_client("caseworker")
    client.post("/logout/")
    assert not UserSession.objects.exists()


@pytest.mark.attack("session")
def test_an_untracked_session_is_refused(caseworker):
    client = logged_in_client("caseworker")
    UserSession.objects.all().delete()  # e.g. revoked while the session store kept the row
    assert not is_logged_in(client)


@pytest.mark.attack("session")
def test_ending_all_other_sessions_revokes_the_users_api_tokens(caseworker, other_caseworker):
    # A token minted by a stolen session would otherwise outlive the session's end.
    laptop = logged_in_client("caseworker")
    _, mine = ApiToken.objects.issue(caseworker, "minted by the thief")
    _, theirs = ApiToken.objects.issue(other_caseworker, "theirs")
    laptop.post("/account/sessions/revoke-others/")
    assert ApiToken.objects.authenticate(mine) is None
    assert ApiToken.objects.authenticate(theirs) == other_caseworker


@pytest.mark.attack("session")
def test_an_administrator_ending_a_users_sessions_revokes_their_api_tokens(administrator, caseworker):
    _, clear = ApiToken.objects.issue(caseworker, "script")
    logged_in_client("administrator").post(f"/account/users/{caseworker.pk}/sessions/revoke/")
    assert ApiToken.objects.authenticate(clear) is None
    event = AuditEvent.objects.get(action="session_revoked", object_id=str(caseworker.pk))
    assert event.detail["tokens"] == 1


@pytest.mark.attack("session")
def test_deactivating_a_user_ends_their_sessions_and_revokes_their_tokens(caseworker):
    browser = logged_in_client("caseworker")
    token, clear = ApiToken.objects.issue(caseworker, "script")
    caseworker.is_active = False
    caseworker.save()
    assert not is_logged_in(browser)
    token.refresh_from_db()
    assert token.revoked_at is not None
    caseworker.is_active = True
    caseworker.save()  # reactivated: the old token stays revoked
    assert ApiToken.objects.authenticate(clear) is None
